"""API keys: creation (capped, bounded lifetime), listing, revocation and authentication.

A key minted with another key records its parent, never gets the ``keys`` scope (chains stay
one deep), never outlives its parent and stops working the moment the parent is revoked: the
lookup that authenticates a key reads its parent in the same query.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, aliased

from kreyol_ia.auth import api_keys
from kreyol_ia.auth import scopes as scope_rules
from kreyol_ia.auth.errors import InvalidKeyRequest, NotFound, ScopeNotAllowed, TooManyKeys
from kreyol_ia.auth.principal import Principal
from kreyol_ia.auth.rows import LAST_USED_RESOLUTION, account_scopes, key_info, principal
from kreyol_ia.auth.schemas import APIKeyCreate, APIKeyCreated, APIKeyInfo
from kreyol_ia.config import Settings
from kreyol_ia.db import APIKey, DatabaseManager, User
from kreyol_ia.db.clock import as_utc, utcnow
from kreyol_ia.retry import retry_on_database_error


def lock_user(session: Session, username: str) -> bool:
    """Take the account row's write lock (PostgreSQL row lock, SQLite write lock) until commit.

    Serialises check-then-insert sequences per account (the key cap) on both databases; False
    when there is no such account.
    """
    return (
        session.execute(
            update(User)
            .where(User.username == username)
            .values(token_version=User.token_version)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def _usable(key: APIKey | None) -> bool:
    if key is None or not key.is_active or key.revoked_at is not None:
        return False
    return key.expires_at is None or as_utc(key.expires_at) > utcnow()


class KeyMixin:
    """The API-key half of ``UserManager``."""

    db: DatabaseManager
    settings: Settings
    _pepper: bytes

    def create_api_key(
        self,
        username: str,
        request: APIKeyCreate,
        allowed: list[str] | None = None,
        parent_key_id: int | None = None,
    ) -> APIKeyCreated:
        """A key with a subset of the owner's scopes (and of ``allowed``, the caller's).

        ``parent_key_id`` is the key the request came with, if any. No lifetime means the
        server's maximum (``KREYOL_API_KEY_MAX_DAYS``); at most ``KREYOL_MAX_KEYS_PER_USER``
        live keys per account.
        """
        username = username.lower()
        max_days = self.settings.api_key_max_days
        days = request.expires_in_days or max_days
        if days > max_days:
            raise InvalidKeyRequest(f"A key may live at most {max_days} days.")
        key = api_keys.generate_api_key()
        now = utcnow()
        with self.db.session() as session:
            owner = session.get(User, username) if lock_user(session, username) else None
            if owner is None:
                raise NotFound("No such user.")
            ceiling = set(account_scopes(owner)) & set(
                allowed if allowed is not None else account_scopes(owner)
            )
            expires = now + timedelta(days=days)
            if parent_key_id is not None:
                parent = session.get(APIKey, parent_key_id)
                if not _usable(parent) or parent.username != username:
                    raise NotFound("The key this request came with is no longer valid.")
                ceiling.discard("keys")
                if parent.expires_at is not None:
                    expires = min(expires, as_utc(parent.expires_at))
            try:
                wanted = scope_rules.normalise_scopes(
                    request.scopes if request.scopes is not None else sorted(ceiling)
                )
            except scope_rules.ScopeError as exc:
                raise ScopeNotAllowed(str(exc)) from exc
            if not wanted:
                raise InvalidKeyRequest("A key needs at least one scope.")
            if not set(wanted) <= ceiling:
                extra = ", ".join(sorted(set(wanted) - ceiling))
                raise ScopeNotAllowed(f"A key cannot have scopes its creator lacks: {extra}.")
            self._check_key_cap(session, username, now)
            row = APIKey(
                username=username,
                name=request.name,
                hashed_key=api_keys.hash_api_key(key, self._pepper),
                prefix=api_keys.display_prefix(key),
                scopes=scope_rules.dump(wanted),
                expires_at=expires,
                parent_key_id=parent_key_id,
            )
            session.add(row)
            session.flush()
            info = key_info(row)
        return APIKeyCreated(**info.model_dump(), key=key)

    def _check_key_cap(self, session: Session, username: str, now: object) -> None:
        live = session.scalar(
            select(func.count())
            .select_from(APIKey)
            .where(
                APIKey.username == username,
                APIKey.revoked_at.is_(None),
                APIKey.is_active.is_(True),
                or_(APIKey.expires_at.is_(None), APIKey.expires_at > now),
            )
        )
        cap = self.settings.max_keys_per_user
        if (live or 0) >= cap:
            raise TooManyKeys(f"An account may hold at most {cap} live keys; revoke one first.")

    @retry_on_database_error()
    def list_api_keys(self, username: str) -> list[APIKeyInfo]:
        """The user's keys, newest first (display prefixes only)."""
        with self.db.session() as session:
            rows = session.scalars(
                select(APIKey).where(APIKey.username == username.lower()).order_by(APIKey.id.desc())
            )
            return [key_info(row) for row in rows]

    @retry_on_database_error()
    def revoke_api_key(self, key_id: int, username: str | None = None) -> bool:
        """Revoke a key and the keys it minted; with ``username`` only one of that user's."""
        with self.db.session() as session:
            row = session.get(APIKey, key_id)
            if row is None or (username is not None and row.username != username.lower()):
                return False
            now = utcnow()
            session.execute(
                update(APIKey)
                .where(
                    or_(APIKey.id == key_id, APIKey.parent_key_id == key_id),
                    APIKey.revoked_at.is_(None),
                )
                .values(revoked_at=now, is_active=False)
                .execution_options(synchronize_session=False)
            )
            return True

    @retry_on_database_error()
    def authenticate_api_key(self, key: str) -> Principal | None:
        """The principal for a live key (and live parent) of an enabled user; None otherwise."""
        if not api_keys.looks_like_api_key(key):
            return None
        hashed = api_keys.hash_api_key(key, self._pepper)
        parent = aliased(APIKey)
        now = utcnow()
        with self.db.session() as session:
            found = session.execute(
                select(APIKey, User, parent)
                .join(User, User.username == APIKey.username)
                .outerjoin(parent, parent.id == APIKey.parent_key_id)
                .where(APIKey.hashed_key == hashed)
            ).first()
            if found is None:
                return None
            row, owner, parent_row = found
            if not hmac.compare_digest(row.hashed_key, hashed) or not _usable(row):
                return None
            if row.parent_key_id is not None and not _usable(parent_row):
                return None
            if owner.disabled:
                return None
            if row.last_used_at is None or now - as_utc(row.last_used_at) > LAST_USED_RESOLUTION:
                row.last_used_at = now
            return principal(owner, scope_rules.parse(row.scopes), "api_key", row.id)
