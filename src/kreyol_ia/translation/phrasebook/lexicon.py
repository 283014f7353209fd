"""Bilingual entries keyed by normalised source text, for one translation direction."""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from kreyol_ia.translation.phrasebook import english
from kreyol_ia.translation.phrasebook.kreyol import expand_short_forms
from kreyol_ia.translation.phrasebook.tokens import Token, tokenize

Origin = str  # "builtin", "tm" (imported memory) or "glossary"


@dataclass(frozen=True, slots=True)
class Entry:
    """One source/target pair with where it came from."""

    source: str
    target: str
    domain: str = "general"
    origin: Origin = "builtin"


def match_words(text: str, language: str) -> list[str]:
    """The comparable words of a text: lowercase, NFC, contractions and short forms expanded."""
    words = [t.lower for t in tokenize(unicodedata.normalize("NFC", text)) if t.kind != "punct"]
    if language == "en":
        words = [part for w in words for part in english.CONTRACTIONS.get(w, w).split()]
    elif language == "ht":
        words = expand_short_forms(words)
    return words


def match_key(text: str, language: str) -> str:
    """A lookup key that ignores case, punctuation and spacing."""
    return " ".join(match_words(text, language))


@dataclass(frozen=True, slots=True)
class Guess:
    """A rendering for a word no entry has: how it was made (``kind``) and its likely tag."""

    text: str
    kind: str  # "learned" (aligned from imported memories) or "transliterated"
    tag: str = "NOUN"


Guesser = Callable[[str], Guess | None]


def _no_guess(_word: str) -> Guess | None:
    return None


class Lexicon:
    """Entries for one direction; the first entry loaded for a key wins (imports load first).

    ``guesser`` is asked only for words with no entry, after lemmatisation failed.
    """

    def __init__(
        self, entries: Iterable[Entry], source_language: str, guesser: Guesser = _no_guess
    ):
        self.language = source_language
        self.guess = guesser
        self._entries: dict[str, Entry] = {}
        self._sentences: dict[str, Entry] = {}
        self._alternatives: dict[str, list[Entry]] = {}
        self.max_words = 1
        for entry in entries:
            key = match_key(entry.source, source_language)
            if not key:
                continue
            if " " not in key and entry.source.rstrip()[-1:] in ".!?…":
                self._sentences.setdefault(key, entry)
                continue
            self._alternatives.setdefault(key, []).append(entry)
            if key not in self._entries:
                self._entries[key] = entry
                self.max_words = max(self.max_words, key.count(" ") + 1)

    def __len__(self) -> int:
        return len(self._entries) + len(self._sentences)

    def __iter__(self) -> Iterator[tuple[str, Entry]]:
        return iter(self._entries.items())

    def get(self, key: str) -> Entry | None:
        """The entry for an already-normalised key."""
        return self._entries.get(key)

    def alternatives(self, key: str) -> list[Entry]:
        """Every entry for a key, preferred first (a word may be a noun and a verb)."""
        return self._alternatives.get(key, [])

    def lookup(self, text: str) -> Entry | None:
        """The entry for a whole segment; one-word sentences (``Mangeons.``) count only here."""
        key = match_key(text, self.language)
        return self._sentences.get(key) or self._entries.get(key)

    def longest(
        self, words: Sequence[Token], start: int, min_words: int = 1
    ) -> tuple[int, Entry | None]:
        """The longest run of words from ``start`` that is an entry: (length, entry)."""
        limit = min(self.max_words, len(words) - start)
        for size in range(limit, min_words - 1, -1):
            run = words[start : start + size]
            if any(w.kind not in {"word", "number"} for w in run):
                continue
            entry = self._entries.get(" ".join(w.lower for w in run))
            if entry is not None:
                return size, entry
        return 0, None


def as_fragment(target: str) -> str:
    """A whole-sentence entry used inside a longer sentence loses its closing punctuation."""
    text = target.rstrip(".!?…").rstrip()
    if len(text) > 1 and text[0].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return text


DATA_PACKAGE = "kreyol_ia.translation"
# For a word two files translate (read backwards, frè is brother, fee and freight), the first file
# wins: general, then everyday life, then the broad core vocabulary, then specialised fields.
EVERYDAY_FILES = frozenset(
    f"{name}.tsv"
    for name in (
        "emergency family food greetings health home numbers school time transport work "
        "government places calendar"
    ).split()
)


def _file_priority(path: Traversable) -> tuple[int, str]:
    if path.name == "general.tsv":
        return 0, ""
    if path.name in EVERYDAY_FILES:
        return 1, path.name
    return (2 if path.name == "core.tsv" else 3), path.name


def builtin_entries(source: str, target: str) -> list[Entry]:
    """The team's TSV entries for a direction; the pair folder is read forwards or backwards."""
    other = source if target == "ht" else target
    forwards = target == "ht"
    folder = resources.files(DATA_PACKAGE).joinpath("data", f"{other}_ht")
    files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".tsv")),
        key=_file_priority,
    )
    entries: list[Entry] = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            next(reader, None)
            for row in reader:
                if len(row) != 3:
                    continue
                src, ht, domain = row
                entries.append(Entry(src, ht, domain) if forwards else Entry(ht, src, domain))
    return entries


@lru_cache(maxsize=8)
def builtin_lexicon(source: str, target: str) -> Lexicon:
    """The built-in lexicon for a direction, parsed once per process."""
    return Lexicon(builtin_entries(source, target), source)
