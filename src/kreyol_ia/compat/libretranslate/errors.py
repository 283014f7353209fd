"""LibreTranslate's error shape and statuses: ``{"error": "..."}`` with 400, 403, 404, 429, 503.

LibreTranslate has no 401 and no 413/422: a bad key is 403, a missing one (where this server
needs one) is 400, and every invalid request, over-long texts included, is 400.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kreyol_ia.api.errors import APIError
from kreyol_ia.compat.errors import Refusal, declared

INVALID_KEY = "Invalid API key"
KEY_NEEDED = (
    "Please contact the server operator to get an API key: this server does not translate "
    "without one (send it as api_key)."
)


class LTError(BaseModel):
    """LibreTranslate's error body."""

    error: str = Field(examples=["Invalid request: missing q parameter"])


def invalid(message: str) -> APIError:
    """LibreTranslate's 400, in its words ("Invalid request: missing q parameter")."""
    return APIError(400, "bad_request", f"Invalid request: {message}")


def lt_status(refusal: Refusal) -> int:
    """The status a LibreTranslate client expects for a refusal of the shared services."""
    if refusal.status == 401:
        return 400 if refusal.code == "not_authenticated" else 403
    if refusal.status in {409, 413, 422}:
        return 400
    return refusal.status


def lt_message(refusal: Refusal) -> str:
    """LibreTranslate's own words where its clients may look for them, else ours."""
    if refusal.status == 401:
        return KEY_NEEDED if refusal.code == "not_authenticated" else INVALID_KEY
    if refusal.status == 429:
        return f"Slowdown: {refusal.message}"
    return refusal.message


def render(refusal: Refusal) -> JSONResponse:
    """A refusal as LibreTranslate answers it, keeping Retry-After and the RateLimit headers."""
    headers = {k: v for k, v in refusal.headers.items() if k.lower() != "www-authenticate"}
    body = LTError(error=lt_message(refusal))
    return JSONResponse(body.model_dump(), status_code=lt_status(refusal), headers=headers)


def lt_error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """An answer the facade refuses itself (suggestions off, an unknown download link)."""
    return JSONResponse(LTError(error=message).model_dump(), status_code=status, headers=headers)


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route: its refusals, a body too large, faults and the database down,
    in LibreTranslate's shape."""
    return declared(LTError, sorted({400, 413, 500, 503, *statuses}))
