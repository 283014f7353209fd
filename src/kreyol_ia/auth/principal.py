"""Who is calling: a user through an access token or one of their API keys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller with the scopes this credential grants."""

    username: str
    scopes: tuple[str, ...]
    tier: str
    role: str
    via: str
    key_id: int | None = None

    def has(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def rate_key(self) -> str:
        """The rate-limit identity: the user, whichever credential they use."""
        return f"user:{self.username}"
