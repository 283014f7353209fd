"""The DeepL API v2 facade: translate, usage, languages, glossaries and documents under ``/v2``.

DeepL's official client libraries take a ``server_url``; pointed here, with a Kreyòl IA API key
as their auth key, they translate Haitian Creole with this server's accounts, limits and cache.
"""

from fastapi import APIRouter

from kreyol_ia.compat.deepl import documents, glossaries, text

router = APIRouter()
router.include_router(text.router)
router.include_router(glossaries.router)
router.include_router(documents.router)

__all__ = ["router"]
