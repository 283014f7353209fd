"""The OpenAPI document declares every status a route can answer, with the error envelope's schema.

Routes declare their success responses; the errors they share (401/403 behind credentials, 413 for
bodies, 422, 429 where limited, 500, 503) and the per-route extras are added here, in one place, so
schemathesis' status and schema conformance checks hold for every operation.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

ENVELOPE = "ErrorEnvelope"
# openapi_extra marker of routes that declare their own error responses (the compat facades)
OWN_ERRORS = "x-own-errors"
_REF = {"$ref": f"#/components/schemas/{ENVELOPE}"}

DESCRIPTIONS = {
    400: "Bad request (for example a Host header that is not allowed)",
    401: "Missing, invalid or expired credentials",
    403: "The credentials lack the scope or the kind this action needs",
    404: "No such resource, or not yours",
    409: "Conflicts with the resource's current state",
    413: "The request body is larger than the limit",
    422: "The request is not valid (stable `code`: validation_error, malformed_json, …)",
    429: "Rate limited or throttled; see Retry-After",
    500: "Internal error (the request id identifies it in the logs)",
    503: "A dependency (the database) is unavailable; see Retry-After",
}

# Statuses a route answers beyond the common ones, by (method, path template).
EXTRA_STATUSES: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", "/api/v1/auth/register"): (403, 409, 429),
    ("post", "/api/v1/auth/token"): (401, 429),
    ("post", "/api/v1/auth/refresh"): (401,),
    ("post", "/api/v1/auth/logout"): (401,),
    ("post", "/api/v1/auth/session"): (401, 403, 429),
    ("post", "/api/v1/auth/session/refresh"): (401, 403),
    ("post", "/api/v1/auth/session/logout"): (403,),
    ("post", "/api/v1/users/me/password"): (429,),
    ("post", "/api/v1/translate"): (429,),
    ("post", "/api/v1/detect"): (429,),
    ("post", "/api/v1/documents"): (429,),
    ("get", "/api/v1/tasks/{task_id}/result"): (409,),
    ("post", "/api/v1/keys"): (409,),
    ("patch", "/api/v1/admin/users/{username}"): (409,),
    ("delete", "/api/v1/admin/invites/{invite_id}"): (409,),
    ("post", "/api/v1/admin/imports"): (409,),
}


class ErrorBody(BaseModel):
    """What failed, in words and as a stable code clients can branch on."""

    code: str = Field(examples=["validation_error"])
    message: str = Field(examples=["The request is not valid."])
    request_id: str = Field(examples=["4bf92f3577b34da6a3ce929d0e0e4736"])
    details: Any = Field(default=None, description="Present for some codes (for example 422)")


class ErrorEnvelope(BaseModel):
    """Every 4xx and 5xx body: ``{"error": {"code", "message", "request_id", "details?"}}``."""

    error: ErrorBody


def error_responses(operation: dict[str, Any], method: str, path: str) -> list[int]:
    """The error statuses this operation can answer, common and route-specific."""
    statuses = {422, 500, 503}
    if operation.get("security"):
        statuses |= {401, 403}
    if "requestBody" in operation:
        statuses.add(413)
    if "{" in path:
        statuses.add(404)
    statuses.update(EXTRA_STATUSES.get((method, path), ()))
    return sorted(statuses)


def add_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the envelope and add the error statuses to every operation (routes' own win)."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    envelope = ErrorEnvelope.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(envelope.pop("$defs", {}))
    components[ENVELOPE] = envelope
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if operation.pop(OWN_ERRORS, False):
                # a facade's route declares its errors in its own wire format; FastAPI's default
                # 422 names a schema removed below, and the facade never sends that body
                responses = operation.get("responses", {})
                if _is_fastapi_validation(responses.get("422", {})):
                    del responses["422"]
                continue
            responses = operation.setdefault("responses", {})
            for status in error_responses(operation, method, path):
                existing = responses.get(str(status))
                if existing is not None and not _is_fastapi_validation(existing):
                    continue
                responses[str(status)] = {
                    "description": DESCRIPTIONS[status],
                    "content": {"application/json": {"schema": _REF}},
                }
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def _is_fastapi_validation(response: dict[str, Any]) -> bool:
    """FastAPI's default 422 describes its own body, not the envelope this API sends."""
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref", "").endswith("/HTTPValidationError")


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the document with the error responses, built once."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_error_responses(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
