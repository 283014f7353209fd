"""``Authorization: DeepL-Auth-Key <key>`` (or the older ``auth_key`` field) → a principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from kreyol_ia.api.deps import unauthenticated
from kreyol_ia.auth import Principal
from kreyol_ia.compat.credentials import key_principal, require
from kreyol_ia.compat.fields import Fields

SCHEME = "deepl-auth-key"
# declares the scheme in the OpenAPI document; the value is read (and checked) below
auth_header = APIKeyHeader(
    name="Authorization",
    scheme_name="DeepLAuthKey",
    description="DeepL-Auth-Key <your Kreyòl IA API key>",
    auto_error=False,
)
AuthHeader = Annotated[str | None, Depends(auth_header)]


def deepl_caller(
    request: Request, header: str | None, fields: Fields | None, scope: str
) -> Principal:
    """The key's owner, holding ``scope``: every DeepL route needs a key, as DeepL's do."""
    scheme, _, key = (header or "").partition(" ")
    if scheme.lower() != SCHEME or not key.strip():
        key = (fields.text("auth_key", 200) if fields is not None else None) or ""
    principal = key_principal(request, key or None)
    if principal is None:
        raise unauthenticated(
            "Send your Kreyòl IA API key as 'Authorization: DeepL-Auth-Key <key>'."
        )
    return require(principal, scope)  # type: ignore[return-value]
