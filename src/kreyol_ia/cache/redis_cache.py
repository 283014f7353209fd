"""RedisCache (seed §4): JSON values with TTLs in Redis, a bounded in-process cache when it is down.

Keys live under the service's namespace; ``clear`` walks them with SCAN in batches and UNLINKs
them, never KEYS or FLUSHDB, so a shared Redis is neither blocked nor wiped.
"""

from __future__ import annotations

import fnmatch
import json
import threading
import time
from typing import Any

import redis
from cachetools import TLRUCache
from prometheus_client import Counter

from kreyol_ia.circuit import RedisCircuit

FALLBACKS = Counter(
    "kreyol_cache_fallbacks_total", "Times the cache fell back from Redis to memory"
)
SCAN_BATCH = 500


def _expires(_key: str, value: tuple[str, float], now: float) -> float:
    return now + value[1]


def _dumps(value: Any) -> str:
    """Compact UTF-8 JSON; \\u escapes when the value holds text UTF-8 cannot carry."""
    payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        payload.encode()
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"))
    return payload


class RedisCache:
    """Get/set JSON values; Redis when reachable, a TTL/LRU dictionary otherwise."""

    def __init__(
        self,
        host: str = "localhost",
        port: int = 6379,
        db: int = 0,
        password: str | None = None,
        default_ttl: int = 86400,
        url: str | None = None,
        namespace: str = "kreyol:cache",
        client: redis.Redis | None = None,
        use_redis: bool = True,
        fallback_size: int = 10_000,
        retry_seconds: float = 5.0,
    ):
        if client is None and use_redis:
            options: dict[str, Any] = {
                "socket_timeout": 0.5,
                "socket_connect_timeout": 0.5,
                "health_check_interval": 15,
            }
            client = (
                redis.Redis.from_url(url, **options)
                if url
                else redis.Redis(host=host, port=port, db=db, password=password, **options)
            )
        self.client = client
        self.default_ttl = default_ttl
        self.namespace = namespace
        self.circuit = RedisCircuit("the cache", FALLBACKS, retry_seconds)
        self._memory: TLRUCache[str, tuple[str, float]] = TLRUCache(
            maxsize=fallback_size, ttu=_expires, timer=time.monotonic
        )
        self._lock = threading.Lock()
        self._counts = {"hits": 0, "misses": 0, "errors": 0}

    @property
    def backend(self) -> str:
        """``redis`` or ``memory``: where reads and writes go right now."""
        return "redis" if self.client is not None and not self.circuit.open else "memory"

    def namespaced(self, key: str) -> str:
        """The Redis key for a cache key (the service's namespace prefixed)."""
        return f"{self.namespace}:{key}"

    def _redis(self) -> redis.Redis | None:
        return self.client if self.backend == "redis" else None

    def _failed(self) -> None:
        self._count("errors")
        self.circuit.failed()

    def _count(self, name: str) -> None:
        with self._lock:
            self._counts[name] += 1

    def get(self, key: str) -> Any | None:
        """The stored value, or None on a miss."""
        raw = None
        client = self._redis()
        if client is not None:
            try:
                raw = client.get(self.namespaced(key))
                self.circuit.succeeded()
            except redis.RedisError:
                self._failed()
        if raw is None:
            with self._lock:
                entry = self._memory.get(key)
            raw = entry[0] if entry is not None else None
        self._count("hits" if raw is not None else "misses")
        return json.loads(raw) if raw is not None else None

    def set(self, key: str, value: Any, ttl: int | None = None) -> bool:
        """Store a JSON-serialisable value for ``ttl`` seconds (the default TTL otherwise)."""
        ttl = int(ttl or self.default_ttl)
        payload = _dumps(value)
        client = self._redis()
        if client is not None:
            try:
                client.set(self.namespaced(key), payload, ex=ttl)
                self.circuit.succeeded()
                with self._lock:
                    self._memory.pop(key, None)
                return True
            except redis.RedisError:
                self._failed()
        with self._lock:
            self._memory[key] = (payload, float(ttl))
        return True

    def delete(self, key: str) -> bool:
        """Remove a key from Redis and memory; True when something was removed."""
        removed = False
        client = self._redis()
        if client is not None:
            try:
                removed = bool(client.delete(self.namespaced(key)))
            except redis.RedisError:
                self._failed()
        with self._lock:
            removed = self._memory.pop(key, None) is not None or removed
        return removed

    def exists(self, key: str) -> bool:
        """Whether a live value is stored."""
        client = self._redis()
        if client is not None:
            try:
                if client.exists(self.namespaced(key)):
                    return True
            except redis.RedisError:
                self._failed()
        with self._lock:
            return key in self._memory

    def clear(self, pattern: str = "*") -> int:
        """Delete this service's keys matching ``pattern`` (SCAN in batches, UNLINK)."""
        removed = 0
        client = self._redis()
        if client is not None:
            try:
                batch: list[bytes] = []
                for found in client.scan_iter(match=self.namespaced(pattern), count=SCAN_BATCH):
                    batch.append(found)
                    if len(batch) >= SCAN_BATCH:
                        removed += client.unlink(*batch)
                        batch = []
                if batch:
                    removed += client.unlink(*batch)
            except redis.RedisError:
                self._failed()
        with self._lock:
            stale = [k for k in list(self._memory.keys()) if fnmatch.fnmatchcase(k, pattern)]
            for key in stale:
                self._memory.pop(key, None)
        return removed + len(stale)

    def stats(self) -> dict[str, Any]:
        """Hits, misses, hit rate, errors, the backend in use and in-memory entries."""
        with self._lock:
            counts = dict(self._counts)
            memory_items = len(self._memory)
        lookups = counts["hits"] + counts["misses"]
        return {
            **counts,
            "hit_rate": round(counts["hits"] / lookups, 4) if lookups else 0.0,
            "backend": self.backend,
            "memory_items": memory_items,
        }

    def ping(self) -> bool:
        """Whether Redis answers right now."""
        if self.client is None:
            return False
        try:
            return bool(self.client.ping())
        except redis.RedisError:
            return False
