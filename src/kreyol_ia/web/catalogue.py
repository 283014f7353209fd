"""Message catalogues: one folder per interface language, one JSON file per area of the site.

Files are merged per language into the one catalogue the browser loads; ``missing_keys`` is what
the test suite checks, so no language can lack a string another has.
"""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

CATALOGUE_DIR = Path(str(files("kreyol_ia.web").joinpath("catalogue")))
LANGUAGES = ("ht", "fr", "en")  # Kreyòl first: the people this service is for


def catalogue(language: str) -> dict[str, str]:
    """Every key of one language; a key defined twice (in two area files) is an error."""
    merged: dict[str, str] = {}
    for path in sorted((CATALOGUE_DIR / language).glob("*.json")):
        entries = json.loads(path.read_text(encoding="utf-8"))
        clash = merged.keys() & entries.keys()
        if clash:
            raise ValueError(f"{path}: keys defined in another file too: {sorted(clash)}")
        merged.update(entries)
    return merged


def merged_catalogues() -> dict[str, bytes]:
    """Each language's catalogue as the compact JSON the browser loads."""
    return {
        language: json.dumps(catalogue(language), ensure_ascii=False, sort_keys=True).encode()
        for language in LANGUAGES
    }


def missing_keys() -> dict[str, list[str]]:
    """Per language, the keys some other language has and it lacks (empty when complete)."""
    keys = {language: set(catalogue(language)) for language in LANGUAGES}
    every = set().union(*keys.values())
    return {language: sorted(every - own) for language, own in keys.items() if every - own}
