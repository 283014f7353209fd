"""Sign-in sessions: token pairs, refresh rotation, sign-out, and access-token checks.

A session is a ``refresh_families`` row. Refresh tokens are rotated inside it; access tokens
name it (``fam``) and carry the account's ``token_version`` (``ver``). Revoking the family ends
the session's refresh *and* access tokens; bumping the version ends every access token of the
account. Both are read with the account row, in the one query each request already made.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, null, select, update
from sqlalchemy.orm import Session

from kreyol_ia.auth.errors import InvalidRefreshToken
from kreyol_ia.auth.keystore import lock_user
from kreyol_ia.auth.principal import Principal
from kreyol_ia.auth.rows import account_scopes, principal
from kreyol_ia.auth.schemas import Token
from kreyol_ia.auth.tokens import InvalidToken, TokenCodec
from kreyol_ia.db import DatabaseManager, RefreshToken, User
from kreyol_ia.db.clock import utcnow
from kreyol_ia.db.models import RefreshFamily
from kreyol_ia.retry import retry_on_database_error


class SessionMixin:
    """The token half of ``UserManager``."""

    db: DatabaseManager
    codec: TokenCodec

    def issue_tokens(self, username: str) -> Token:
        """A token pair opening a new session; the refresh token is recorded for single use."""
        username = username.lower()
        with self.db.session() as session:
            # serialised with end_all_sessions: a session opened meanwhile is ended with the rest
            user = session.get(User, username) if lock_user(session, username) else None
            if user is None or user.disabled:
                raise InvalidRefreshToken("The account is not available.")
            family = uuid.uuid4().hex
            session.add(RefreshFamily(id=family, username=user.username))
            session.flush()
            return self._issue(session, user, family)[0]

    def _issue(self, session: Session, user: User, family: str) -> tuple[Token, str]:
        token, refresh = self.codec.pair(
            user.username, account_scopes(user), family, user.token_version
        )
        session.add(
            RefreshToken(
                jti=refresh.jti,
                family=family,
                username=user.username,
                expires_at=refresh.claims["exp"],
            )
        )
        return token, refresh.jti

    def refresh(self, refresh_token: str) -> Token:
        """Rotate: the presented token is spent; reusing a spent one ends the whole family.

        The spend succeeds only while the family is live, so a token issued to the winner of a
        concurrent refresh dies with the family the loser revokes: reuse always ends it.
        """
        claims = self._refresh_claims(refresh_token)
        now = utcnow()
        live_family = (
            select(RefreshFamily.id)
            .where(RefreshFamily.id == RefreshToken.family, RefreshFamily.revoked_at.is_(None))
            .exists()
        )
        with self.db.session() as session:
            spent = session.execute(
                update(RefreshToken)
                .where(
                    RefreshToken.jti == claims["jti"],
                    RefreshToken.revoked_at.is_(None),
                    RefreshToken.expires_at > now,
                    live_family,
                )
                .values(revoked_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            known = session.get(RefreshToken, claims["jti"])
            if known is None:
                raise InvalidRefreshToken("The refresh token is not valid.")
            family, owner = known.family, known.username
            user = session.get(User, owner) if spent == 1 else None
            if user is not None and not user.disabled:
                token, new_jti = self._issue(session, user, family)
                known.replaced_by = new_jti
                return token
        self._end_family(family, owner, reuse=spent != 1)
        if spent != 1:
            raise InvalidRefreshToken("The refresh token was already used; sign in again.")
        raise InvalidRefreshToken("The account is not available.")

    def logout(self, refresh_token: str) -> None:
        """End the session the refresh token belongs to: its refresh and access tokens."""
        claims = self._refresh_claims(refresh_token)
        with self.db.session() as session:
            known = session.get(RefreshToken, claims["jti"])
        if known is None:
            raise InvalidRefreshToken("The refresh token is not valid.")
        self._end_family(known.family, known.username, reuse=False)

    @retry_on_database_error()
    def revoke_all_refresh_tokens(self, username: str) -> None:
        """End every session of a user: all refresh tokens and all access tokens."""
        with self.db.session() as session:
            end_all_sessions(session, username.lower())

    def _refresh_claims(self, refresh_token: str) -> dict:
        try:
            return self.codec.decode(refresh_token, "refresh")
        except InvalidToken as exc:
            raise InvalidRefreshToken("The refresh token is not valid.") from exc

    @retry_on_database_error()
    def _end_family(self, family: str, username: str, reuse: bool) -> None:
        """Revoke one session; on reuse of a live one (theft) end every access token as well."""
        with self.db.session() as session:
            ended = _revoke(session, RefreshFamily.id == family, RefreshToken.family == family)
            if reuse and ended:
                bump_token_version(session, username)

    @retry_on_database_error()
    def principal_for_access_token(self, token: str) -> Principal | None:
        """The principal for a live access token of an enabled user; None otherwise.

        One query reads the account and the token's session: a revoked session, a bumped
        token version or a disabled account refuse the token on every instance at once.
        """
        try:
            claims = self.codec.decode(token, "access")
        except InvalidToken:
            return None
        family = claims.get("fam")
        if isinstance(family, str):
            query = (
                select(User, RefreshFamily.username, RefreshFamily.revoked_at)
                .select_from(User)
                .outerjoin(RefreshFamily, RefreshFamily.id == family)
            )
        else:  # a token made by the seed's create_access_token: no session to check
            query = select(User, User.username, null())
        query = query.where(User.username == claims["sub"])
        with self.db.session() as session:
            row = session.execute(query).first()
            if row is None:
                return None
            owner, family_owner, family_revoked = row
            if owner.disabled or claims.get("ver", 0) != owner.token_version:
                return None
            if family_owner != owner.username or family_revoked is not None:
                return None
            return principal(owner, str(claims.get("scopes", "")).split(), "token")


def bump_token_version(session: Session, username: str) -> None:
    """Every access token issued to the account so far stops working."""
    session.execute(
        update(User)
        .where(User.username == username)
        .values(token_version=User.token_version + 1)
        .execution_options(synchronize_session=False)
    )


def end_all_sessions(session: Session, username: str) -> None:
    """Revoke every session of the account and every access token it holds.

    The version bump comes first: it locks the account row, so a sign-in in flight (which locks
    it too) is either finished, and its family revoked below, or starts after and sees the end.
    """
    bump_token_version(session, username)
    _revoke(session, RefreshFamily.username == username, RefreshToken.username == username)


def _revoke(session: Session, families: ColumnElement[bool], tokens: ColumnElement[bool]) -> int:
    """Revoke the matching families and tokens; how many families were still live."""
    now = utcnow()
    ended = session.execute(
        update(RefreshFamily)
        .where(families, RefreshFamily.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.execute(
        update(RefreshToken)
        .where(tokens, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    return ended
