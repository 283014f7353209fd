"""DeepL's error shapes and statuses: ``{"message": ...}``; 403 bad key, 429, 456 quota, 400."""

from __future__ import annotations

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from kreyol_ia.compat.errors import Refusal

QUOTA_EXCEEDED = 456


class DeepLError(BaseModel):
    """DeepL's error body; ``detail`` holds Kreyòl IA's stable code."""

    message: str = Field(examples=["Quota Exceeded"])
    detail: str | None = Field(default=None, examples=["rate_limited"])


def deepl_status(refusal: Refusal) -> int:
    """The status a DeepL client expects for a refusal of the shared services."""
    if refusal.status == 401:
        return 403  # DeepL has no 401: a missing or bad key is 403
    if refusal.status == 429:
        blocking = (
            (refusal.details or {}).get("limit") if isinstance(refusal.details, dict) else None
        )
        return QUOTA_EXCEEDED if blocking == "day" else 429
    if refusal.status in {409, 422}:
        return 400
    return refusal.status


def render(refusal: Refusal) -> JSONResponse:
    """A refusal as DeepL answers it, keeping Retry-After and the RateLimit headers."""
    headers = {k: v for k, v in refusal.headers.items() if k.lower() != "www-authenticate"}
    body = DeepLError(message=refusal.message, detail=refusal.code)
    return JSONResponse(body.model_dump(), status_code=deepl_status(refusal), headers=headers)
