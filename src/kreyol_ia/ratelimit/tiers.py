"""The seed's tiers: requests per minute, hour and day."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Tier:
    """Limits of one tier for the three windows."""

    name: str
    per_minute: int
    per_hour: int
    per_day: int


TIERS: dict[str, Tier] = {
    "free": Tier("free", 10, 100, 1000),
    "basic": Tier("basic", 30, 500, 5000),
    "pro": Tier("pro", 60, 2000, 20000),
    "enterprise": Tier("enterprise", 200, 10000, 100000),
}
