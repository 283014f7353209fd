"""UserManager: the seed's account API over the database, with rotation and revocation."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError

from kreyol_ia.auth import api_keys, passwords
from kreyol_ia.auth import scopes as scope_rules
from kreyol_ia.auth.errors import (
    AccountExists,
    InvalidRefreshToken,
    NotFound,
    RegistrationClosed,
    ScopeNotAllowed,
    WeakPassword,
)
from kreyol_ia.auth.principal import Principal
from kreyol_ia.auth.schemas import (
    APIKeyCreate,
    APIKeyCreated,
    APIKeyInfo,
    Token,
    UserCreate,
    UserPublic,
)
from kreyol_ia.auth.tokens import InvalidToken, TokenCodec
from kreyol_ia.config import Settings
from kreyol_ia.db import APIKey, DatabaseManager, Invite, RefreshToken, User
from kreyol_ia.db.clock import as_utc, utcnow
from kreyol_ia.retry import retry_on_database_error

LAST_USED_RESOLUTION = timedelta(seconds=60)


def _public(user: User) -> UserPublic:
    return UserPublic(
        username=user.username,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        tier=user.tier,
        scopes=scope_rules.parse(user.scopes),
        disabled=user.disabled,
        created_at=as_utc(user.created_at),
        last_login=as_utc(user.last_login) if user.last_login else None,
    )


def _principal(owner: User, claimed: list[str], via: str, key_id: int | None = None) -> Principal:
    """What a credential may do now: its scopes, never more than its owner's current ones."""
    granted = set(claimed) & set(scope_rules.parse(owner.scopes))
    scopes = tuple(s for s in scope_rules.SCOPES if s in granted)
    return Principal(owner.username, scopes, owner.tier, owner.role, via, key_id)


def _key_info(key: APIKey) -> APIKeyInfo:
    now = utcnow()
    expired = key.expires_at is not None and as_utc(key.expires_at) <= now
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


