"""Kreyòl spelling for words no lexicon has: most Kreyòl vocabulary is French respelled.

A first, conservative rule set (French → Kreyòl only); unknown words it cannot respell stay
unknown.
"""

from __future__ import annotations

import re

from kreyol_ia.translation.phrasebook.lexicon import Guess

_FRENCH_ENDINGS = (
    ("tion", "syon"),
    ("sion", "syon"),
    ("ité", "ite"),
    ("ique", "ik"),
    ("isme", "is"),
    ("iste", "is"),
    ("ment", "man"),
    ("eur", "è"),
    ("oire", "wa"),
    ("ie", "i"),
    ("é", "e"),
    ("er", "e"),
)
_WORD = re.compile(r"^[a-zàâçéèêëîïôûùüÿœ]{4,}$")


def guess(word: str, source: str, target: str) -> Guess | None:
    """A respelling of ``word`` from ``source`` into ``target``, or None when no rule applies."""
    if source != "fr" or target != "ht" or not _WORD.match(word):
        return None
    for ending, replacement in _FRENCH_ENDINGS:
        if word.endswith(ending):
            stem = word[: -len(ending)]
            return Guess(_respell(stem) + replacement, "transliterated")
    return None


def _respell(stem: str) -> str:
    for old, new in (("qu", "k"), ("ou", "ou"), ("ch", "ch"), ("c", "k"), ("é", "e"), ("è", "è")):
        stem = stem.replace(old, new)
    return stem
