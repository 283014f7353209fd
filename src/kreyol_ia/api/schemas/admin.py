"""What the admin cache and import routes answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class CacheStats(BaseModel):
    """This process's counters since it started, and where the cache lives right now."""

    hits: int = Field(examples=[120])
    misses: int = Field(examples=[30])
    errors: int = Field(examples=[0])
    hit_rate: float = Field(ge=0, le=1, examples=[0.8])
    backend: Literal["redis", "memory"] = Field(examples=["memory"])
    memory_items: int = Field(examples=[42])


class CacheCleared(BaseModel):
    removed: int = Field(description="Cached translations removed.", examples=[42])


class ImportProblem(BaseModel):
    where: str = Field(examples=["line 3"])
    message: str = Field(examples=["expected 2 columns, found 1"])


class ImportReport(BaseModel):
    kind: Literal["tm", "glossary"] = Field(examples=["tm"])
    stored: int = Field(examples=[120])
    rejected: int = Field(description="Every row refused, listed or not.", examples=[2])
    problems: list[ImportProblem] = Field(description="The first 1000 refused rows.")
