"""What the server offers, as LibreTranslate tells it: languages, the web page's settings, and
suggestions (refused: Kreyòl IA has no correction loop yet)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kreyol_ia.compat.errors import facade_route, own_errors
from kreyol_ia.compat.libretranslate.errors import LTError, lt_error, render, responses
from kreyol_ia.compat.libretranslate.openapi import TAG, body
from kreyol_ia.compat.libretranslate.schemas import (
    FrontendLanguages,
    FrontendSettings,
    LTLanguage,
    LTSuggestBody,
    NamedLanguage,
)
from kreyol_ia.config import Settings
from kreyol_ia.documents.formats import SUPPORTED
from kreyol_ia.translation.languages import LANGUAGE_NAMES, SUPPORTED_PAIRS

ENGLISH_NAMES = {"en": "English", "fr": "French", "ht": "Haitian Creole"}
FRONTEND_TIMEOUT_MS = 500
router = APIRouter(tags=[TAG], route_class=facade_route(render))


@router.get(
    "/languages",
    response_model=list[LTLanguage],
    summary="Languages and their targets (LibreTranslate API)",
    responses=responses(),
    openapi_extra=own_errors(),
)
def languages() -> list[LTLanguage]:
    """No key needed, as on LibreTranslate; a body (libretranslatepy sends one) is ignored."""
    return [
        LTLanguage(
            code=code,
            name=ENGLISH_NAMES[code],
            targets=[target for source, target in SUPPORTED_PAIRS if source == code],
        )
        for code in LANGUAGE_NAMES
    ]


@router.get(
    "/frontend/settings",
    response_model=FrontendSettings,
    summary="Settings LibreTranslate's web page reads (LibreTranslate API)",
    responses=responses(),
    openapi_extra=own_errors(),
)
def frontend_settings(request: Request) -> FrontendSettings:
    """Limits and defaults of this server: a key is required unless anonymous use is on."""
    settings: Settings = request.app.state.settings
    return FrontendSettings(
        charLimit=settings.max_text_chars,
        frontendTimeout=FRONTEND_TIMEOUT_MS,
        apiKeys=True,
        keyRequired=not settings.allow_anonymous,
        suggestions=False,
        filesTranslation=True,
        supportedFilesFormat=[f".{kind}" for kind in SUPPORTED],
        language=FrontendLanguages(
            source=NamedLanguage(code="auto", name="Auto Detect"),
            target=NamedLanguage(code="ht", name=ENGLISH_NAMES["ht"]),
        ),
    )


@router.post(
    "/suggest",
    status_code=403,
    response_model=LTError,
    summary="Suggest a better translation (disabled) (LibreTranslate API)",
    responses=responses(),
    openapi_extra={
        **body(LTSuggestBody, {"q": "Good morning", "s": "Bonjou", "source": "en", "target": "ht"}),
        "x-disabled": "Suggestions are not stored yet; this always answers 403.",
    },
)
def suggest() -> JSONResponse:
    """Always 403, LibreTranslate's answer when suggestions are off: none are stored yet."""
    return lt_error(403, "Suggestions are disabled on this server.")
