"""Pydantic shapes of the seed's auth API: users, keys, tokens."""

from __future__ import annotations

import unicodedata
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

USERNAME_PATTERN = r"^[A-Za-z0-9_.-]{3,64}$"


class UserCreate(BaseModel):
    """A new account, as the seed's ``UserManager.create_user`` takes it."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(pattern=USERNAME_PATTERN, examples=["marie"])
    email: EmailStr = Field(examples=["marie@clinic.example.org"])
    password: str = Field(
        min_length=1, max_length=128, repr=False, examples=["kafe cho ak pen nan maten"]
    )
    full_name: str | None = Field(default=None, max_length=200, examples=["Marie Jean-Baptiste"])

    @field_validator("username")
    @classmethod
    def _lowercase(cls, value: str) -> str:
        """One account per name whatever the case: Alice and alice are the same person."""
        return value.lower()

    @field_validator("full_name")
    @classmethod
    def _printable(cls, value: str | None) -> str | None:
        """Control characters (NUL included) cannot be stored everywhere: refuse them here."""
        if value is not None and any(unicodedata.category(c) == "Cc" for c in value):
            raise ValueError("control characters are not allowed")
        return value


class UserPublic(BaseModel):
    """What a user may see about an account; never the password hash."""

    model_config = ConfigDict(from_attributes=True)

    username: str
    email: str
    full_name: str | None
    role: str
    tier: str
    scopes: list[str]
    disabled: bool
    created_at: datetime
    last_login: datetime | None


class APIKeyCreate(BaseModel):
    """The seed's key request, plus scopes (a subset of the owner's; all of them if omitted).

    An empty list is refused, never read as "everything"; no lifetime means the server maximum.
    """

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, examples=["clinic-reception-laptop"])
    expires_in_days: int | None = Field(default=30, ge=1, le=3650, examples=[90])
    scopes: list[str] | None = Field(
        default=None, min_length=1, max_length=16, examples=[["translate", "documents"]]
    )


class APIKeyInfo(BaseModel):
    """A key as listed: its display prefix, never the key or its hash."""

    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool


class APIKeyCreated(APIKeyInfo):
    """Returned once, at creation: the only time the key itself is shown."""

    key: str


class Token(BaseModel):
    """The seed's token pair."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class TokenData(BaseModel):
    """What a verified access token says."""

    username: str
    scopes: list[str] = Field(default_factory=list)
