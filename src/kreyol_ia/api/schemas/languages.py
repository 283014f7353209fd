"""A language and a direction, as every route listing them answers them."""

from __future__ import annotations

from pydantic import BaseModel, Field


class LanguageOut(BaseModel):
    code: str = Field(examples=["ht"])
    name: str = Field(examples=["Kreyòl ayisyen"])


class PairOut(BaseModel):
    source: str = Field(examples=["en"])
    target: str = Field(examples=["ht"])
