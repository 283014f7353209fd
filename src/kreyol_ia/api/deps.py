"""Request dependencies: who is calling (JWT or API key) and what they may do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from kreyol_ia.api.client_ip import client_ip
from kreyol_ia.api.errors import APIError
from kreyol_ia.auth import Principal, UserManager
from kreyol_ia.config import Settings

oauth2_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False)


def app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


def user_manager(request: Request) -> UserManager:
    """The process's UserManager."""
    return request.app.state.users


def caller_ip(request: Request) -> str:
    """The client address, honouring X-Forwarded-For only from trusted proxies."""
    return client_ip(request, request.app.state.settings.trusted_proxies)


def unauthenticated(message: str, code: str = "not_authenticated", error: str = "") -> APIError:
    """401 with the WWW-Authenticate challenge RFC 6750 asks for."""
    challenge = f'Bearer error="{error}"' if error else "Bearer"
    return APIError(401, code, message, headers={"WWW-Authenticate": challenge})


def optional_principal(
    request: Request,
    users: Annotated[UserManager, Depends(user_manager)],
    token: Annotated[str | None, Depends(oauth2_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal | None:
    """The caller when credentials are sent (bad ones are a 401), None when none are."""
    if token:
        principal = users.principal_for_access_token(token)
        if principal is None:
            raise unauthenticated(
                "The access token is invalid or expired.", "invalid_token", "invalid_token"
            )
    elif api_key:
        principal = users.authenticate_api_key(api_key)
        if principal is None:
            raise unauthenticated("The API key is invalid, expired or revoked.", "invalid_api_key")
    else:
        return None
    request.state.principal = principal
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def require_scope(scope: str) -> Callable[..., Principal]:
    """A dependency that demands an authenticated caller holding ``scope``."""

    def dependency(principal: OptionalPrincipal) -> Principal:
        if principal is None:
            raise unauthenticated("Authentication required: send a Bearer token or X-API-Key.")
        if not principal.has(scope):
            raise APIError(403, "insufficient_scope", f"This action needs the {scope!r} scope.")
        return principal

    return dependency


def require_user_session(principal: OptionalPrincipal) -> Principal:
    """Account changes need a signed-in user (access token), not an API key."""
    if principal is None:
        raise unauthenticated("Authentication required.")
    if principal.via != "token":
        raise APIError(403, "session_required", "Sign in with a password for this action.")
    return principal


def translation_caller(request: Request, principal: OptionalPrincipal) -> Principal | None:
    """Translation needs the 'translate' scope, or anonymous use enabled in the settings."""
    if principal is None:
        if request.app.state.settings.allow_anonymous:
            return None
        raise unauthenticated("Authentication required: send a Bearer token or X-API-Key.")
    if not principal.has("translate"):
        raise APIError(403, "insufficient_scope", "This action needs the 'translate' scope.")
    return principal


Users = Annotated[UserManager, Depends(user_manager)]
AppSettings = Annotated[Settings, Depends(app_settings)]
CallerIP = Annotated[str, Depends(caller_ip)]
KeyId = Annotated[
    int, Path(ge=1, le=2**63 - 1, examples=[42])
]  # a database id; larger ones are a 422
