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


def is_supported(source: str, target: str) -> bool:
    """True for the four directions the service offers."""
    return (source, target) in SUPPORTED_PAIRS


def describe_pairs(pairs: tuple[tuple[str, str], ...] = SUPPORTED_PAIRS) -> str:
    """``en→ht, fr→ht, …`` for error messages."""
    return ", ".join(f"{source}→{target}" for source, target in pairs)
