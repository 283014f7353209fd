"""A circuit breaker for Redis: after a failure, leave it alone for a while, then try again.

Used by the rate limiter and the cache, which both fall back to process memory; each switch is
logged once per incident and counted in the component's Prometheus counter.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from prometheus_client import Counter

logger = logging.getLogger(__name__)


class RedisCircuit:
    """Open (use memory) for ``retry_seconds`` after a Redis error, closed otherwise."""

    def __init__(
        self,
        component: str,
        incidents: Counter,
        retry_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.component = component
        self.incidents = incidents
        self.retry_seconds = retry_seconds
        self.clock = clock
        self._down_until = 0.0
        self._lock = threading.Lock()

    @property
    def open(self) -> bool:
        """True while Redis should not be tried."""
        return self.clock() < self._down_until

    def failed(self) -> None:
        """Record a Redis failure: open the circuit, logging and counting a new incident once."""
        with self._lock:
            if self._down_until == 0.0:
                logger.warning("Redis unreachable: %s falls back to process memory", self.component)
                self.incidents.inc()
            self._down_until = self.clock() + self.retry_seconds

    def succeeded(self) -> None:
        """Record a Redis success: close the circuit, logging the recovery once."""
        if self._down_until == 0.0:
            return
        with self._lock:
            if self._down_until != 0.0:
                logger.warning("Redis is back: %s uses it again", self.component)
                self._down_until = 0.0
