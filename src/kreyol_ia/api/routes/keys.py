"""The caller's API keys: create (shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from kreyol_ia.api.deps import KeyId, Users, require_scope
from kreyol_ia.api.errors import APIError
from kreyol_ia.auth import APIKeyCreate, APIKeyCreated, APIKeyInfo, Principal

router = APIRouter(prefix="/api/v1/keys", tags=["keys"])
KeyManager = Annotated[Principal, Depends(require_scope("keys"))]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=APIKeyCreated,
    summary="Create an API key",
)
def create_key(
    body: APIKeyCreate, principal: KeyManager, users: Users, response: Response
) -> APIKeyCreated:
    """The key is in this response only; store it now. Scopes ⊆ the caller's.

    A key made with a key never gets the 'keys' scope and dies with the key that made it.
    """
    response.headers["Cache-Control"] = "no-store"
    return users.create_api_key(
        principal.username, body, allowed=list(principal.scopes), parent_key_id=principal.key_id
    )


@router.get("", response_model=list[APIKeyInfo], summary="List your API keys")
def list_keys(principal: KeyManager, users: Users) -> list[APIKeyInfo]:
    """Display prefixes, scopes, expiry and last use; never the keys."""
    return users.list_api_keys(principal.username)


@router.delete("/{key_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke an API key")
def revoke_key(key_id: KeyId, principal: KeyManager, users: Users) -> Response:
    """Another user's key is reported as not found."""
    if not users.revoke_api_key(key_id, username=principal.username):
        raise APIError(404, "not_found", "No such API key.")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
