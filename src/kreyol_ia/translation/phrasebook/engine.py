"""The phrasebook engine: exact memory, fuzzy memory, then rule-based glossing, with no download."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from kreyol_ia import __version__
from kreyol_ia.translation.engine import EngineInfo, Result
from kreyol_ia.translation.languages import SUPPORTED_PAIRS, describe_pairs, is_supported
from kreyol_ia.translation.phrasebook import (
    en_fr_order,
    from_kreyol,
    kreyol_order,
    to_kreyol,
    transliterate,
)
from kreyol_ia.translation.phrasebook.lexicon import (
    Entry,
    Guess,
    Guesser,
    Lexicon,
    builtin_entries,
)
from kreyol_ia.translation.phrasebook.memory import TranslationMemory
from kreyol_ia.translation.phrasebook.tokens import (
    carry_symbols,
    detokenize,
    match_capitalisation,
    tokenize,
)

ImportedEntries = Callable[[str, str], tuple[str, list[Entry]]]
# (version, word → translation) learned by aligning the operator's imported memories
LearnedWords = Callable[[str, str], tuple[str, dict[str, str]]]
GUESS_KINDS = ("learned", "transliterated")


def _no_imports(_source: str, _target: str) -> tuple[str, list[Entry]]:
    return "", []


def _nothing_learned(_source: str, _target: str) -> tuple[str, dict[str, str]]:
    return "", {}


def guesser(learned: dict[str, str], source: str, target: str) -> Guesser:
    """For a word in no lexicon: the learned table first, then transliteration (or None)."""

    def guess(word: str) -> Guess | None:
        found = learned.get(word)
        if found:
            return Guess(found, "learned")
        return transliterate.guess(word, source, target)

    return guess


class PhrasebookEngine:
    """Translates from the team's lexicon plus the operator's imported memories and glossaries."""

    name = "phrasebook"

    def __init__(
        self,
        fuzzy_threshold: float = 0.85,
        imported: ImportedEntries = _no_imports,
        learned: LearnedWords = _nothing_learned,
    ):
        self.fuzzy_threshold = fuzzy_threshold
        self._imported = imported
        self._learned = learned
        self._lock = threading.Lock()
        self._memories: dict[tuple[str, str], tuple[str, TranslationMemory]] = {}
        self._builtin: dict[tuple[str, str], list[Entry]] = {}

    def languages(self) -> list[tuple[str, str]]:
        return list(SUPPORTED_PAIRS)

    def info(self) -> EngineInfo:
        return EngineInfo(name=self.name, version=__version__, model_id="phrasebook-builtin")

    def memory(self, source: str, target: str) -> TranslationMemory:
        """The direction's memory, rebuilt only when the imported entries changed."""
        imported_version, imported = self._imported(source, target)
        learned_version, learned = self._learned(source, target)
        version = f"{imported_version}:{learned_version}"
        with self._lock:
            cached = self._memories.get((source, target))
            if cached is not None and cached[0] == version:
                return cached[1]
            builtin = self._builtin.setdefault((source, target), builtin_entries(source, target))
            lexicon = Lexicon([*imported, *builtin], source, guesser(learned, source, target))
            memory = TranslationMemory(lexicon)
            self._memories[(source, target)] = (version, memory)
            return memory

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[Result]:
        if not is_supported(source, target):
            raise ValueError(f"unsupported pair {source}→{target}; supported: {describe_pairs()}")
        memory = self.memory(source, target)
        return [self._one(segment, memory, source, target) for segment in segments]

    def memory_matches(
        self, segments: Sequence[str], source: str, target: str
    ) -> list[Result | None]:
        """Exact or fuzzy memory matches only (None elsewhere): what wins over any model."""
        memory = self.memory(source, target)
        return [self._remembered(s, memory) if s.strip() else None for s in segments]

    def _one(self, segment: str, memory: TranslationMemory, source: str, target: str) -> Result:
        if not segment.strip():
            return Result(segment, self.name, "passthrough", 1.0)
        remembered = self._remembered(segment, memory)
        if remembered is not None:
            return remembered
        return self._gloss(segment, memory.lexicon, source, target)

    def _remembered(self, segment: str, memory: TranslationMemory) -> Result | None:
        """The memory's exact sentence (or glossary term), else a close one repaired, else None."""
        exact = memory.exact(segment)
        if exact is not None:
            entry = memory.lexicon.lookup(segment)
            kind = "glossary" if entry is not None and entry.origin == "glossary" else "exact"
            text = self._finish(segment, carry_symbols(segment, exact.text))
            return Result(text, self.name, kind, 1.0)
        fuzzy = memory.fuzzy(segment, self.fuzzy_threshold)
        if fuzzy is not None:
            text = self._finish(segment, carry_symbols(segment, fuzzy.text))
            return Result(text, self.name, "fuzzy", fuzzy.score)
        return None

    def _gloss(self, segment: str, lexicon: Lexicon, source: str, target: str) -> Result:
        tokens = tokenize(segment)
        if target == "ht":
            units = to_kreyol.analyse(tokens, lexicon, source)
            words = kreyol_order.generate(units, source)
        else:
            units = from_kreyol.analyse(tokens, lexicon, target)
            words = en_fr_order.generate(units, target)
        unknown = tuple(dict.fromkeys(u.src for u in units if u.tag == "UNK"))
        guessed = tuple(dict.fromkeys(u.src for u in units if u.has(*GUESS_KINDS)))
        word_count = sum(1 for t in tokens if t.kind == "word") or 1
        # a guessed word counts half: it is often right, never checked
        doubt = len(unknown) + 0.5 * len(guessed)
        score = round(0.6 * max(0.0, 1 - doubt / word_count), 3)
        kind = "gloss" if len(unknown) < word_count else "passthrough"
        text = self._finish(segment, detokenize(words))
        return Result(text, self.name, kind, score if kind == "gloss" else 0.0, unknown, guessed)

    @staticmethod
    def _finish(segment: str, text: str) -> str:
        """Carry the source's capital and closing punctuation over to the output."""
        text = match_capitalisation(segment, text.strip())
        end = segment.rstrip()[-1:]
        if end in {".", "?", "!"} and text and text[-1] not in ".?!":
            text += end
        return text
