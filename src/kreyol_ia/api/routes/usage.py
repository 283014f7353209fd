"""The caller's own usage: rate-limit windows now, requests and characters today and this month."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request

from kreyol_ia.api.deps import OptionalPrincipal, unauthenticated
from kreyol_ia.api.ratelimiting import max_request_cost, rate_identity
from kreyol_ia.api.schemas.usage import DailyUsage, DayUsage, UsageOut, UsageTotals, WindowUsage
from kreyol_ia.auth import Principal
from kreyol_ia.db.clock import utcnow
from kreyol_ia.ratelimit.limiter import usage

router = APIRouter(prefix="/api/v1", tags=["usage"])


def _signed_in(principal: Principal | None) -> Principal:
    """Usage is per account: anonymous callers have none to show."""
    if principal is None:
        raise unauthenticated("Authentication required.")
    return principal


@router.get("/usage", response_model=UsageOut, summary="Your limits and usage")
def my_usage(request: Request, principal: OptionalPrincipal) -> UsageOut:
    """Windows of your tier (not charged by this call) and totals from the usage records."""
    principal = _signed_in(principal)
    key, tier = rate_identity(request, principal)
    now = utcnow()
    windows = {
        # resets_at: a time for clients showing a clock, not a countdown
        name: WindowUsage(**window, resets_at=now + timedelta(seconds=window["reset"]))
        for name, window in usage(request.app.state.limiter.peek(key, tier)).items()
    }
    today = now.date()
    db = request.app.state.db
    settings = request.app.state.settings
    per_request = max_request_cost(request, principal) * settings.rate_cost_characters - 1
    return UsageOut(
        username=principal.username,
        tier=tier,
        windows=windows,
        max_request_characters=min(settings.max_text_chars, per_request),
        today=UsageTotals(**db.usage_since(principal.username, today)),
        month=UsageTotals(**db.usage_since(principal.username, today.replace(day=1))),
    )


@router.get("/usage/daily", response_model=DailyUsage, summary="Your usage per day")
def my_daily_usage(
    request: Request,
    principal: OptionalPrincipal,
    days: Annotated[int, Query(ge=1, le=366, examples=[30])] = 30,
) -> DailyUsage:
    """Requests and characters per UTC day, oldest first, days without use as zeros."""
    principal = _signed_in(principal)
    today = utcnow().date()
    since = today - timedelta(days=days - 1)
    recorded = request.app.state.db.usage_by_day(principal.username, since)
    entries = []
    for offset in range(days):
        day = since + timedelta(days=offset)
        requests, characters = recorded.get(day, (0, 0))
        entries.append(DayUsage(date=day, requests=requests, characters=characters))
    return DailyUsage(username=principal.username, days=entries)
