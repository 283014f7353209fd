"""Who calls the facade: ``api_key`` in the body, as LibreTranslate's clients send it, else
the native ``Authorization: Bearer`` / ``X-API-Key`` headers; both checked by the UserManager."""

from __future__ import annotations

from typing import cast

from fastapi import Request

from kreyol_ia.auth import Principal
from kreyol_ia.compat.credentials import key_principal, require
from kreyol_ia.compat.fields import Fields


def lt_caller(request: Request, fields: Fields, from_headers: Principal | None) -> Principal | None:
    """A caller holding ``translate``; None for anonymous use where the server allows it."""
    principal = key_principal(request, fields.text("api_key", 200)) or from_headers
    return require(principal, "translate", request.app.state.settings.allow_anonymous)


def lt_account(request: Request, fields: Fields, from_headers: Principal | None) -> Principal:
    """A caller holding ``documents``: document jobs have an owner, so never anonymous."""
    principal = key_principal(request, fields.text("api_key", 200)) or from_headers
    return cast(Principal, require(principal, "documents"))
