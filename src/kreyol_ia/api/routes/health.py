"""Service identity, liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kreyol_ia import __version__
from kreyol_ia.api.errors import error_response
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


@router.get("/ready", summary="Readiness", response_model=None)
def ready(request: Request) -> dict[str, Any] | JSONResponse:
    """The database is reachable and migrated and, when configured, Redis answers."""
    checks = {"database": _check_database(request)}
    if request.app.state.redis is not None:
        checks["redis"] = _check_redis(request)
    failing = {name: state for name, state in checks.items() if state != "ok"}
    if failing:
        parts = ", ".join(sorted(failing))
        return error_response(503, "not_ready", f"Not ready: {parts}.", details=checks)
    return {"status": "ready", "checks": checks}


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
