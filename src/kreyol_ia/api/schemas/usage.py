"""What ``/api/v1/usage`` and ``/api/v1/usage/daily`` answer: limits now, totals over time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, PlainSerializer, WithJsonSchema

# sent as before, to the second with its offset ("+00:00"), which pydantic would write as "Z"
ResetTime = Annotated[
    datetime,
    PlainSerializer(lambda value: value.isoformat(timespec="seconds"), return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


class WindowUsage(BaseModel):
    """One rate-limit window of the caller's tier, as it stands (this call is not charged)."""

    used: int = Field(examples=[12])
    limit: int = Field(examples=[600])
    remaining: int = Field(examples=[588])
    reset: int = Field(description="Seconds until the window frees up.", examples=[42])
    resets_at: ResetTime = Field(examples=["2025-01-31T14:05:42+00:00"])


class UsageTotals(BaseModel):
    requests: int = Field(examples=[31])
    characters: int = Field(examples=[5120])


class UsageOut(BaseModel):
    username: str = Field(examples=["marie"])
    tier: str = Field(examples=["free"])
    windows: dict[str, WindowUsage] = Field(
        description="By window name (minute, hour, day): only the windows the tier has."
    )
    max_request_characters: int = Field(
        description="The most characters one request may carry under this tier.",
        examples=[20000],
    )
    today: UsageTotals
    month: UsageTotals


class DayUsage(BaseModel):
    date: date
    requests: int = Field(examples=[3])
    characters: int = Field(examples=[240])


class DailyUsage(BaseModel):
    username: str = Field(examples=["marie"])
    days: list[DayUsage] = Field(description="Oldest first; days without use are zeros.")
