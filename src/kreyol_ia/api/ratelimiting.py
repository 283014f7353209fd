"""Applying the tiered limits to requests: who pays, how much, and the headers that say so."""

from __future__ import annotations

import math

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kreyol_ia.api.client_ip import client_ip
from kreyol_ia.api.errors import APIError, error_response
from kreyol_ia.auth import Principal
from kreyol_ia.metrics import RATE_LIMITED
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


def _refuse(decision: Decision, headers: dict[str, str], tier: str) -> APIError:
    RATE_LIMITED.labels(tier, decision.blocking or "unknown").inc()
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


def max_request_cost(request: Request, principal: Principal | None) -> int:
    """The most one request may cost: what the caller's tier allows in a minute."""
    _, tier = rate_identity(request, principal)
    limiter: TieredRateLimiter = request.app.state.limiter
    return limiter.tiers[tier].per_minute


def check_request_size(request: Request, principal: Principal | None, cost: int) -> None:
    """413 for a request that could never fit the minute window, instead of charging it less."""
    limit = max_request_cost(request, principal)
    if cost > limit:
        per_unit = request.app.state.settings.rate_cost_characters
        raise APIError(
            413,
            "request_too_large",
            f"This request costs {cost} units; one request may cost at most {limit} "
            f"(about {limit * per_unit - 1} characters of text): split it.",
            details={"cost": cost, "max_cost": limit, "max_characters": limit * per_unit - 1},
        )


def charge(request: Request, response: Response, principal: Principal | None, cost: int) -> None:
    """Charge ``cost`` units to the caller's windows or raise 429 with Retry-After."""
    limiter: TieredRateLimiter = request.app.state.limiter
    key, tier = rate_identity(request, principal)
    decision = limiter.check(key, max(1, cost), tier)
    headers = rate_headers(decision)
    if not decision.allowed:
        raise _refuse(decision, headers, tier)
    response.headers.update(headers)


def enforce(request: Request, response: Response, principal: Principal | None, cost: int) -> None:
    """Refuse a request larger than the tier allows per minute (413), else charge it (or 429)."""
    check_request_size(request, principal, cost)
    charge(request, response, principal, cost)


AUTH_PATHS = frozenset({"/api/v1/auth/token", "/api/v1/auth/session", "/api/v1/auth/register"})


class AuthRateLimitMiddleware:
    """Sign-in and sign-up: strict per-IP limits charged before anything reads the body.

    As middleware, every request pays, malformed ones included (FastAPI answers a bad JSON body
    before any dependency runs), and every answer — 200, 401, 422 or 429 — says so in headers.
    """

    def __init__(self, app: ASGIApp, paths: frozenset[str] = AUTH_PATHS):
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limiter: RateLimiter = request.app.state.auth_limiter
        ip = client_ip(request, request.app.state.settings.trusted_proxies)
        decision = await run_in_threadpool(limiter.check, ip)
        headers = rate_headers(decision)
        if not decision.allowed:
            refusal = _refuse(decision, headers, "auth")
            response = error_response(
                429, refusal.code, refusal.message, refusal.headers, refusal.details
            )
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = MutableHeaders(scope=message)
                for name, value in headers.items():
                    if name not in present:
                        present[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


def translation_cost(characters: int, per_unit: int) -> int:
    """1 + one unit per ``per_unit`` characters (1,000 by default); no cap, big costs more."""
    return 1 + characters // per_unit


def upload_cost(size: int, per_unit_bytes: int) -> int:
    """What reading an upload costs before its text is known: 1 + a unit per ``per_unit_bytes``."""
    return 1 + size // per_unit_bytes
