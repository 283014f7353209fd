"""Supported languages and directions, and their codes in the neural models' vocabularies."""

from __future__ import annotations

LANGUAGE_NAMES = {"ht": "Kreyòl ayisyen", "en": "English", "fr": "Français"}

SUPPORTED_PAIRS: tuple[tuple[str, str], ...] = (
    ("en", "ht"),
    ("fr", "ht"),
    ("ht", "en"),
    ("ht", "fr"),
)

NLLB_CODES = {"ht": "hat_Latn", "en": "eng_Latn", "fr": "fra_Latn"}
M2M100_CODES = {"ht": "__ht__", "en": "__en__", "fr": "__fr__"}

# ISO 639-1 codes and their ISO 639-2/B, 639-2/T and 639-3 forms; answers use the 2-letter code
CODE_ALIASES = {
    "ht": "ht",
    "hat": "ht",
    "en": "en",
    "eng": "en",
    "fr": "fr",
    "fra": "fr",
    "fre": "fr",
    "auto": "auto",
}


def normalise_code(code: str) -> str:
    """``HT``/``hat`` → ``ht``, ``FRE`` → ``fr``; anything else comes back trimmed, lower-case.

    Every way in (CLI, /translate, /documents) calls this, so an unknown code still reaches the
    caller's own ``unsupported_language`` check with a recognisable value.
    """
    lowered = code.strip().lower()
    return CODE_ALIASES.get(lowered, lowered)


def is_supported(source: str, target: str) -> bool:
    """True for the four directions the service offers."""
    return (source, target) in SUPPORTED_PAIRS


def describe_pairs(pairs: tuple[tuple[str, str], ...] = SUPPORTED_PAIRS) -> str:
    """``en→ht, fr→ht, …`` for error messages."""
    return ", ".join(f"{source}→{target}" for source, target in pairs)
