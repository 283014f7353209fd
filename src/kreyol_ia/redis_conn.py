"""Redis clients with short timeouts, so a dead Redis costs milliseconds, not a hung request."""

from __future__ import annotations

import redis


def connect_redis(url: str, timeout: float = 0.5) -> redis.Redis:
    """A pooled client that fails fast and re-checks idle connections."""
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=15,
        decode_responses=False,
    )
