"""Translation-memory matching: exact, then fuzzy with every difference repaired or refused.

A fuzzy hit is only served when each word that differs from the stored sentence is a number,
name or placeholder (carried over as is) or a word whose translation can be swapped in the
stored target; anything else falls through to glossing rather than risk a wrong sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz import fuzz, process

from kreyol_ia.translation.phrasebook.kreyol import definite_article
from kreyol_ia.translation.phrasebook.lexicon import Lexicon, match_words
from kreyol_ia.translation.phrasebook.tokens import tokenize

IGNORABLE = frozenset({"the", "a", "an", "le", "la", "les", "un", "une", "de", "please"})
MIN_FUZZY_WORDS = 3


@dataclass(frozen=True, slots=True)
class MemoryHit:
    """A sentence-level answer and how similar its stored source was (1.0 = identical)."""

    text: str
    score: float
    carried: tuple[str, ...] = ()


class TranslationMemory:
    """Sentence lookup over one direction's lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon
        self.kreyol_target = lexicon.language != "ht"
        self._keys = [key for key, _ in lexicon if key.count(" ") + 1 >= MIN_FUZZY_WORDS]

    def exact(self, segment: str) -> MemoryHit | None:
        """The stored translation of this very segment, ignoring case and punctuation."""
        entry = self.lexicon.lookup(segment)
        return MemoryHit(entry.target, 1.0) if entry is not None else None

    def fuzzy(self, segment: str, threshold: float) -> MemoryHit | None:
        """The most similar stored sentence whose differences can all be repaired."""
        words = match_words(segment, self.lexicon.language)
        if len(words) < MIN_FUZZY_WORDS or not self._keys:
            return None
        originals = _original_forms(segment)
        query = " ".join(words)
        candidates = process.extract(
            query, self._keys, scorer=fuzz.ratio, limit=5, score_cutoff=threshold * 100
        )
        for key, score, _ in candidates:
            entry = self.lexicon.get(key)
            if entry is None:
                continue
            repaired = self._repair(key.split(), words, entry.target, originals)
            if repaired is not None:
                text, carried = repaired
                return MemoryHit(text, round(score / 100, 3), carried)
        return None

    def _repair(
        self, stored: list[str], query: list[str], target: str, originals: dict[str, str]
    ) -> tuple[str, tuple[str, ...]] | None:
        carried: list[str] = []
        for op, i1, i2, j1, j2 in SequenceMatcher(
            None, stored, query, autojunk=False
        ).get_opcodes():
            if op == "equal":
                continue
            old, new = stored[i1:i2], query[j1:j2]
            if op in {"delete", "insert"}:
                if not set(old or new) <= IGNORABLE:
                    return None
                continue
            old_target = self._render(old, {})
            new_target = self._render(new, originals)
            if old_target is None or new_target is None:
                return None
            determiner = r"(?P<det> (?:la|a|an|nan|lan)(?!\w))?" if self.kreyol_target else ""
            pattern = re.compile(
                rf"(?<!\w){re.escape(old_target)}(?!\w){determiner}", re.IGNORECASE
            )
            if len(pattern.findall(target)) != 1:
                return None
            target = pattern.sub(lambda m, text=new_target: _with_determiner(text, m), target)
            carried.append(new_target)
        return target, tuple(carried)

    def _render(self, words: list[str], originals: dict[str, str]) -> str | None:
        """Numbers, names and placeholders stand for themselves; words go through the lexicon."""
        if len(words) == 1 and (words[0] in originals or _is_literal(words[0])):
            return originals.get(words[0], words[0])
        entry = self.lexicon.get(" ".join(words))
        return entry.target if entry is not None else None


def _with_determiner(text: str, match: re.Match[str]) -> str:
    """A Kreyòl determiner that followed the old word is re-chosen for the new one (a → la)."""
    if match.groupdict().get("det") is None:
        return text
    return f"{text} {definite_article(text)}"


def _is_literal(word: str) -> bool:
    return any(ch.isdigit() for ch in word) or word.startswith(("{", "%", "<", "http"))


def _original_forms(segment: str) -> dict[str, str]:
    """Names (capitalised after the first word), numbers and placeholders, in their own case."""
    out: dict[str, str] = {}
    for index, token in enumerate(tokenize(segment)):
        literal = token.kind in {"number", "protected"}
        if literal or (index > 0 and token.kind == "word" and token.text[:1].isupper()):
            out[token.lower] = token.text
    return out
