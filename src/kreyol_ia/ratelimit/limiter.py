"""The seed's RateLimiter and TieredRateLimiter over a pluggable storage backend."""

from __future__ import annotations

import math
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from kreyol_ia.ratelimit.backends import Backend, FallbackBackend, MemoryBackend, RedisBackend
from kreyol_ia.ratelimit.tiers import TIERS, Tier
from kreyol_ia.ratelimit.windows import Decision, WindowLimit

WINDOW_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


def windows_for(
    per_minute: int | None, per_hour: int | None, per_day: int | None
) -> tuple[WindowLimit, ...]:
    """The configured windows, shortest first; a None limit means no such window."""
    limits = {"minute": per_minute, "hour": per_hour, "day": per_day}
    windows = tuple(
        WindowLimit(name, WINDOW_SECONDS[name], limit)
        for name, limit in limits.items()
        if limit is not None
    )
    if not windows:
        raise ValueError("at least one of the minute, hour or day limits is needed")
    if any(w.limit < 1 for w in windows):
        raise ValueError("limits must be positive")
    return windows


def tier_windows(tier: Tier) -> tuple[WindowLimit, ...]:
    """The three windows of a tier."""
    return windows_for(tier.per_minute, tier.per_hour, tier.per_day)


def refusal(decision: Decision) -> dict[str, Any]:
    """The seed's ``retry_after`` dict: which window, seconds to wait, and when."""
    seconds = max(1, math.ceil(decision.retry_after))
    reset_at = datetime.now(UTC) + timedelta(seconds=seconds)
    return {"limit": decision.blocking, "seconds": seconds, "reset_at": reset_at.isoformat()}


def usage(decision: Decision) -> dict[str, dict[str, int]]:
    """Per window: used, limit, remaining and seconds until it frees up."""
    return {
        w.name: {
            "used": w.used,
            "limit": w.limit,
            "remaining": w.remaining,
            "reset": math.ceil(w.reset),
        }
        for w in decision.windows
    }


class RateLimiter:
    """Fixed limits per client over sliding windows (60/min by default, as in the seed)."""

    def __init__(
        self,
        requests_per_minute: int | None = 60,
        requests_per_hour: int | None = None,
        requests_per_day: int | None = None,
        backend: Backend | None = None,
        namespace: str = "limit",
    ):
        self.windows = windows_for(requests_per_minute, requests_per_hour, requests_per_day)
        self.backend = backend if backend is not None else MemoryBackend()
        self.namespace = namespace

    def _key(self, client_id: str) -> str:
        return f"{self.namespace}:{client_id}"

    def check(self, client_id: str, cost: int = 1) -> Decision:
        """Decide and charge, with every number the HTTP headers need."""
        return self.backend.hit(self._key(client_id), self.windows, max(int(cost), 1))

    def is_allowed(self, client_id: str, cost: int = 1) -> tuple[bool, dict[str, Any] | None]:
        """(True, None) when admitted; (False, {"limit", "seconds", "reset_at"}) otherwise."""
        decision = self.check(client_id, cost)
        return (True, None) if decision.allowed else (False, refusal(decision))

    def get_usage(self, client_id: str) -> dict[str, dict[str, int]]:
        """Usage of every window without charging."""
        return usage(self.backend.peek(self._key(client_id), self.windows))

    def reset(self, client_id: str) -> None:
        """Forget the client's usage."""
        self.backend.reset(self._key(client_id))


class TieredRateLimiter:
    """Limits by tier (free, basic, pro, enterprise) with the seed's numbers."""

    def __init__(
        self,
        backend: Backend | None = None,
        tiers: dict[str, Tier] | None = None,
        default_tier: str = "free",
        namespace: str = "tier",
    ):
        self.backend = backend if backend is not None else MemoryBackend()
        self.tiers = dict(tiers or TIERS)
        if default_tier not in self.tiers:
            raise ValueError(f"unknown default tier {default_tier!r}")
        self.default_tier = default_tier
        self.namespace = namespace
        self._user_tiers: dict[str, str] = {}
        self._lock = threading.Lock()

    def set_user_tier(self, user_id: str, tier: str) -> None:
        """Assign a tier (in this limiter; the API reads tiers from the accounts table)."""
        if tier not in self.tiers:
            raise ValueError(f"unknown tier {tier!r}; known: {', '.join(self.tiers)}")
        with self._lock:
            self._user_tiers[user_id] = tier

    def get_user_tier(self, user_id: str) -> str:
        """The client's tier, the default one when none was set."""
        return self._user_tiers.get(user_id, self.default_tier)

    def windows(self, tier: str) -> tuple[WindowLimit, ...]:
        """The windows of a tier."""
        return tier_windows(self.tiers[tier])

    def _key(self, client_id: str) -> str:
        return f"{self.namespace}:{client_id}"

    def check(self, client_id: str, cost: int = 1, tier: str | None = None) -> Decision:
        """Decide and charge under the client's (or the given) tier."""
        tier = tier or self.get_user_tier(client_id)
        return self.backend.hit(self._key(client_id), self.windows(tier), max(int(cost), 1))

    def is_allowed(
        self, client_id: str, cost: int = 1, tier: str | None = None
    ) -> tuple[bool, dict[str, Any] | None]:
        """The seed's answer shape, under the client's tier."""
        decision = self.check(client_id, cost, tier)
        return (True, None) if decision.allowed else (False, refusal(decision))

    def peek(self, client_id: str, tier: str | None = None) -> Decision:
        """The windows' state under a tier without charging."""
        tier = tier or self.get_user_tier(client_id)
        return self.backend.peek(self._key(client_id), self.windows(tier))

    def get_usage(self, client_id: str, tier: str | None = None) -> dict[str, dict[str, int]]:
        """Usage of every window of the client's tier without charging."""
        return usage(self.peek(client_id, tier))

    def reset(self, client_id: str) -> None:
        """Forget the client's usage."""
        self.backend.reset(self._key(client_id))


_process_limiter: TieredRateLimiter | None = None
_process_lock = threading.Lock()


def build_backend(redis_url: str | None) -> Backend:
    """Redis with a memory fallback when a URL is configured, else memory."""
    if not redis_url:
        return MemoryBackend()
    from kreyol_ia.redis_conn import connect_redis

    return FallbackBackend(RedisBackend(connect_redis(redis_url)))


def get_rate_limiter() -> TieredRateLimiter:
    """The process-wide tiered limiter, on the configured Redis when there is one."""
    global _process_limiter
    with _process_lock:
        if _process_limiter is None:
            from kreyol_ia.config import get_settings

            _process_limiter = TieredRateLimiter(build_backend(get_settings().redis_dsn))
        return _process_limiter
