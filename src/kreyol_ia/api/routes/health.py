"""Service identity, liveness and readiness."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from kreyol_ia import __version__
from kreyol_ia.api.routes.metrics import detail_allowed
from kreyol_ia.api.schemas.languages import LanguageOut, PairOut
from kreyol_ia.api.schemas.service import (
    DocsLinks,
    DocumentFormat,
    Health,
    ServiceInfo,
)
from kreyol_ia.db.migrate import current_revision, head_revision
from kreyol_ia.translation.languages import LANGUAGE_NAMES, SUPPORTED_PAIRS

router = APIRouter(tags=["service"])


# what the web page offers in its file picker: the extensions ``detect_format`` accepts
DOCUMENT_FORMATS = (
    {"extension": ".txt", "media_type": "text/plain"},
    {"extension": ".md", "media_type": "text/markdown"},
    {"extension": ".srt", "media_type": "application/x-subrip"},
    {"extension": ".html", "media_type": "text/html"},
    {
        "extension": ".docx",
        "media_type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    },
    {"extension": ".pdf", "media_type": "application/pdf"},
)


@router.get(
    "/api/v1/service",
    response_model=ServiceInfo,
    summary="Service name, version, engines and limits",
)
def service(request: Request) -> ServiceInfo:
    """What this server is, what it translates, and the limits a client should respect."""
    settings = request.app.state.settings
    return ServiceInfo(
        name="Kreyòl IA",
        version=__version__,
        engines=request.app.state.engine_names(),
        languages=[LanguageOut(code=code, name=name) for code, name in LANGUAGE_NAMES.items()],
        pairs=[PairOut(source=s, target=t) for s, t in SUPPORTED_PAIRS],
        registration=settings.effective_registration,
        allow_anonymous=settings.allow_anonymous,
        password_min_length=settings.password_min_length,
        max_text_chars=settings.max_text_chars,
        max_upload_bytes=settings.max_upload_bytes,
        document_formats=[DocumentFormat(**f) for f in DOCUMENT_FORMATS],
        docs=DocsLinks(swagger="/docs", redoc="/redoc", openapi="/openapi.json"),
    )


@router.get("/health", response_model=Health, summary="Liveness")
def health() -> Health:
    """The process answers; says nothing about its dependencies."""
    return Health(status="ok")


class Readiness(BaseModel):
    """Public: the status alone; operators (token, admin, development) also get each component."""

    status: Literal["ready", "not_ready"] = Field(examples=["ready"])
    checks: dict[str, str] | None = Field(default=None, examples=[{"database": "ok"}])


@router.get(
    "/ready",
    summary="Readiness",
    response_model=Readiness,
    response_model_exclude_none=True,
    responses={503: {"model": Readiness, "description": "A dependency is not ready"}},
)
def ready(request: Request, response: Response) -> Readiness:
    """The database is reachable and migrated and, when configured, Redis answers."""
    checks = {"database": _check_database(request)}
    if request.app.state.redis is not None:
        checks["redis"] = _check_redis(request)
    ok = all(state == "ok" for state in checks.values())
    if not ok:
        response.status_code = 503
    return Readiness(
        status="ready" if ok else "not_ready",
        checks=checks if detail_allowed(request) else None,
    )


def _check_database(request: Request) -> str:
    db = request.app.state.db
    try:
        db.ping()
        revision = current_revision(db.engine)
    except Exception:
        return "unreachable"
    return "ok" if revision == head_revision() else "not migrated (run: kreyol db upgrade)"


def _check_redis(request: Request) -> str:
    try:
        request.app.state.redis.ping()
    except Exception:
        return "unreachable"
    return "ok"
