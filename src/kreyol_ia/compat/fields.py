"""Request parameters the way the facades' clients send them: JSON, a form, or a query string.

LibreTranslate and DeepL accept the same fields as JSON or as ``application/x-www-form-urlencoded``
(or multipart, with files); their clients use all of them, so a facade reads whichever came.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, UploadFile
from starlette.datastructures import UploadFile as StarletteUpload

from kreyol_ia.api.errors import APIError


@dataclass
class Fields:
    """Values by name: lists for repeated form fields and JSON arrays, files apart."""

    values: dict[str, list[Any]] = field(default_factory=dict)
    files: dict[str, UploadFile] = field(default_factory=dict)
    is_json: bool = False
    lists: set[str] = field(default_factory=set)  # JSON fields sent as arrays

    def first(self, name: str) -> Any:
        """The value, or the first of several; None when absent."""
        found = self.values.get(name)
        return found[0] if found else None

    def text(self, name: str, limit: int = 64) -> str | None:
        """A short string field (a language code, a format); 422 if it is not one."""
        value = self.first(name)
        if value is None or value == "":
            return None
        if not isinstance(value, str) or len(value) > limit:
            raise APIError(422, "validation_error", f"Invalid request: {name} must be a string.")
        return value

    def texts(self, name: str) -> list[Any]:
        """Every value of a repeatable field (a JSON list counts as its items)."""
        return list(self.values.get(name, []))


async def read_fields(request: Request, query: bool = False) -> Fields:
    """The body's fields (JSON object or form), else the query string when ``query`` is allowed."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if kind == "application/json" or (not kind and body[:1] in (b"{", b"[")):
        return _json(body)
    fields = Fields()
    if kind in {"application/x-www-form-urlencoded", "multipart/form-data"} and body:
        try:
            form = await request.form(max_files=4, max_fields=1000)
        except Exception as exc:  # python-multipart's parse errors have no common base
            raise APIError(422, "malformed_form", "The form body cannot be read.") from exc
        for name, value in form.multi_items():
            if isinstance(value, StarletteUpload):
                fields.files[name] = value
            else:
                fields.values.setdefault(name, []).append(value)
    if query and not fields.values:
        for name, value in request.query_params.multi_items():
            fields.values.setdefault(name, []).append(value)
    return fields


def _json(body: bytes) -> Fields:
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise APIError(422, "malformed_json", "The request body is not valid JSON.") from exc
    if not isinstance(data, dict):
        raise APIError(422, "malformed_json", "The JSON body must be an object.")
    values = {
        name: (list(value) if isinstance(value, list) else [value]) for name, value in data.items()
    }
    lists = {name for name, value in data.items() if isinstance(value, list)}
    return Fields(values=values, is_json=True, lists=lists)
