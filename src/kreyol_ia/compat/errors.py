"""Errors in a facade's own wire format, whatever raised them (route, dependency, validation).

A facade's router uses ``facade_route(render)`` as its ``route_class``: every refusal the
shared services raise (``APIError``, ``AuthError``, request validation, HTTP errors) is given to
``render`` with its status, code, message and headers, so LibreTranslate's and DeepL's own
clients see the shapes and statuses they know.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from kreyol_ia.api.errors import STATUS_CODES, APIError, fault_error
from kreyol_ia.api.openapi import ENVELOPE, OWN_ERRORS
from kreyol_ia.auth.errors import AuthError
from kreyol_ia.logging_setup import request_id_var


@dataclass(frozen=True, slots=True)
class Refusal:
    """What went wrong, before a facade shapes it."""

    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)
    details: Any = None


Renderer = Callable[[Refusal], Response]


def refusal_of(exc: Exception) -> Refusal:
    """The refusal an exception stands for; a real fault is logged and becomes a 500 or 503."""
    if isinstance(exc, APIError):
        return Refusal(exc.status_code, exc.code, exc.message, dict(exc.headers), exc.details)
    if isinstance(exc, AuthError):
        return Refusal(exc.status, exc.code, exc.message)
    if isinstance(exc, RequestValidationError):
        fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors())
        return Refusal(422, "validation_error", f"Invalid request: {fields or 'body'}.")
    if isinstance(exc, StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "Request refused."
        code = STATUS_CODES.get(exc.status_code, "error")
        return Refusal(exc.status_code, code, message, dict(exc.headers or {}))
    return refusal_of(fault_error(exc))


def with_request_id(response: Response) -> Response:
    """Every facade answer carries the request id, as the native API's do."""
    response.headers.setdefault("X-Request-ID", request_id_var.get())
    return response


def facade_route(render: Renderer) -> type[APIRoute]:
    """An APIRoute class whose refusals are rendered by ``render``."""

    class FacadeRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def guarded(request: Request) -> Response:
                try:
                    return await handler(request)
                except Exception as exc:  # every failure, faults too, in the facade's shape
                    return with_request_id(render(refusal_of(exc)))

            return guarded

    return FacadeRoute


def declared(model: type[BaseModel], statuses: Iterable[int]) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a facade route: each error status with the facade's own body schema.

    A 413 may also come in the native envelope: a declared Content-Length over the limit is
    refused before any route (and so any facade) sees the request.
    """
    documented: dict[int | str, dict[str, Any]] = {
        status: {"model": model, "description": _DESCRIPTIONS.get(status, "")}
        for status in statuses
    }
    if 413 in documented:  # other statuses name the model, so it is in the components
        own = {"$ref": f"#/components/schemas/{model.__name__}"}
        either = {"anyOf": [own, {"$ref": f"#/components/schemas/{ENVELOPE}"}]}
        documented[413] = {
            "description": _DESCRIPTIONS[413],
            "content": {"application/json": {"schema": either}},
        }
    return documented


def file_download(description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` entry of a route that answers a file (any type) as its 200."""
    binary = {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}
    return {200: {"description": description, "content": binary}}


def own_errors(extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """``openapi_extra=`` that keeps the native error envelope off a facade route."""
    return {OWN_ERRORS: True, **(extra or {})}


_DESCRIPTIONS = {
    400: "Bad request (the facade's own error body)",
    403: "Missing, invalid or revoked API key, or a missing scope",
    404: "No such resource, or not yours",
    413: "Too large (in the native envelope when refused by its Content-Length)",
    429: "Too many requests; see Retry-After",
    456: "Quota exceeded (the day's allowance is spent)",
    500: "Internal error",
    503: "Unavailable right now; retry",
}
