"""JWT access and refresh tokens (PyJWT): explicit algorithm, issuer and audience, always checked.

The module-level functions keep the seed's call shapes and read the process settings; the API
builds a ``TokenCodec`` from its own settings. The seed's constants (``SECRET_KEY``, ``ALGORITHM``,
``ACCESS_TOKEN_EXPIRE_MINUTES``, ``REFRESH_TOKEN_EXPIRE_DAYS``, plus ``ISSUER`` and ``AUDIENCE``,
which ``jwt.decode`` needs for these tokens) are read from ``get_settings()`` at each access.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import jwt

from kreyol_ia.auth.schemas import Token, TokenData
from kreyol_ia.auth.scopes import normalise_scopes
from kreyol_ia.config import Settings, get_settings
from kreyol_ia.db.clock import utcnow

REQUIRED_CLAIMS = ["sub", "type", "iat", "exp", "jti", "iss", "aud"]

_SETTINGS_CONSTANTS: dict[str, Callable[[Settings], Any]] = {
    "SECRET_KEY": Settings.resolved_secret_key,
    "ALGORITHM": lambda settings: settings.jwt_algorithm,
    "ACCESS_TOKEN_EXPIRE_MINUTES": lambda settings: settings.access_token_minutes,
    "REFRESH_TOKEN_EXPIRE_DAYS": lambda settings: settings.refresh_token_days,
    "ISSUER": lambda settings: settings.jwt_issuer,
    "AUDIENCE": lambda settings: settings.jwt_audience,
}
SETTINGS_CONSTANTS = tuple(_SETTINGS_CONSTANTS)


def __getattr__(name: str) -> Any:
    """The seed's module constants, resolved from the current settings (never a stale copy)."""
    resolve = _SETTINGS_CONSTANTS.get(name)
    if resolve is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return resolve(get_settings())


class InvalidToken(Exception):
    """The token is forged, expired, of the wrong type or otherwise unusable."""


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """An encoded token with the claims the server must remember (refresh rotation)."""

    token: str
    jti: str
    expires_in: int
    claims: dict[str, Any]


class TokenCodec:
    """Signs and verifies tokens for one secret, algorithm, issuer and audience."""

    def __init__(self, settings: Settings):
        self._secret = settings.resolved_secret_key()
        self._algorithm = settings.jwt_algorithm
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self.access_lifetime = timedelta(minutes=settings.access_token_minutes)
        self.refresh_lifetime = timedelta(days=settings.refresh_token_days)

    def issue(
        self, data: dict[str, Any], token_type: str, lifetime: timedelta | None = None
    ) -> IssuedToken:
        """Sign ``data`` (must hold ``sub``) as an access or refresh token."""
        lifetime = lifetime or (
            self.access_lifetime if token_type == "access" else self.refresh_lifetime  # noqa: S105
        )
        now = utcnow()
        jti = uuid.uuid4().hex
        claims = {
            **data,
            "type": token_type,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": jti,
            "iss": self.issuer,
            "aud": self.audience,
        }
        token = jwt.encode(claims, self._secret, algorithm=self._algorithm)
        return IssuedToken(token, jti, int(lifetime.total_seconds()), claims)

    def decode(self, token: str, token_type: str) -> dict[str, Any]:
        """Verified claims; InvalidToken for any problem (signature, time, iss, aud, type)."""
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[self._algorithm],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": REQUIRED_CLAIMS},
                leeway=5,
            )
        except jwt.PyJWTError as exc:
            raise InvalidToken(type(exc).__name__) from exc
        if claims.get("type") != token_type or not isinstance(claims.get("sub"), str):
            raise InvalidToken("wrong token type")
        return claims

    def pair(
        self, username: str, scopes: list[str], family: str | None = None, version: int = 0
    ) -> tuple[Token, IssuedToken]:
        """An access token and a refresh token (the latter in ``family`` for rotation).

        With a ``family`` the access token names it too (``fam``), and carries the account's
        token ``version`` (``ver``): ending the session or bumping the version ends the token.
        """
        granted = " ".join(normalise_scopes(scopes))
        access_claims: dict[str, Any] = {"sub": username, "scopes": granted, "ver": version}
        if family is not None:
            access_claims["fam"] = family
        access = self.issue(access_claims, "access")
        refresh = self.issue({"sub": username, "fam": family or uuid.uuid4().hex}, "refresh")
        return (
            Token(
                access_token=access.token, refresh_token=refresh.token, expires_in=access.expires_in
            ),
            refresh,
        )


def _codec(settings: Settings | None) -> TokenCodec:
    return TokenCodec(settings or get_settings())


def create_access_token(
    data: dict[str, Any], expires_delta: timedelta | None = None, settings: Settings | None = None
) -> str:
    """The seed's access token (30 minutes unless ``expires_delta``)."""
    return _codec(settings).issue(data, "access", expires_delta).token


def create_refresh_token(data: dict[str, Any], settings: Settings | None = None) -> str:
    """The seed's refresh token (7 days); the API registers refresh tokens for rotation."""
    payload = {"fam": uuid.uuid4().hex, **data}
    return _codec(settings).issue(payload, "refresh").token


def verify_token(token: str, settings: Settings | None = None) -> TokenData | None:
    """TokenData for a valid access token; None for anything else (refresh tokens included)."""
    try:
        claims = _codec(settings).decode(token, "access")
    except InvalidToken:
        return None
    scopes = claims.get("scopes", "")
    return TokenData(
        username=claims["sub"], scopes=scopes.split() if isinstance(scopes, str) else list(scopes)
    )


def create_token_pair(
    username: str, scopes: list[str] | None = None, settings: Settings | None = None
) -> Token:
    """The seed's pair; ``UserManager.issue_tokens`` also records the refresh token."""
    return _codec(settings).pair(username, list(scopes or []))[0]
