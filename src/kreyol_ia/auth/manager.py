"""UserManager: the seed's account API over the database, with rotation and revocation.

Accounts, registration and invitations live here; API keys in ``keystore.py`` and sign-in
sessions in ``sessions.py``. Usernames are case-insensitive everywhere (stored lower-case).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from kreyol_ia.auth import passwords
from kreyol_ia.auth import scopes as scope_rules
from kreyol_ia.auth.errors import (
    AccountExists,
    AdminIsARole,
    EmailTaken,
    LastAdministrator,
    NotFound,
    RegistrationClosed,
    ReservedUsername,
    WeakPassword,
    WrongPassword,
)
from kreyol_ia.auth.keystore import KeyMixin
from kreyol_ia.auth.rows import public
from kreyol_ia.auth.schemas import UserCreate, UserPublic
from kreyol_ia.auth.sessions import SessionMixin, bump_token_version, end_all_sessions
from kreyol_ia.auth.tokens import TokenCodec
from kreyol_ia.config import Settings
from kreyol_ia.db import APIKey, DatabaseManager, Invite, User
from kreyol_ia.db.clock import utcnow
from kreyol_ia.retry import retry_on_database_error

INVITE_ID_LENGTH = 16  # hex characters of the code's hash that name an invitation
# identities the code itself uses (usage rows of anonymous callers): never an account
RESERVED_NAMES = frozenset({"anonymous"})
# names that would pass for the service or its operators: not for self-service sign-up
SELF_SERVICE_RESERVED = RESERVED_NAMES | {
    "admin",
    "administrator",
    "root",
    "system",
    "kreyol",
    "kreyol-ia",
    "support",
    "security",
    "postmaster",
    "webmaster",
}


class UserManager(SessionMixin, KeyMixin):
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
        """A new account; duplicate username or e-mail → AccountExists, weak password → error.

        ``admin`` in ``scopes`` is ignored: the admin power is ``role="admin"``.
        """
        return self._create(user, role, scopes, tier, invite=None)

    def _create(
        self,
        user: UserCreate,
        role: str,
        scopes: list[str] | None,
        tier: str,
        invite: str | None,
    ) -> UserPublic:
        """Insert the account, claiming ``invite`` in the same transaction (both or neither)."""
        username = user.username.lower()
        if username in RESERVED_NAMES:
            raise ReservedUsername(f"The name {username!r} is reserved.")
        self._check_policy(user.password, username)
        row = User(
            username=username,
            email=str(user.email).lower(),
            full_name=user.full_name,
            hashed_password=passwords.get_password_hash(user.password),
            role=role,
            tier=tier,
            scopes=scope_rules.without_admin(scopes or scope_rules.USER_SCOPES),
        )
        try:
            with self.db.session() as session:
                if invite is not None and not _claim_invite(session, invite, username):
                    raise RegistrationClosed("Registration needs a valid invitation code.")
                session.add(row)
        except IntegrityError as exc:
            if self.get_user(username) is not None:
                raise AccountExists("An account with this username already exists.") from exc
            raise EmailTaken("An account with this e-mail already exists.") from exc
        return public(row)

    def _check_policy(self, password: str, username: str) -> None:
        try:
            passwords.check_password_policy(password, username, self.settings.password_min_length)
        except passwords.PasswordPolicyError as exc:
            raise WeakPassword(str(exc)) from exc

    @retry_on_database_error()
    def get_user(self, username: str) -> UserPublic | None:
        """The account, or None (names are case-insensitive)."""
        with self.db.session() as session:
            row = session.get(User, username.lower())
            return public(row) if row is not None else None

    @retry_on_database_error()
    def list_users(self, limit: int = 50, offset: int = 0) -> list[UserPublic]:
        """Accounts by name."""
        with self.db.session() as session:
            rows = session.scalars(select(User).order_by(User.username).limit(limit).offset(offset))
            return [public(row) for row in rows]

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
            return public(row)

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
        """Admin changes. Disabling ends every session; a role change ends every access token.

        The admin power is the role: demotion takes it from the account, its tokens and its keys
        at once; the last active administrator can be neither demoted nor disabled.
        """
        username = username.lower()
        if scopes is not None and "admin" in scope_rules.normalise_scopes(scopes):
            raise AdminIsARole("The admin power comes with role=admin, not with a scope.")
        with self.db.session() as session:
            if disabled or role == "user":
                _lock_administrators(session)
            row = session.get(User, username)
            if row is None:
                raise NotFound("No such user.")
            if row.role == "admin" and not row.disabled and (disabled or role == "user"):
                _keep_one_administrator(session, username)
            ends_sessions = bool(disabled) and not row.disabled
            role_changes = role is not None and role != row.role
            if disabled is not None:
                row.disabled = disabled
            if tier is not None:
                row.tier = tier
            if scopes is not None:
                row.scopes = scope_rules.without_admin(scopes)
            if role is not None:
                row.role = role
            if role_changes and role == "user":
                for key in session.scalars(select(APIKey).where(APIKey.username == username)):
                    key.scopes = scope_rules.without_admin(scope_rules.parse(key.scopes))
            session.flush()
            if ends_sessions:
                end_all_sessions(session, username)
            elif role_changes:
                bump_token_version(session, username)
            return public(row)

    def change_password(self, username: str, current: str, new: str) -> None:
        """Check the current password, apply the policy, and end every session."""
        with self.db.session() as session:
            row = session.get(User, username.lower())
            if row is None or not passwords.verify_password(current, row.hashed_password):
                raise WrongPassword("The current password is not correct.")
        self.set_password(username, new)

    def set_password(self, username: str, new: str) -> None:
        """Set a password (CLI and admin) and end every session (refresh and access tokens)."""
        username = username.lower()
        self._check_policy(new, username)
        hashed = passwords.get_password_hash(new)
        with self.db.session() as session:
            row = session.get(User, username)
            if row is None:
                raise NotFound("No such user.")
            row.hashed_password = hashed
            session.flush()
            end_all_sessions(session, username)

    def rotate_callback_secret(self, username: str) -> str:
        """A new secret for the user's job callbacks (the old one stops at once); shown once."""
        username = username.lower()
        with self.db.session() as session:
            session.execute(
                update(User)
                .where(User.username == username)
                .values(callback_key_version=User.callback_key_version + 1)
                .execution_options(synchronize_session=False)
            )
            version = session.scalar(
                select(User.callback_key_version).where(User.username == username)
            )
        if version is None:
            raise NotFound("No such user.")
        return self.settings.resolved_callback_secret(username, version).decode()

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

    @retry_on_database_error()
    def list_invites(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Invitations newest first, named by ``invite_id_of`` (the codes are not stored)."""
        query = (
            select(Invite)
            .order_by(Invite.created_at.desc(), Invite.code_hash)
            .limit(limit)
            .offset(offset)
        )
        now = utcnow()
        with self.db.session() as session:
            return [_invite_view(row, now) for row in session.scalars(query)]

    @retry_on_database_error()
    def revoke_invite(self, invite_id: str) -> Literal["revoked", "missing", "used"]:
        """Delete an unused invitation; a used one stays, as the record of who it admitted."""
        match = Invite.code_hash.startswith(invite_id)
        with self.db.session() as session:
            deleted = session.execute(
                delete(Invite).where(match, Invite.used_at.is_(None))
            ).rowcount
            if deleted:
                return "revoked"
            exists = session.scalar(select(func.count()).select_from(Invite).where(match))
        return "used" if exists else "missing"

    def register(self, user: UserCreate, invite: str | None = None) -> UserPublic:
        """Self-service sign-up, as the registration setting allows.

        A taken username is a 409 (names are public); a taken e-mail answers exactly like a
        success, without creating anything, so addresses cannot be enumerated.
        """
        mode = self.settings.effective_registration
        if mode == "closed":
            raise RegistrationClosed("Registration is closed on this server.")
        username = user.username.lower()
        if username in SELF_SERVICE_RESERVED:
            raise ReservedUsername(f"The name {username!r} is reserved.")
        if mode == "invite" and not invite:
            self._check_policy(user.password, username)
            raise RegistrationClosed("Registration needs a valid invitation code.")
        claimed = invite if mode == "invite" else None
        try:
            return self._create(user, "user", None, "free", claimed)
        except EmailTaken:
            if claimed is not None:  # spent as a success would spend it
                with self.db.session() as session:
                    _claim_invite(session, claimed, username)
            return _lookalike(user)


def _lookalike(user: UserCreate) -> UserPublic:
    """What a fresh account looks like, for the e-mail clash that must not be told apart."""
    return UserPublic(
        username=user.username.lower(),
        email=str(user.email).lower(),
        full_name=user.full_name,
        role="user",
        tier="free",
        scopes=list(scope_rules.USER_SCOPES),
        disabled=False,
        created_at=utcnow(),
        last_login=None,
    )


def _lock_administrators(session: Session) -> None:
    """Lock every administrator row, so two concurrent demotions cannot both pass the check."""
    session.execute(
        update(User)
        .where(User.role == "admin")
        .values(role=User.role)
        .execution_options(synchronize_session=False)
    )


def _keep_one_administrator(session: Session, username: str) -> None:
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == "admin", User.disabled.is_(False), User.username != username)
    )
    if not others:
        raise LastAdministrator(
            "This is the last active administrator; promote another account first."
        )


def _claim_invite(session: Session, code: str, username: str) -> bool:
    now = utcnow()
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


def invite_id_of(code: str) -> str:
    """The public name of an invitation: the start of its hash, so it never reveals the code."""
    return _code_hash(code)[:INVITE_ID_LENGTH]


def _invite_view(row: Invite, now: datetime) -> dict[str, Any]:
    if row.used_at is not None:
        state = "used"
    elif row.expires_at <= now:
        state = "expired"
    else:
        state = "active"
    return {
        "id": row.code_hash[:INVITE_ID_LENGTH],
        "created_by": row.created_by,
        "created_at": row.created_at,
        "expires_at": row.expires_at,
        "used_by": row.used_by,
        "used_at": row.used_at,
        "status": state,
    }
