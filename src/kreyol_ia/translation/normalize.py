"""Input clean-up before translation: Unicode form, apostrophes, spacing.

Kreyòl short forms (m ap → mwen ap) are expanded by the phrasebook's own rules at match time;
kreyolib's ``expand_contractions`` is not used because it splits ordinary words
(``malad`` → ``mwen alad``).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def normalize_segment(text: str, language: str) -> str:
    """NFC, straight apostrophes and single spaces; the language is kept for future rules."""
    del language
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return _SPACES.sub(" ", text).strip()


def is_valid_text(text: str) -> bool:
    """Whether UTF-8 can carry ``text``: a JSON escape can smuggle in a lone surrogate."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True
