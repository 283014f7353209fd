"""Sign-up, sign-in (OAuth2 password form), refresh rotation and sign-out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field

from kreyol_ia.api.deps import CallerIP, Users, require_user_session
from kreyol_ia.api.errors import APIError
from kreyol_ia.auth import Principal, Token, UserCreate, UserManager, UserPublic
from kreyol_ia.metrics import LOGIN_THROTTLED

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])
MAX_USERNAME, MAX_PASSWORD = 64, 128
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
# Swagger's placeholders: a passphrase, and the shape of a refresh token (paste /token's)
PASSWORD_EXAMPLE = "kafe cho ak pen nan maten"  # noqa: S105
REFRESH_TOKEN_EXAMPLE = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYXJpZSJ9.c2lnbmF0dXJl"  # noqa: S105


class RegisterRequest(UserCreate):
    """A new account; ``invite`` is needed when registration is invite-only."""

    invite: str | None = Field(
        default=None, max_length=100, repr=False, examples=["inv_Xb3kQ9vR2mT7yL0pW5sN8dFh"]
    )


class SignInForm(OAuth2PasswordRequestForm):
    """The OAuth2 password form with real examples in Swagger (client id/secret are unused)."""

    def __init__(
        self,
        *,
        grant_type: Annotated[str | None, Form(pattern="^password$", examples=["password"])] = None,
        username: Annotated[str, Form(examples=["marie"])],
        password: Annotated[
            str, Form(examples=[PASSWORD_EXAMPLE], json_schema_extra={"format": "password"})
        ],
        scope: Annotated[str, Form(examples=["translate documents keys"])] = "",
    ):
        super().__init__(grant_type=grant_type, username=username, password=password, scope=scope)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(
        min_length=10, max_length=4096, repr=False, examples=[REFRESH_TOKEN_EXAMPLE]
    )


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    summary="Create an account",
)
def register(body: RegisterRequest, users: Users) -> UserPublic:
    """Open, invite-only or closed, as ``KREYOL_REGISTRATION`` says.

    A taken username is a 409; a taken e-mail gets the same 201 as a new one (nothing is
    created), so this route cannot tell anyone which addresses have accounts.
    """
    data = body.model_dump(exclude={"invite"})
    return users.register(UserCreate(**data), body.invite)


@router.post("/token", response_model=Token, summary="Sign in (OAuth2 password flow)")
def token(
    request: Request,
    response: Response,
    form: Annotated[SignInForm, Depends()],
    users: Users,
    ip: CallerIP,
) -> Token:
    """Username and password in a form body; the same answer for every kind of failure.

    An attempt is reserved before the password is checked (per account and IP, per account,
    per IP), so concurrent guesses cannot exceed the limits; a success gives it back.
    """
    username = check_password(request, users, ip, form.username, form.password)
    response.headers.update(NO_STORE)
    return users.issue_tokens(username)


def check_password(
    request: Request, users: UserManager, ip: str, username: str, password: str
) -> str:
    """The account's username when the password is right; 401 or 429 otherwise (throttled)."""
    if len(username) > MAX_USERNAME or len(password) > MAX_PASSWORD:
        raise _bad_credentials()
    throttle = request.app.state.login_throttle
    wait = throttle.reserve(username, ip)
    if wait:
        raise too_many_attempts(wait)
    user = users.authenticate_user(username, password)
    if user is None:
        raise _bad_credentials()
    throttle.succeeded(username, ip)
    return user.username


def too_many_attempts(wait: int) -> APIError:
    """429 with the wait in the header and the body (pages cannot always read headers)."""
    LOGIN_THROTTLED.inc()
    return APIError(
        429,
        "too_many_attempts",
        f"Too many failed sign-ins; try again in {wait} s.",
        headers={"Retry-After": str(wait)},
        details={"retry_after": wait},
    )


def _bad_credentials() -> APIError:
    return APIError(
        401,
        "invalid_credentials",
        "Incorrect username or password.",
        headers={"WWW-Authenticate": "Bearer"},
    )


@router.post("/refresh", response_model=Token, summary="Exchange a refresh token")
def refresh(body: RefreshRequest, response: Response, users: Users) -> Token:
    """Single use: the old refresh token is spent; reusing it ends the whole session."""
    response.headers.update(NO_STORE)
    return users.refresh(body.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out")
def logout(body: RefreshRequest, users: Users) -> Response:
    """End the session the refresh token belongs to: its refresh and access tokens."""
    users.logout(body.refresh_token)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/logout/all", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out everywhere")
def logout_everywhere(
    principal: Annotated[Principal, Depends(require_user_session)], users: Users
) -> Response:
    """End every session of the signed-in account, on every device, access tokens included."""
    users.revoke_all_refresh_tokens(principal.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
