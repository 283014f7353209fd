"""The caller's own usage: rate-limit windows now, requests and characters today and this month."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from kreyol_ia.api.deps import OptionalPrincipal, unauthenticated
from kreyol_ia.api.ratelimiting import rate_identity
from kreyol_ia.db.clock import utcnow
from kreyol_ia.ratelimit.limiter import usage

router = APIRouter(prefix="/api/v1", tags=["usage"])


@router.get("/usage", summary="Your limits and usage")
def my_usage(request: Request, principal: OptionalPrincipal) -> dict[str, Any]:
    """Windows of your tier (not charged by this call) and totals from the usage records."""
    if principal is None:
        raise unauthenticated("Authentication required.")
    key, tier = rate_identity(request, principal)
    windows = usage(request.app.state.limiter.peek(key, tier))
    today = utcnow().date()
    db = request.app.state.db
    return {
        "username": principal.username,
        "tier": tier,
        "windows": windows,
        "today": db.usage_since(principal.username, today),
        "month": db.usage_since(principal.username, today.replace(day=1)),
    }
