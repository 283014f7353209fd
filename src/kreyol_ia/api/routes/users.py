"""The signed-in user's own account."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from kreyol_ia.api.deps import (
    CallerIP,
    OptionalPrincipal,
    Users,
    require_user_session,
    unauthenticated,
)
from kreyol_ia.api.routes.auth import too_many_attempts
from kreyol_ia.auth import Principal, UserPublic
from kreyol_ia.auth.errors import WrongPassword

router = APIRouter(prefix="/api/v1/users", tags=["users"])


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(
        min_length=1, max_length=128, repr=False, examples=["kafe cho ak pen nan maten"]
    )
    new_password: str = Field(
        min_length=1, max_length=128, repr=False, examples=["diri ak pwa wouj chak dimanch"]
    )


@router.get("/me", response_model=UserPublic, summary="Who am I")
def me(principal: OptionalPrincipal, users: Users) -> UserPublic:
    """The caller's account (with a token or an API key)."""
    if principal is None:
        raise unauthenticated("Authentication required.")
    user = users.get_user(principal.username)
    if user is None:
        raise unauthenticated("The account no longer exists.")
    return user


@router.post("/me/password", status_code=status.HTTP_204_NO_CONTENT, summary="Change password")
def change_password(
    body: PasswordChange,
    request: Request,
    principal: Annotated[Principal, Depends(require_user_session)],
    users: Users,
    ip: CallerIP,
) -> Response:
    """Needs the current password; every refresh token of the account is revoked.

    A wrong current password counts as a failed sign-in (same throttle), so a stolen access
    token cannot be used to guess the password.
    """
    throttle = request.app.state.login_throttle
    wait = throttle.reserve(principal.username, ip)
    if wait:
        raise too_many_attempts(wait)
    try:
        users.change_password(principal.username, body.current_password, body.new_password)
    except WrongPassword:
        raise
    except Exception:
        throttle.succeeded(principal.username, ip)  # the password was right: give it back
        raise
    throttle.succeeded(principal.username, ip)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class CallbackSecret(BaseModel):
    secret: str = Field(description="HMAC-SHA256 key (its ASCII bytes) for X-Kreyol-Signature.")


@router.post(
    "/me/callback-secret",
    response_model=CallbackSecret,
    summary="Rotate the secret that signs your job callbacks",
)
def rotate_callback_secret(
    principal: Annotated[Principal, Depends(require_user_session)],
    users: Users,
    response: Response,
) -> CallbackSecret:
    """A new secret, shown only here; the previous one stops signing at once."""
    response.headers["Cache-Control"] = "no-store"
    return CallbackSecret(secret=users.rotate_callback_secret(principal.username))
