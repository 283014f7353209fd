"""Service identity, liveness and readiness."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from kreyol_ia import __version__
from kreyol_ia.api.routes.metrics import detail_allowed
from kreyol_ia.db.migrate import current_revision, head_revision

router = APIRouter(tags=["service"])


@router.get("/", summary="Service name, version and engines")
def root(request: Request) -> dict[str, Any]:
    """What this server is and which translation engines it can use."""
    return {
        "name": "Kreyòl IA",
        "version": __version__,
        "engines": request.app.state.engine_names(),
        "docs": "/docs",
    }


@router.get("/health", summary="Liveness")
def health() -> dict[str, str]:
    """The process answers; says nothing about its dependencies."""
    return {"status": "ok"}


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
