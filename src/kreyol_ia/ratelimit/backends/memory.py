"""In-process storage: exact within one process, bounded in memory, idle clients expire."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from kreyol_ia.ratelimit.windows import BUCKETS, Decision, WindowLimit, bucket_id, decide

MAX_CLIENTS = 100_000


class MemoryBackend:
    """Per-client bucket maps in an LRU; one lock makes check-and-charge atomic."""

    name = "memory"

    def __init__(self, max_clients: int = MAX_CLIENTS, clock: Callable[[], float] = time.time):
        self.max_clients = max_clients
        self.clock = clock
        self._lock = threading.Lock()
        self._clients: OrderedDict[str, dict[str, dict[int, int]]] = OrderedDict()
        self._idle_at: dict[str, float] = {}

    def hit(self, key: str, windows: Sequence[WindowLimit], cost: int) -> Decision:
        return self._apply(key, windows, cost, charge=True)

    def peek(self, key: str, windows: Sequence[WindowLimit]) -> Decision:
        return self._apply(key, windows, 0, charge=False)

    def reset(self, key: str) -> None:
        with self._lock:
            self._forget(key)

    def __len__(self) -> int:
        return len(self._clients)

    def _apply(self, key: str, windows: Sequence[WindowLimit], cost: int, charge: bool) -> Decision:
        now = self.clock()
        with self._lock:
            self._sweep(now)
            state = self._clients.get(key, {})
            buckets = [self._prune(state.setdefault(w.name, {}), w, now) for w in windows]
            decision = decide(buckets, windows, now, cost)
            if charge and decision.allowed:
                for window, counts in zip(windows, buckets, strict=True):
                    current = bucket_id(now, window)
                    counts[current] = counts.get(current, 0) + cost
            if any(state.values()):
                self._clients[key] = state
                self._clients.move_to_end(key)
                self._idle_at[key] = now + max(w.seconds for w in windows)
                while len(self._clients) > self.max_clients:
                    self._forget(next(iter(self._clients)))
            else:
                self._forget(key)
            return decision

    def _sweep(self, now: float) -> None:
        """Drop clients whose every bucket has expired, from the least recently used end."""
        while self._clients:
            oldest = next(iter(self._clients))
            if self._idle_at.get(oldest, now) > now:
                return
            self._forget(oldest)

    def _forget(self, key: str) -> None:
        self._clients.pop(key, None)
        self._idle_at.pop(key, None)

    @staticmethod
    def _prune(counts: dict[int, int], window: WindowLimit, now: float) -> dict[int, int]:
        oldest_live = bucket_id(now, window) - BUCKETS + 1
        for index in [i for i in counts if i < oldest_live]:
            del counts[index]
        return counts
