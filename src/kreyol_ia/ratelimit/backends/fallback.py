"""Redis first, process memory when Redis fails: limits never turn a request into a 5xx.

After a failure Redis is left alone for ``retry_seconds``, then tried again; the switch in
either direction is logged once and counted in metrics.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

import redis
from prometheus_client import Counter

from kreyol_ia.ratelimit.backends.memory import MemoryBackend
from kreyol_ia.ratelimit.backends.redis import RedisBackend
from kreyol_ia.ratelimit.windows import Decision, WindowLimit

logger = logging.getLogger(__name__)
FALLBACKS = Counter(
    "kreyol_ratelimit_fallbacks_total", "Times the rate limiter fell back from Redis to memory"
)


class FallbackBackend:
    """Uses ``primary`` while it answers and ``secondary`` while it does not."""

    def __init__(
        self,
        primary: RedisBackend,
        secondary: MemoryBackend | None = None,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.primary = primary
        self.secondary = secondary or MemoryBackend()
        self.retry_seconds = retry_seconds
        self.clock = clock
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.secondary.name if self.degraded else self.primary.name

    @property
    def degraded(self) -> bool:
        return self.clock() < self._down_until

    def hit(self, key: str, windows: Sequence[WindowLimit], cost: int) -> Decision:
        return self._call(lambda backend: backend.hit(key, windows, cost))

    def peek(self, key: str, windows: Sequence[WindowLimit]) -> Decision:
        return self._call(lambda backend: backend.peek(key, windows))

    def reset(self, key: str) -> None:
        self.secondary.reset(key)
        self._call(lambda backend: backend.reset(key))

    def _call(self, action: Callable[[RedisBackend | MemoryBackend], object]):  # type: ignore[no-untyped-def]
        if not self.degraded:
            try:
                result = action(self.primary)
            except redis.RedisError:
                self._mark_down()
            else:
                self._mark_up()
                return result
        return action(self.secondary)

    def _mark_down(self) -> None:
        with self._lock:
            if self._down_until == 0.0:
                logger.warning("Redis unreachable: rate limits are enforced per process")
                FALLBACKS.inc()
            self._down_until = self.clock() + self.retry_seconds

    def _mark_up(self) -> None:
        with self._lock:
            if self._down_until != 0.0:
                logger.warning("Redis is back: rate limits are shared again")
                self._down_until = 0.0
