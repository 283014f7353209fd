"""The OpenAPI pieces every LibreTranslate route shares: its tag and its body declarations.

The routes read their bodies by hand (JSON, a form or multipart, whichever came), so FastAPI
cannot infer them; these declare what LibreTranslate's clients send.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kreyol_ia.compat.errors import own_errors

TAG = "LibreTranslate compatible"


def body(model: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for fields sent as JSON or as a urlencoded form, with an example."""
    schema = model.model_json_schema()
    content = {
        kind: {"schema": schema, "example": example}
        for kind in ("application/json", "application/x-www-form-urlencoded")
    }
    return own_errors({"requestBody": {"required": True, "content": content}})


def multipart(schema: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for an upload declared by a hand-written multipart schema."""
    content = {"multipart/form-data": {"schema": schema}}
    return own_errors({"requestBody": {"required": True, "content": content}})
