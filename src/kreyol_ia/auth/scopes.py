"""Scopes: what a token or key may do. The seed's read/write are accepted and mapped."""

from __future__ import annotations

from collections.abc import Iterable

SCOPES = ("translate", "documents", "keys", "admin")
USER_SCOPES = ("translate", "documents", "keys")
LEGACY = {"read": ("translate",), "write": ("translate", "documents")}


class ScopeError(ValueError):
    """An unknown scope name."""


def normalise_scopes(scopes: Iterable[str]) -> list[str]:
    """Known scopes in canonical order; ``read``/``write`` expanded; unknown names refused."""
    wanted: set[str] = set()
    for scope in scopes:
        scope = scope.strip().lower()
        if not scope:
            continue
        if scope in LEGACY:
            wanted.update(LEGACY[scope])
        elif scope in SCOPES:
            wanted.add(scope)
        else:
            raise ScopeError(f"Unknown scope {scope!r}; known scopes: {', '.join(SCOPES)}.")
    return [scope for scope in SCOPES if scope in wanted]


def parse(stored: str) -> list[str]:
    """Scopes stored as a space-separated string."""
    return [scope for scope in stored.split() if scope in SCOPES]


def dump(scopes: Iterable[str]) -> str:
    """Canonical space-separated form for storage and JWT claims."""
    return " ".join(normalise_scopes(scopes))


def for_account(role: str, stored: str) -> list[str]:
    """An account's scopes now: its stored ones without ``admin``, plus ``admin`` iff role=admin.

    The role is the only source of the admin power, so demotion removes it everywhere at once.
    """
    granted = {scope for scope in parse(stored) if scope != "admin"}
    if role == "admin":
        granted.add("admin")
    return [scope for scope in SCOPES if scope in granted]


def without_admin(scopes: Iterable[str]) -> str:
    """The storable form of an account's scopes: ``admin`` comes from the role, never from here."""
    return dump(scope for scope in scopes if scope.strip().lower() != "admin")
