"""Redis clients with short timeouts, so a dead Redis costs milliseconds, not a hung request."""

from __future__ import annotations

import logging

import redis

logger = logging.getLogger(__name__)


def connect_redis(url: str, timeout: float = 0.5) -> redis.Redis:
    """A pooled client that fails fast and re-checks idle connections."""
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=15,
        decode_responses=False,
    )


def check_eviction_policy(client: redis.Redis) -> str | None:
    """Warn unless the state Redis is ``noeviction``: other policies may drop limits and lockouts.

    ``volatile-*`` is not safe either, since every limiter and throttle key has a TTL. Returns the
    policy, or None when ``CONFIG GET`` is disabled or renamed (logged as unchecked).
    """
    try:
        reply = client.config_get("maxmemory-policy")
    except redis.RedisError as exc:
        logger.info("could not check the Redis maxmemory-policy (%s)", type(exc).__name__)
        return None
    raw = reply.get("maxmemory-policy", reply.get(b"maxmemory-policy"))
    policy = raw.decode() if isinstance(raw, bytes) else raw
    if policy is None:
        logger.info("could not check the Redis maxmemory-policy (no answer)")
    elif policy != "noeviction":
        logger.warning(
            "the Redis holding rate limits and sign-in lockouts uses maxmemory-policy=%s: "
            "it can evict that state; use noeviction there (KREYOL_REDIS_URL) and put the cache "
            "on its own Redis (KREYOL_CACHE_REDIS_URL), see docs/SCALING.md",
            policy,
        )
    return policy
