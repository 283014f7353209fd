"""Applying the tiered limits to requests: who pays, how much, and the headers that say so."""

from __future__ import annotations

import math

from fastapi import Request, Response

from kreyol_ia.api.client_ip import client_ip
from kreyol_ia.api.errors import APIError
from kreyol_ia.auth import Principal
from kreyol_ia.ratelimit import Decision, RateLimiter, TieredRateLimiter
from kreyol_ia.ratelimit.tiers import TIERS


def rate_headers(decision: Decision) -> dict[str, str]:
    """RateLimit-* (IETF draft) and X-RateLimit-* for the tightest window, plus the policy."""
    window = decision.tightest
    reset = math.ceil(decision.retry_after if not decision.allowed else window.reset)
    policy = ", ".join(f"{w.limit};w={w.seconds}" for w in decision.windows)
    values = {"Limit": str(window.limit), "Remaining": str(window.remaining), "Reset": str(reset)}
    headers = {f"RateLimit-{k}": v for k, v in values.items()}
    headers.update({f"X-RateLimit-{k}": v for k, v in values.items()})
    headers["RateLimit-Policy"] = policy
    return headers


def _refuse(decision: Decision, headers: dict[str, str]) -> APIError:
    seconds = max(1, math.ceil(decision.retry_after))
    return APIError(
        429,
        "rate_limited",
        f"Rate limit exceeded for the {decision.blocking} window; retry in {seconds} s.",
        headers={**headers, "Retry-After": str(seconds)},
        details={"limit": decision.blocking, "retry_after": seconds},
    )


def rate_identity(request: Request, principal: Principal | None) -> tuple[str, str]:
    """(key, tier): the user whatever credential they use, or the client IP when anonymous."""
    settings = request.app.state.settings
    if principal is not None:
        return principal.rate_key, principal.tier if principal.tier in TIERS else "free"
    return f"ip:{client_ip(request, settings.trusted_proxies)}", settings.anonymous_tier


def enforce(request: Request, response: Response, principal: Principal | None, cost: int) -> None:
    """Charge ``cost`` (capped at the tier's minute limit) or raise 429 with Retry-After."""
    limiter: TieredRateLimiter = request.app.state.limiter
    key, tier = rate_identity(request, principal)
    cost = max(1, min(cost, limiter.tiers[tier].per_minute))
    decision = limiter.check(key, cost, tier)
    headers = rate_headers(decision)
    if not decision.allowed:
        raise _refuse(decision, headers)
    response.headers.update(headers)


def enforce_auth(request: Request) -> None:
    """Sign-in and sign-up have their own strict per-IP limits."""
    limiter: RateLimiter = request.app.state.auth_limiter
    ip = client_ip(request, request.app.state.settings.trusted_proxies)
    decision = limiter.check(ip)
    if not decision.allowed:
        raise _refuse(decision, rate_headers(decision))


def translation_cost(characters: int, per_unit: int) -> int:
    """1 + one unit per ``per_unit`` characters (1,000 by default)."""
    return 1 + characters // per_unit
