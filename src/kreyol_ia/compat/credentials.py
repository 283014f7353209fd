"""The facades' ways of naming an API key, checked by the same code as ``X-API-Key``.

A key revoked, expired or disabled in Kreyòl IA is refused here too, on every facade at once.
"""

from __future__ import annotations

from fastapi import Request

from kreyol_ia.api.deps import unauthenticated
from kreyol_ia.api.errors import APIError
from kreyol_ia.auth import Principal, UserManager


def key_principal(request: Request, key: str | None) -> Principal | None:
    """The key's owner with the key's scopes; None when no key was sent; 401 for a bad one."""
    if not key:
        return None
    users: UserManager = request.app.state.users
    principal = users.authenticate_api_key(key.strip())
    if principal is None:
        raise unauthenticated("The API key is invalid, expired or revoked.", "invalid_api_key")
    request.state.principal = principal
    return principal


def require(
    principal: Principal | None, scope: str, anonymous_ok: bool = False
) -> Principal | None:
    """401 without credentials (unless anonymous use is on and allowed here), 403 without scope."""
    if principal is None:
        if anonymous_ok:
            return None
        raise unauthenticated("Authentication required: send an API key.")
    if not principal.has(scope):
        raise APIError(403, "insufficient_scope", f"This action needs the {scope!r} scope.")
    return principal
