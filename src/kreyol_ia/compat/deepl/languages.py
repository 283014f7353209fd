"""DeepL's language codes (``EN-US``, ``HT``) and the service's (``en``, ``ht``), both ways."""

from __future__ import annotations

from kreyol_ia.api.errors import APIError
from kreyol_ia.translation.languages import LANGUAGE_NAMES, normalise_code

ENGLISH_NAMES = {"en": "English", "fr": "French", "ht": "Haitian Creole"}
SOURCE_CODES = ("EN", "FR", "HT")
TARGET_CODES = ("EN-GB", "EN-US", "FR", "HT")
TARGET_NAMES = {
    "EN-GB": "English (British)",
    "EN-US": "English (American)",
    "FR": "French",
    "HT": "Haitian Creole",
}


def to_code(value: str | None, field: str, required: bool = True) -> str | None:
    """``en-us``/``EN``/``HT``/``hat`` → the service's code; 400-class refusal for others."""
    if value is None or not value.strip():
        if required:
            raise APIError(422, "validation_error", f"Parameter '{field}' not specified.")
        return None
    code = normalise_code(value.split("-")[0])
    if code not in LANGUAGE_NAMES:
        raise APIError(
            422, "unsupported_language", f"Value for '{field}' not supported: {value!r}."
        )
    return code


def to_deepl(code: str) -> str:
    """``ht`` → ``HT``: how DeepL names a detected source language."""
    return code.upper()
