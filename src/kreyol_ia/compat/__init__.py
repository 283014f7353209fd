"""Drop-in facades for existing tools: DeepL's API v2 under ``/v2``, LibreTranslate's at the root.

One door, ``install_compat(app)``: each facade only translates its wire format and calls the same
services, limits, cache, glossaries and usage accounting as ``/api/v1``; each can be turned off
(``KREYOL_DEEPL_API``, ``KREYOL_LIBRETRANSLATE_API``).
"""

from __future__ import annotations

from fastapi import FastAPI

from kreyol_ia.compat.deepl import router as deepl
from kreyol_ia.compat.libretranslate import router as libretranslate
from kreyol_ia.config import Settings

# upload routes that may carry a whole document (the body-size middleware allows them more)
UPLOAD_PATHS = {"/v2/document": "deepl_api", "/translate_file": "libretranslate_api"}


def install_compat(app: FastAPI, settings: Settings) -> None:
    """Mount the facades the settings enable."""
    if settings.deepl_api:
        app.include_router(deepl)
    if settings.libretranslate_api:
        app.include_router(libretranslate)


def upload_paths(settings: Settings) -> tuple[str, ...]:
    """The enabled facades' upload paths."""
    return tuple(path for path, flag in UPLOAD_PATHS.items() if getattr(settings, flag))
