"""The LibreTranslate API facade: ``/translate``, ``/detect``, ``/languages``, files and more.

Programs that speak LibreTranslate (Weblate, Mastodon, Discourse, browser extensions,
libretranslatepy) work unchanged against Kreyòl IA, with its accounts, keys, limits and cache.
"""

from fastapi import APIRouter

from kreyol_ia.compat.libretranslate import files, info, text

router = APIRouter()
router.include_router(text.router)
router.include_router(info.router)
router.include_router(files.router)

__all__ = ["router"]
