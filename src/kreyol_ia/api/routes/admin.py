"""Administration: accounts, any key, invitations. Every route needs the 'admin' scope."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from kreyol_ia.api.deps import KeyId, Users, require_scope
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.schemas.admin import CacheCleared, CacheStats
from kreyol_ia.auth import Principal, UserManager, UserPublic
from kreyol_ia.auth.manager import INVITE_ID_LENGTH, invite_id_of
from kreyol_ia.auth.scopes import ScopeError, normalise_scopes
from kreyol_ia.db.clock import utcnow
from kreyol_ia.ratelimit.tiers import TIERS

Admin = Annotated[Principal, Depends(require_scope("admin"))]
Username = Annotated[
    str,
    Path(
        description="The account's username.",
        examples=["marie"],
        openapi_examples={"account": {"summary": "An account", "value": "marie"}},
    ),
]
PageSize = Annotated[int, Query(ge=1, le=500, examples=[50])]
PageStart = Annotated[int, Query(ge=0, le=2**63 - 1, examples=[0])]
router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
INVITE_ID = re.compile(rf"[0-9a-f]{{{INVITE_ID_LENGTH}}}")


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disabled: bool | None = Field(default=None, examples=[False])
    tier: str | None = Field(default=None, max_length=32, examples=["pro"])
    scopes: list[str] | None = Field(default=None, examples=[["translate", "documents", "keys"]])
    role: Literal["user", "admin"] | None = Field(default=None, examples=["user"])


class InviteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: int = Field(default=7, ge=1, le=90, examples=[7])


class InviteCreated(BaseModel):
    id: str = Field(examples=["3f2a9c0d1b4e5f60"])
    code: str
    expires_at: datetime


class InviteOut(BaseModel):
    """An invitation as administrators see it: never its code, which only its holder knows."""

    id: str = Field(examples=["3f2a9c0d1b4e5f60"])
    created_by: str | None
    created_at: datetime
    expires_at: datetime
    used_by: str | None
    used_at: datetime | None
    status: Literal["active", "used", "expired"]


@router.get("/users", response_model=list[UserPublic], summary="List accounts")
def list_users(
    _admin: Admin,
    users: Users,
    limit: PageSize = 50,
    offset: PageStart = 0,
) -> list[UserPublic]:
    return users.list_users(limit, offset)


@router.patch("/users/{username}", response_model=UserPublic, summary="Change an account")
def update_user(username: Username, body: UserUpdate, admin: Admin, users: Users) -> UserPublic:
    """Disable (ends its sessions), set the tier, scopes or role (the admin power is the role)."""
    if body.tier is not None and body.tier not in TIERS:
        raise APIError(422, "unknown_tier", f"Unknown tier; use one of {', '.join(TIERS)}.")
    if username.lower() == admin.username and (body.disabled or body.role == "user"):
        raise APIError(422, "self_lockout", "Administrators cannot disable or demote themselves.")
    try:
        scopes = normalise_scopes(body.scopes) if body.scopes is not None else None
    except ScopeError as exc:
        raise APIError(422, "unknown_scope", str(exc)) from exc
    return users.update_user(
        username, disabled=body.disabled, tier=body.tier, scopes=scopes, role=body.role
    )


@router.delete(
    "/keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke any API key"
)
def revoke_any_key(key_id: KeyId, _admin: Admin, users: Users) -> Response:
    if not users.revoke_api_key(key_id):
        raise APIError(404, "not_found", "No such API key.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/users/{username}/limits/reset",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Reset a user's rate-limit windows",
)
def reset_limits(username: Username, request: Request, _admin: Admin, users: Users) -> Response:
    """Forget the user's usage in every window (not the usage records)."""
    user = _existing(users, username)
    request.app.state.limiter.reset(f"user:{user.username}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/users/{username}/unlock",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Forget a user's failed sign-ins",
)
def unlock(username: Username, request: Request, _admin: Admin, users: Users) -> Response:
    """Clear the account's failed-sign-in counters (every IP), shared through Redis."""
    user = _existing(users, username)
    request.app.state.login_throttle.unlock(user.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/cache/stats", response_model=CacheStats, summary="Translation cache statistics")
def cache_stats(request: Request, _admin: Admin) -> CacheStats:
    """Hits, misses, hit rate, errors and whether Redis or memory is in use."""
    return CacheStats.model_validate(request.app.state.cache.stats())


@router.delete("/cache", response_model=CacheCleared, summary="Clear the translation cache")
def cache_clear(request: Request, _admin: Admin) -> CacheCleared:
    """Remove this service's cached translations (SCAN + UNLINK, never FLUSHDB)."""
    return CacheCleared(removed=request.app.state.cache.clear())


@router.post(
    "/invites",
    status_code=status.HTTP_201_CREATED,
    response_model=InviteCreated,
    summary="Create a single-use invitation",
)
def create_invite(
    body: InviteRequest, admin: Admin, users: Users, response: Response
) -> InviteCreated:
    """A single-use code, shown once (not cached)."""
    response.headers["Cache-Control"] = "no-store"
    code = users.create_invite(admin.username, body.days)
    expires_at = utcnow() + timedelta(days=body.days)
    return InviteCreated(id=invite_id_of(code), code=code, expires_at=expires_at)


@router.get("/invites", response_model=list[InviteOut], summary="List invitations")
def list_invites(
    _admin: Admin,
    users: Users,
    limit: PageSize = 50,
    offset: PageStart = 0,
) -> list[InviteOut]:
    """Newest first, with whether each is still active, used (by whom) or expired."""
    return [InviteOut.model_validate(row) for row in users.list_invites(limit, offset)]


@router.delete(
    "/invites/{invite_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an unused invitation",
)
def revoke_invite(
    invite_id: Annotated[str, Path(examples=["3f2a9c0d1b4e5f60"])],
    _admin: Admin,
    users: Users,
) -> Response:
    """A used invitation stays (409): it records who it admitted."""
    outcome = users.revoke_invite(invite_id) if INVITE_ID.fullmatch(invite_id) else "missing"
    if outcome == "missing":
        raise APIError(404, "not_found", "No such invitation.")
    if outcome == "used":
        raise APIError(409, "invite_used", "This invitation has already been used.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _existing(users: UserManager, username: str) -> UserPublic:
    """The account, whatever the case of its name; 404 when there is none."""
    user = users.get_user(username)
    if user is None:
        raise APIError(404, "not_found", "No such user.")
    return user
