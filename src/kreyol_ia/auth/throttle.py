"""Failed-login throttling per username and per client IP, shared through Redis when present.

Fixed windows: after N failures a key is locked until its window ends. Redis errors fall back
to process memory, so a dead Redis weakens the limit to per-process but never fails a login.
"""

from __future__ import annotations

import logging
import threading
import time

import redis

logger = logging.getLogger(__name__)
MAX_MEMORY_KEYS = 100_000


class LoginThrottle:
    """Counts failures; ``retry_after`` says how long a username or IP stays locked."""

    def __init__(
        self,
        max_per_user: int,
        max_per_ip: int,
        window_seconds: int,
        client: redis.Redis | None = None,
        namespace: str = "kreyol:login",
    ):
        self.limits = {"user": max_per_user, "ip": max_per_ip}
        self.window = window_seconds
        self.client = client
        self.namespace = namespace
        self._lock = threading.Lock()
        self._memory: dict[str, tuple[int, float]] = {}
        self._warned = False

    def retry_after(self, username: str, ip: str) -> int:
        """Seconds until a locked username or IP may try again; 0 when neither is locked."""
        waits = [
            self._locked_for(self._key("user", username.lower()), self.limits["user"]),
            self._locked_for(self._key("ip", ip), self.limits["ip"]),
        ]
        return max(waits)

    def record_failure(self, username: str, ip: str) -> None:
        """Count one failed attempt against both the username and the IP."""
        self._increment(self._key("user", username.lower()))
        self._increment(self._key("ip", ip))

    def record_success(self, username: str) -> None:
        """A successful login clears the username's count (not the IP's)."""
        key = self._key("user", username.lower())
        if self.client is not None:
            try:
                self.client.delete(key)
            except redis.RedisError:
                self._redis_down()
        with self._lock:
            self._memory.pop(key, None)

    def _key(self, kind: str, value: str) -> str:
        return f"{self.namespace}:{kind}:{value}"

    def _increment(self, key: str) -> None:
        if self.client is not None:
            try:
                pipe = self.client.pipeline()
                pipe.incr(key)
                pipe.expire(key, self.window, nx=True)
                pipe.execute()
                return
            except redis.RedisError:
                self._redis_down()
        now = time.monotonic()
        with self._lock:
            count, expires = self._memory.get(key, (0, now + self.window))
            if expires <= now:
                count, expires = 0, now + self.window
            self._memory[key] = (count + 1, expires)
            if len(self._memory) > MAX_MEMORY_KEYS:
                self._evict(now)

    def _locked_for(self, key: str, limit: int) -> int:
        if self.client is not None:
            try:
                pipe = self.client.pipeline()
                pipe.get(key)
                pipe.ttl(key)
                count, ttl = pipe.execute()
                if count is not None and int(count) >= limit:
                    return max(int(ttl), 1)
                return 0
            except redis.RedisError:
                self._redis_down()
        now = time.monotonic()
        with self._lock:
            count, expires = self._memory.get(key, (0, now))
        if expires > now and count >= limit:
            return max(int(expires - now), 1)
        return 0

    def _evict(self, now: float) -> None:
        for key in [k for k, (_, expires) in self._memory.items() if expires <= now]:
            del self._memory[key]
        while len(self._memory) > MAX_MEMORY_KEYS:
            self._memory.pop(next(iter(self._memory)))

    def _redis_down(self) -> None:
        if not self._warned:
            logger.warning("Redis unreachable: login throttling falls back to this process")
            self._warned = True
