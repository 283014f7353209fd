"""Sliding windows kept as fixed-size buckets, and the decision every backend must reproduce.

Each window (minute, hour, day) is split into ``BUCKETS`` buckets; a request is counted in the
current bucket, and a window's usage is the sum of the buckets younger than the window. Memory
per client is therefore bounded (at most ``BUCKETS`` counters per window) whatever the traffic,
and the window slides with a granularity of one bucket (1 s, 1 min, 24 min).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

BUCKETS = 60


@dataclass(frozen=True, slots=True)
class WindowLimit:
    """A window's name, length in seconds and how many cost units it admits."""

    name: str
    seconds: int
    limit: int

    @property
    def width(self) -> float:
        return self.seconds / BUCKETS


@dataclass(frozen=True, slots=True)
class WindowState:
    """One window after a decision: usage, remaining units and when it frees up."""

    name: str
    seconds: int
    limit: int
    used: int
    remaining: int
    reset: float
    retry_after: float


@dataclass(frozen=True, slots=True)
class Decision:
    """Admitted or not, the state of every window, and which window refused."""

    allowed: bool
    windows: tuple[WindowState, ...]
    blocking: str | None = None

    @property
    def retry_after(self) -> float:
        """Seconds until the refused request would fit in every window."""
        return max((w.retry_after for w in self.windows), default=0.0)

    @property
    def tightest(self) -> WindowState:
        """The window with the fewest remaining units (what the RateLimit headers report)."""
        if self.blocking is not None:
            return next(w for w in self.windows if w.name == self.blocking)
        return min(self.windows, key=lambda w: (w.remaining, w.seconds))


def bucket_id(now: float, window: WindowLimit) -> int:
    """Index of the bucket ``now`` falls in."""
    return math.floor(now / window.width)


def evaluate(
    buckets: Mapping[int, int], window: WindowLimit, now: float, cost: int
) -> tuple[int, float, float]:
    """(used, reset, retry_after) of one window given its live buckets."""
    current = bucket_id(now, window)
    oldest_live = current - BUCKETS + 1
    live = sorted((i, c) for i, c in buckets.items() if i >= oldest_live)
    used = sum(c for _, c in live)
    reset = (live[0][0] + BUCKETS) * window.width - now if live else 0.0
    retry = 0.0
    if used + cost > window.limit:
        freed = 0
        retry = window.seconds
        for index, count in live:
            freed += count
            if used - freed + cost <= window.limit:
                retry = (index + BUCKETS) * window.width - now
                break
    return used, max(reset, 0.0), max(retry, 0.0)


def decide(
    per_window: Sequence[Mapping[int, int]], windows: Sequence[WindowLimit], now: float, cost: int
) -> Decision:
    """All windows must admit the whole cost; otherwise nothing is charged."""
    states = []
    blocking = None
    for buckets, window in zip(per_window, windows, strict=True):
        used, reset, retry = evaluate(buckets, window, now, cost)
        if used + cost > window.limit and blocking is None:
            blocking = window.name
        states.append((window, used, reset, retry))
    allowed = blocking is None
    result = []
    for window, used, reset, retry in states:
        after = used + cost if allowed else used
        if allowed and reset == 0.0:
            reset = window.width * BUCKETS
        result.append(
            WindowState(
                window.name,
                window.seconds,
                window.limit,
                after,
                max(window.limit - after, 0),
                reset,
                retry if not allowed else 0.0,
            )
        )
    return Decision(allowed, tuple(result), blocking)
