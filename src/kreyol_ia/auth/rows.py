"""Database rows turned into the API's shapes, and the one rule for a credential's scopes."""

from __future__ import annotations

from datetime import timedelta

from kreyol_ia.auth import scopes as scope_rules
from kreyol_ia.auth.principal import Principal
from kreyol_ia.auth.schemas import APIKeyInfo, UserPublic
from kreyol_ia.db.clock import as_utc, utcnow
from kreyol_ia.db.models import APIKey, User

LAST_USED_RESOLUTION = timedelta(seconds=60)


def account_scopes(user: User) -> list[str]:
    """What the account may do now: stored scopes, with ``admin`` exactly when role=admin."""
    return scope_rules.for_account(user.role, user.scopes)


def public(user: User) -> UserPublic:
    """The account as users and administrators see it."""
    return UserPublic(
        username=user.username,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        tier=user.tier,
        scopes=account_scopes(user),
        disabled=user.disabled,
        created_at=as_utc(user.created_at),
        last_login=as_utc(user.last_login) if user.last_login else None,
    )


def principal(owner: User, claimed: list[str], via: str, key_id: int | None = None) -> Principal:
    """What a credential may do now: its scopes ∩ what its owner's current role and scopes allow."""
    granted = set(claimed) & set(account_scopes(owner))
    scopes = tuple(s for s in scope_rules.SCOPES if s in granted)
    return Principal(owner.username, scopes, owner.tier, owner.role, via, key_id)


def key_info(key: APIKey) -> APIKeyInfo:
    """A key as listed: never the key or its hash."""
    expired = key.expires_at is not None and as_utc(key.expires_at) <= utcnow()
    return APIKeyInfo(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        scopes=scope_rules.parse(key.scopes),
        created_at=as_utc(key.created_at),
        expires_at=as_utc(key.expires_at) if key.expires_at else None,
        last_used_at=as_utc(key.last_used_at) if key.last_used_at else None,
        revoked_at=as_utc(key.revoked_at) if key.revoked_at else None,
        active=key.is_active and key.revoked_at is None and not expired,
    )
