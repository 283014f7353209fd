"""The web page's session: the refresh token in an HttpOnly cookie, the access token in memory.

Scripts on the page never see the refresh token (an injected script could not steal a session);
SameSite=Strict plus an Origin check keeps other sites from using the cookie.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request, Response, status
from pydantic import BaseModel

from kreyol_ia.api.deps import CallerIP, Users
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.routes.auth import NO_STORE, SignInForm, check_password
from kreyol_ia.auth import Token
from kreyol_ia.auth.errors import AuthError

PREFIX = "/api/v1/auth/session"
COOKIE = "kreyol_refresh"
MAX_COOKIE = 4096


def same_origin(request: Request) -> None:
    """403 unless ``Origin`` names this server: no other site may sign in, refresh or sign out."""
    origin = request.headers.get("origin")
    host = request.headers.get("host", "")
    if not origin or origin == "null" or urlsplit(origin).netloc.lower() != host.lower():
        raise APIError(
            403,
            "origin_refused",
            "This route serves the service's own web page: the Origin header must be its address.",
        )


router = APIRouter(prefix=PREFIX, tags=["auth"], dependencies=[Depends(same_origin)])


class AccessToken(BaseModel):
    """The access token alone: the refresh token is in the cookie, out of the page's reach."""

    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


@router.post("", response_model=AccessToken, summary="Sign in the web page (cookie session)")
def sign_in(
    request: Request,
    response: Response,
    form: Annotated[SignInForm, Depends()],
    users: Users,
    ip: CallerIP,
) -> AccessToken:
    """As ``/api/v1/auth/token`` (same throttle), but the refresh token goes into the cookie."""
    username = check_password(request, users, ip, form.username, form.password)
    return _answer(request, response, users.issue_tokens(username))


@router.post(
    "/refresh",
    response_model=AccessToken,
    summary="Renew the web page's access token",
    responses={204: {"description": "No web session (no cookie): the visitor is signed out"}},
)
def refresh(request: Request, response: Response, users: Users) -> AccessToken | Response:
    """Spends the cookie's refresh token (single use) and sets the next one.

    No cookie is an answer, not an error (204): every page load asks whether anyone is signed in.
    """
    token = request.cookies.get(COOKIE)
    if not token:
        return Response(status_code=status.HTTP_204_NO_CONTENT, headers=NO_STORE)
    if len(token) > MAX_COOKIE:
        raise APIError(
            401,
            "invalid_token",
            "The session cookie is not valid.",
            headers=_clearing_headers(request),
        )
    try:
        tokens = users.refresh(token)
    except AuthError as exc:
        raise APIError(
            exc.status, exc.code, exc.message, headers=_clearing_headers(request)
        ) from exc
    return _answer(request, response, tokens)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Sign the web page out")
def logout(request: Request, users: Users) -> Response:
    """Ends the cookie's session (refresh and access tokens) and clears the cookie."""
    answer = Response(status_code=status.HTTP_204_NO_CONTENT, headers=NO_STORE)
    token = request.cookies.get(COOKIE)
    if token and len(token) <= MAX_COOKIE:
        # a spent or forged cookie: there is no session left to end; clear it anyway
        with suppress(AuthError):
            users.logout(token)
    _clear(request, answer)
    return answer


def _answer(request: Request, response: Response, tokens: Token) -> AccessToken:
    settings = request.app.state.settings
    response.headers.update(NO_STORE)
    response.set_cookie(
        COOKIE,
        tokens.refresh_token,
        max_age=settings.refresh_token_days * 86400,
        path=PREFIX,
        secure=_secure(request),
        httponly=True,
        samesite="strict",
    )
    return AccessToken(access_token=tokens.access_token, expires_in=tokens.expires_in)


def _secure(request: Request) -> bool:
    configured = request.app.state.settings.cookie_secure
    return configured if configured is not None else request.url.scheme == "https"


def _clear(request: Request, response: Response) -> None:
    response.delete_cookie(
        COOKIE, path=PREFIX, secure=_secure(request), httponly=True, samesite="strict"
    )


def _clearing_headers(request: Request) -> dict[str, str]:
    """A refused refresh also forgets the cookie, so the page stops presenting a dead one."""
    scratch = Response()
    _clear(request, scratch)
    return {"Set-Cookie": scratch.headers["set-cookie"], **NO_STORE}
