"""Drop-in facades for existing tools: LibreTranslate's API at ``/`` and DeepL's under ``/v2``.

One door, ``install_compat(app)``: each facade only translates its wire format and calls the same
services, limits, cache, glossaries and usage accounting as ``/api/v1``; each can be turned off
(``KREYOL_LIBRETRANSLATE_API``, ``KREYOL_DEEPL_API``).
"""

from __future__ import annotations

from fastapi import FastAPI

from kreyol_ia.config import Settings

# upload routes that may carry a whole document (the body-size middleware allows them more)
UPLOAD_PATHS = ("/translate_file", "/v2/document")


def install_compat(app: FastAPI, settings: Settings) -> None:
    """Mount the facades the settings enable."""
    if settings.deepl_api:
        from kreyol_ia.compat.deepl import router as deepl

        app.include_router(deepl)


def upload_paths(settings: Settings) -> tuple[str, ...]:
    """The enabled facades' upload paths."""
    enabled = {"/translate_file": settings.libretranslate_api, "/v2/document": settings.deepl_api}
    return tuple(path for path in UPLOAD_PATHS if enabled[path])
