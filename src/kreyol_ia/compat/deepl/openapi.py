"""The OpenAPI pieces every DeepL route shares: its tag, error responses and body declarations."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kreyol_ia.compat.deepl.errors import DeepLError
from kreyol_ia.compat.errors import declared, own_errors

TAG = "DeepL compatible"


def errors(*extra: int) -> dict[int | str, dict[str, Any]]:
    """403 (key), 429, 456, 400, 413, 500, 503 and the route's extras, with DeepL's body."""
    return declared(DeepLError, sorted({400, 403, 413, 429, 456, 500, 503, *extra}))


def body(model: type[BaseModel] | None, *, form: bool = True) -> dict[str, Any]:
    """``openapi_extra`` declaring a body the route reads by hand: JSON and/or form."""
    if model is None:
        return own_errors()
    schema = model.model_json_schema()
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if form:
        content["application/x-www-form-urlencoded"] = {"schema": schema}
    return own_errors({"requestBody": {"required": True, "content": content}})


def own_errors_with_body(schema: dict[str, Any]) -> dict[str, Any]:
    """``openapi_extra`` for a multipart upload declared by a hand-written schema."""
    return own_errors(
        {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}}}
    )
