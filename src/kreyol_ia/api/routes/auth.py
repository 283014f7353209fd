"""Sign-up, sign-in (OAuth2 password form), refresh rotation and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field

from kreyol_ia.api.deps import AppSettings, CallerIP, Users
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.ratelimiting import enforce_auth
from kreyol_ia.auth import Token, UserCreate, UserPublic

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
MAX_USERNAME, MAX_PASSWORD = 64, 128
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


class RegisterRequest(UserCreate):
    """A new account; ``invite`` is needed when registration is invite-only."""

    invite: str | None = Field(default=None, max_length=100, repr=False)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=10, max_length=4096, repr=False)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    summary="Create an account",
)
def register(body: RegisterRequest, request: Request, users: Users) -> UserPublic:
    """Open, invite-only or closed, as ``KREYOL_REGISTRATION`` says."""
    enforce_auth(request)
    data = body.model_dump(exclude={"invite"})
    return users.register(UserCreate(**data), body.invite)


@router.post("/token", response_model=Token, summary="Sign in (OAuth2 password flow)")
def token(
    request: Request,
    response: Response,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    users: Users,
    ip: CallerIP,
    settings: AppSettings,
) -> Token:
    """Username and password in a form body; the same answer for every kind of failure."""
    enforce_auth(request)
    if len(form.username) > MAX_USERNAME or len(form.password) > MAX_PASSWORD:
        raise APIError(
            401,
            "invalid_credentials",
            "Incorrect username or password.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle = request.app.state.login_throttle
    wait = throttle.retry_after(form.username, ip)
    if wait:
        raise APIError(
            429,
            "too_many_attempts",
            "Too many failed sign-ins; try again later.",
            headers={"Retry-After": str(wait)},
        )
    user = users.authenticate_user(form.username, form.password)
    if user is None:
        throttle.record_failure(form.username, ip)
        raise APIError(
            401,
            "invalid_credentials",
            "Incorrect username or password.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle.record_success(form.username)
    response.headers.update(NO_STORE)
    return users.issue_tokens(user.username)


@router.post("/refresh", response_model=Token, summary="Exchange a refresh token")
def refresh(body: RefreshRequest, response: Response, users: Users) -> Token:
    """Single use: the old refresh token is spent; reusing it ends the whole session."""
    response.headers.update(NO_STORE)
    return users.refresh(body.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out")
def logout(body: RefreshRequest, users: Users) -> Response:
    """Revoke the session the refresh token belongs to."""
    users.logout(body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
