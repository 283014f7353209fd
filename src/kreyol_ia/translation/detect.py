"""Language identification restricted to en, fr and ht, with the lexicon breaking short ties."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from langid.langid import LanguageIdentifier, model

from kreyol_ia.translation.phrasebook.lexicon import builtin_lexicon, match_words

LANGUAGES = ("en", "fr", "ht")
_SHORT_TEXT_WORDS = 8
_lock = threading.Lock()
_identifier: LanguageIdentifier | None = None


@dataclass(frozen=True, slots=True)
class Detection:
    """The most likely language and a confidence in [0, 1]."""

    language: str
    confidence: float


def _langid() -> LanguageIdentifier:
    global _identifier
    with _lock:
        if _identifier is None:
            identifier = LanguageIdentifier.from_modelstring(model, norm_probs=True)
            identifier.set_languages(list(LANGUAGES))
            _identifier = identifier
        return _identifier


def warm_up() -> None:
    """Load the language-id model and the lexicons ahead of the first request that needs them."""
    detect_language("Bonjou, kijan ou ye?")


def _lexicon_coverage(text: str) -> dict[str, float]:
    """Share of words each language's lexicon knows; decisive on short greetings."""
    coverage = {}
    for language, (source, target) in {
        "en": ("en", "ht"),
        "fr": ("fr", "ht"),
        "ht": ("ht", "en"),
    }.items():
        words = match_words(text, language)
        lexicon = builtin_lexicon(source, target)
        known = sum(1 for word in words if lexicon.get(word) is not None)
        coverage[language] = known / len(words) if words else 0.0
    return coverage


def detect_language(text: str) -> Detection:
    """en, fr or ht; short texts lean on which lexicon recognises their words."""
    language, probability = _langid().classify(text)
    words = text.split()
    if len(words) <= _SHORT_TEXT_WORDS:
        coverage = _lexicon_coverage(text)
        best = max(coverage, key=lambda code: coverage[code])
        if coverage[best] >= 0.5 and coverage[best] > coverage.get(language, 0.0) + 0.2:
            return Detection(best, round(coverage[best], 3))
    return Detection(language, round(float(probability), 3))
