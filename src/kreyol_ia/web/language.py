"""Which interface language a visitor gets: their saved choice, else what the browser asks for."""

from __future__ import annotations

from kreyol_ia.translation.languages import normalise_code
from kreyol_ia.web.catalogue import LANGUAGES

COOKIE = "kreyol_lang"
DEFAULT = "ht"


def pick_language(saved: str | None, accept_language: str | None) -> str:
    """The cookie's language when valid, else the best ``Accept-Language`` match, else Kreyòl."""
    if saved in LANGUAGES:
        return saved
    best, best_q = DEFAULT, 0.0
    for item in (accept_language or "")[:1000].split(",")[:32]:
        code, _, params = item.strip().partition(";")
        # ``ht-HT``, ``hat`` (ISO 639-3) and ``fre`` name interface languages too
        language = normalise_code(code.split("-")[0])
        quality = _quality(params)
        if language in LANGUAGES and quality > best_q:  # among equal weights the first wins
            best, best_q = language, quality
    return best


def _quality(params: str) -> float:
    name, _, value = params.strip().partition("=")
    if name.strip() != "q":
        return 1.0
    try:
        quality = float(value)
    except ValueError:
        return 0.0
    return quality if 0.0 <= quality <= 1.0 else 0.0
