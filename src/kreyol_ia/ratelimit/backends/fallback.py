"""Redis first, process memory when Redis fails: limits never turn a request into a 5xx."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

import redis
from prometheus_client import Counter

from kreyol_ia.circuit import RedisCircuit
from kreyol_ia.ratelimit.backends.memory import MemoryBackend
from kreyol_ia.ratelimit.backends.redis import RedisBackend
from kreyol_ia.ratelimit.windows import Decision, WindowLimit

T = TypeVar("T")
FALLBACKS = Counter(
    "kreyol_ratelimit_fallbacks_total", "Times the rate limiter fell back from Redis to memory"
)


class FallbackBackend:
    """Uses ``primary`` while it answers and ``secondary`` for ``retry_seconds`` after it fails."""

    def __init__(
        self,
        primary: RedisBackend,
        secondary: MemoryBackend | None = None,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.primary = primary
        self.secondary = secondary if secondary is not None else MemoryBackend()
        self.circuit = RedisCircuit("rate limiting", FALLBACKS, retry_seconds, clock)

    @property
    def name(self) -> str:
        return self.secondary.name if self.degraded else self.primary.name

    @property
    def degraded(self) -> bool:
        return self.circuit.open

    def hit(self, key: str, windows: Sequence[WindowLimit], cost: int) -> Decision:
        return self._call(lambda backend: backend.hit(key, windows, cost))

    def peek(self, key: str, windows: Sequence[WindowLimit]) -> Decision:
        return self._call(lambda backend: backend.peek(key, windows))

    def reset(self, key: str) -> None:
        self.secondary.reset(key)
        self._call(lambda backend: backend.reset(key))

    def _call(self, action: Callable[[RedisBackend | MemoryBackend], T]) -> T:
        if not self.circuit.open:
            try:
                result = action(self.primary)
            except redis.RedisError:
                self.circuit.failed()
            else:
                self.circuit.succeeded()
                return result
        return action(self.secondary)