class UserManager:
    """Accounts, passwords, API keys and refresh tokens; every check reads the database."""

    def __init__(self, db: DatabaseManager, settings: Settings | None = None):
        self.db = db
        self.settings = settings or db.settings
        self.codec = TokenCodec(self.settings)
        self._pepper = self.settings.resolved_api_key_pepper()

    # accounts

    def create_user(
        self,
        user: UserCreate,
        role: str = "user",
        scopes: list[str] | None = None,
        tier: str = "free",
    ) -> UserPublic:
        """A new account; duplicate username or e-mail → AccountExists, weak password → error."""
        try:
            passwords.check_password_policy(
                user.password, user.username, self.settings.password_min_length
            )
        except passwords.PasswordPolicyError as exc:
            raise WeakPassword(str(exc)) from exc
        granted = scopes or list(scope_rules.USER_SCOPES)
        if role == "admin" and "admin" not in granted:
            granted = [*granted, "admin"]
        row = User(
            username=user.username,
            email=str(user.email).lower(),
            full_name=user.full_name,
            hashed_password=passwords.get_password_hash(user.password),
            role=role,
            tier=tier,
            scopes=scope_rules.dump(granted),
        )
        try:
            with self.db.session() as session:
                session.add(row)
        except IntegrityError as exc:
            raise AccountExists("An account with this username or e-mail already exists.") from exc
        return _public(row)

    @retry_on_database_error()
    def get_user(self, username: str) -> UserPublic | None:
        """The account, or None (names are case-insensitive)."""
        with self.db.session() as session:
            row = session.get(User, username.lower())
            return _public(row) if row is not None else None

    @retry_on_database_error()
    def list_users(self, limit: int = 50, offset: int = 0) -> list[UserPublic]:
        """Accounts by name."""
        with self.db.session() as session:
            rows = session.scalars(select(User).order_by(User.username).limit(limit).offset(offset))
            return [_public(row) for row in rows]

    @retry_on_database_error()
    def authenticate_user(self, username: str, password: str) -> UserPublic | None:
        """The user when the password is right and the account enabled, else None.

        Unknown users cost the same hash check as known ones; bcrypt hashes are re-hashed to
        argon2id on success.
        """
        with self.db.session() as session:
            row = session.get(User, username.lower())
            if row is None:
                passwords.burn_dummy_check(password)
                return None
            valid, new_hash = passwords.verify_and_upgrade(password, row.hashed_password)
            if not valid or row.disabled:
                return None
            if new_hash is not None:
                row.hashed_password = new_hash
            row.last_login = utcnow()
            return _public(row)

    @retry_on_database_error()
    def update_user(
        self,
        username: str,
        *,
        disabled: bool | None = None,
        tier: str | None = None,
        scopes: list[str] | None = None,
        role: str | None = None,
    ) -> UserPublic:
        """Admin changes; disabling an account also revokes its refresh tokens."""
        with self.db.session() as session:
            row = session.get(User, username)
            if row is None:
                raise NotFound("No such user.")
            if disabled is not None:
                row.disabled = disabled
            if tier is not None:
                row.tier = tier
            if role is not None:
                row.role = role
            if scopes is not None:
                row.scopes = scope_rules.dump(scopes)
            if row.role == "admin" and "admin" not in scope_rules.parse(row.scopes):
                row.scopes = scope_rules.dump([*scope_rules.parse(row.scopes), "admin"])
            result = _public(row)
        if disabled:
            self.revoke_all_refresh_tokens(username)
        return result

    def change_password(self, username: str, current: str, new: str) -> None:
        """Check the current password, apply the policy, and end every session (refresh)."""
        with self.db.session() as session:
            row = session.get(User, username)
            if row is None or not passwords.verify_password(current, row.hashed_password):
                raise WeakPassword("The current password is not correct.")
        self.set_password(username, new)

    def set_password(self, username: str, new: str) -> None:
        """Set a password (CLI and admin) and revoke the user's refresh tokens."""
        try:
            passwords.check_password_policy(new, username, self.settings.password_min_length)
        except passwords.PasswordPolicyError as exc:
            raise WeakPassword(str(exc)) from exc
        with self.db.session() as session:
            row = session.get(User, username)
            if row is None:
                raise NotFound("No such user.")
            row.hashed_password = passwords.get_password_hash(new)
        self.revoke_all_refresh_tokens(username)

    # API keys

    def create_api_key(
        self, username: str, request: APIKeyCreate, allowed: list[str] | None = None
    ) -> APIKeyCreated:
        """A key with a subset of the owner's scopes (and of ``allowed``, the caller's)."""
        user = self.get_user(username)
        if user is None:
            raise NotFound("No such user.")
        ceiling = set(user.scopes) & set(allowed if allowed is not None else user.scopes)
        try:
            wanted = scope_rules.normalise_scopes(request.scopes or sorted(ceiling))
        except scope_rules.ScopeError as exc:
            raise ScopeNotAllowed(str(exc)) from exc
        if not set(wanted) <= ceiling:
            extra = ", ".join(sorted(set(wanted) - ceiling))
            raise ScopeNotAllowed(f"A key cannot have scopes its creator lacks: {extra}.")
        key = api_keys.generate_api_key()
        expires = (
            utcnow() + timedelta(days=request.expires_in_days)
            if (request.expires_in_days)
            else None
        )
        row = APIKey(
            username=username,
            name=request.name,
            hashed_key=api_keys.hash_api_key(key, self._pepper),
            prefix=api_keys.display_prefix(key),
            scopes=scope_rules.dump(wanted),
            expires_at=expires,
        )
        with self.db.session() as session:
            session.add(row)
            session.flush()
            info = _key_info(row)
        return APIKeyCreated(**info.model_dump(), key=key)

    @retry_on_database_error()
    def list_api_keys(self, username: str) -> list[APIKeyInfo]:
        """The user's keys, newest first (display prefixes only)."""
        with self.db.session() as session:
            rows = session.scalars(
                select(APIKey).where(APIKey.username == username).order_by(APIKey.id.desc())
            )
            return [_key_info(row) for row in rows]

    @retry_on_database_error()
    def revoke_api_key(self, key_id: int, username: str | None = None) -> bool:
        """Revoke a key; with ``username`` only one of that user's (others look absent)."""
        with self.db.session() as session:
            row = session.get(APIKey, key_id)
            if row is None or (username is not None and row.username != username):
                return False
            if row.revoked_at is None:
                row.revoked_at = utcnow()
                row.is_active = False
            return True

    @retry_on_database_error()
    def authenticate_api_key(self, key: str) -> Principal | None:
        """The principal for a live key of an enabled user; None otherwise."""
        if not api_keys.looks_like_api_key(key):
            return None
        hashed = api_keys.hash_api_key(key, self._pepper)
        now = utcnow()
        with self.db.session() as session:
            row = session.scalar(select(APIKey).where(APIKey.hashed_key == hashed))
            if row is None or not hmac.compare_digest(row.hashed_key, hashed):
                return None
            if not row.is_active or row.revoked_at is not None:
                return None
            if row.expires_at is not None and as_utc(row.expires_at) <= now:
                return None
            owner = session.get(User, row.username)
            if owner is None or owner.disabled:
                return None
            if row.last_used_at is None or now - as_utc(row.last_used_at) > LAST_USED_RESOLUTION:
                row.last_used_at = now
            return _principal(owner, scope_rules.parse(row.scopes), "api_key", row.id)

    # tokens

    def issue_tokens(self, username: str) -> Token:
        """A token pair for a user; the refresh token is recorded for single use."""
        user = self.get_user(username)
        if user is None or user.disabled:
            raise InvalidRefreshToken("The account is not available.")
        return self._issue(user, None)

    def _issue(self, user: UserPublic, family: str | None) -> Token:
        token, refresh = self.codec.pair(user.username, user.scopes, family)
        with self.db.session() as session:
            session.add(
                RefreshToken(
                    jti=refresh.jti,
                    family=refresh.claims["fam"],
                    username=user.username,
                    expires_at=refresh.claims["exp"],
                )
            )
        return token

    def refresh(self, refresh_token: str) -> Token:
        """Rotate: the presented token is spent; reusing a spent one revokes its whole family."""
        claims = self._refresh_claims(refresh_token)
        now = utcnow()
        with self.db.session() as session:
            spent = session.execute(
                update(RefreshToken)
                .where(
                    RefreshToken.jti == claims["jti"],
                    RefreshToken.revoked_at.is_(None),
                    RefreshToken.expires_at > now,
                )
                .values(revoked_at=now)
            ).rowcount
            known = session.get(RefreshToken, claims["jti"])
        if known is None:
            raise InvalidRefreshToken("The refresh token is not valid.")
        if spent != 1:
            self._revoke_family(known.family)
            raise InvalidRefreshToken("The refresh token was already used; sign in again.")
        user = self.get_user(known.username)
        if user is None or user.disabled:
            self._revoke_family(known.family)
            raise InvalidRefreshToken("The account is not available.")
        token = self._issue(user, known.family)
        new_jti = self.codec.decode(token.refresh_token, "refresh")["jti"]
        with self.db.session() as session:
            row = session.get(RefreshToken, claims["jti"])
            if row is not None:
                row.replaced_by = new_jti
        return token

    def logout(self, refresh_token: str) -> None:
        """End the session the refresh token belongs to (its whole family)."""
        claims = self._refresh_claims(refresh_token)
        with self.db.session() as session:
            known = session.get(RefreshToken, claims["jti"])
        if known is None:
            raise InvalidRefreshToken("The refresh token is not valid.")
        self._revoke_family(known.family)

    @retry_on_database_error()
    def revoke_all_refresh_tokens(self, username: str) -> None:
        """End every session of a user."""
        self._revoke_where(RefreshToken.username == username)

    def _refresh_claims(self, refresh_token: str) -> dict:
        try:
            return self.codec.decode(refresh_token, "refresh")
        except InvalidToken as exc:
            raise InvalidRefreshToken("The refresh token is not valid.") from exc

    def _revoke_family(self, family: str) -> None:
        self._revoke_where(RefreshToken.family == family)

    def _revoke_where(self, condition: ColumnElement[bool]) -> None:
        with self.db.session() as session:
            session.execute(
                update(RefreshToken)
                .where(condition, RefreshToken.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )

    @retry_on_database_error()
    def principal_for_access_token(self, token: str) -> Principal | None:
        """The principal for a valid access token of an enabled user; None otherwise."""
        try:
            claims = self.codec.decode(token, "access")
        except InvalidToken:
            return None
        with self.db.session() as session:
            owner = session.get(User, claims["sub"])
            if owner is None or owner.disabled:
                return None
            return _principal(owner, str(claims.get("scopes", "")).split(), "token")

    # invitations

    def create_invite(self, created_by: str | None, days: int = 7) -> str:
        """A single-use registration code, stored hashed."""
        code = "inv_" + secrets.token_urlsafe(24)
        with self.db.session() as session:
            session.add(
                Invite(
                    code_hash=_code_hash(code),
                    created_by=created_by,
                    expires_at=utcnow() + timedelta(days=days),
                )
            )
        return code

    def register(self, user: UserCreate, invite: str | None = None) -> UserPublic:
        """Self-service sign-up, as the registration setting allows."""
        mode = self.settings.effective_registration
        if mode == "closed":
            raise RegistrationClosed("Registration is closed on this server.")
        if mode != "invite":
            return self.create_user(user)
        try:
            passwords.check_password_policy(
                user.password, user.username, self.settings.password_min_length
            )
        except passwords.PasswordPolicyError as exc:
            raise WeakPassword(str(exc)) from exc
        if not (invite and self._claim_invite(invite, user.username)):
            raise RegistrationClosed("Registration needs a valid invitation code.")
        try:
            return self.create_user(user)
        except AccountExists:
            self._release_invite(invite)
            raise

    def _release_invite(self, code: str) -> None:
        """Give a claimed code back when the account could not be created after all."""
        with self.db.session() as session:
            session.execute(
                update(Invite)
                .where(Invite.code_hash == _code_hash(code))
                .values(used_at=None, used_by=None)
            )

    def _claim_invite(self, code: str, username: str) -> bool:
        now = utcnow()
        with self.db.session() as session:
            claimed = session.execute(
                update(Invite)
                .where(
                    Invite.code_hash == _code_hash(code),
                    Invite.used_at.is_(None),
                    Invite.expires_at > now,
                )
                .values(used_at=now, used_by=username)
            ).rowcount
        return claimed == 1


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
