"""Rate-limit storages: memory, Redis, and Redis with a memory fallback."""

from kreyol_ia.ratelimit.backends.base import Backend
from kreyol_ia.ratelimit.backends.fallback import FallbackBackend
from kreyol_ia.ratelimit.backends.memory import MemoryBackend
from kreyol_ia.ratelimit.backends.redis import RedisBackend

__all__ = ["Backend", "FallbackBackend", "MemoryBackend", "RedisBackend"]
