"""Rate limiting: the seed's §2 API over sliding windows in memory or Redis."""

from kreyol_ia.ratelimit.backends import FallbackBackend, MemoryBackend, RedisBackend
from kreyol_ia.ratelimit.limiter import RateLimiter, TieredRateLimiter, get_rate_limiter
from kreyol_ia.ratelimit.tiers import TIERS, Tier
from kreyol_ia.ratelimit.windows import Decision, WindowLimit, WindowState

__all__ = [
    "TIERS",
    "Decision",
    "FallbackBackend",
    "MemoryBackend",
    "RateLimiter",
    "RedisBackend",
    "Tier",
    "TieredRateLimiter",
    "WindowLimit",
    "WindowState",
    "get_rate_limiter",
]
