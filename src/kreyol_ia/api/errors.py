"""One error envelope for every failure: ``{"error": {"code", "message", "request_id"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from kreyol_ia.api.security_headers import API_HEADERS
from kreyol_ia.auth.errors import AuthError
from kreyol_ia.logging_setup import request_id_var

logger = logging.getLogger(__name__)

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    503: "unavailable",
}


class APIError(Exception):
    """An error the client can act on, with a stable machine-readable code."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        headers: dict[str, str] | None = None,
        details: Any = None,
    ):
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.details = details


def error_response(
    status_code: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    details: Any = None,
    request_id: str | None = None,
) -> JSONResponse:
    """Render the envelope, carrying the request id in the body and the header."""
    request_id = request_id or request_id_var.get()
    body: dict[str, Any] = {"code": code, "message": message, "request_id": request_id}
    if details is not None:
        body["details"] = details
    all_headers = {"X-Request-ID": request_id, **(headers or {})}
    return JSONResponse({"error": body}, status_code=status_code, headers=all_headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and why, never the rejected input itself (it may hold a password)."""
    return [
        {"loc": list(err.get("loc", ())), "type": err.get("type"), "msg": err.get("msg")}
        for err in exc.errors()
    ]


async def _api_error(_request: Request, exc: APIError) -> JSONResponse:
    return error_response(exc.status_code, exc.code, exc.message, exc.headers, exc.details)


async def _auth_error(_request: Request, exc: AuthError) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return error_response(exc.status, exc.code, exc.message, headers)


async def _http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        return error_response(422, "malformed_json", "The request body is not valid UTF-8 JSON.")
    code = STATUS_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message, dict(exc.headers or {}))


async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
    details = _validation_details(exc)
    if any(item["type"] == "json_invalid" for item in details):
        return error_response(422, "malformed_json", "The request body is not valid JSON.")
    if any(item["type"] == "string_unicode" for item in details):
        return error_response(
            422,
            "invalid_text",
            "The text holds characters that UTF-8 cannot carry (a lone surrogate).",
            details=details,
        )
    return error_response(422, "validation_error", "The request is not valid.", details=details)


def fault_error(exc: Exception, request_id: str | None = None) -> APIError:
    """What a fault that is no refusal tells the client (logged here): a value the database
    cannot store is 422, the database down 503, anything else 500; the facades say the same."""
    if isinstance(exc, DataError):
        return APIError(
            422,
            "invalid_input",
            "The request holds a value that cannot be stored (for example a NUL character).",
        )
    if isinstance(exc, DBAPIError):
        logger.error("database unavailable after retries: %s", type(exc.orig).__name__)
        return APIError(
            503,
            "database_unavailable",
            "The database is not reachable right now; try again shortly.",
            {"Retry-After": "5"},
        )
    logger.error("unhandled error (request %s)", request_id or request_id_var.get(), exc_info=exc)
    return APIError(500, "internal_error", "An internal error occurred.")


async def _fault(request: Request, exc: Exception) -> JSONResponse:
    request_id = request.scope.get("state", {}).get("request_id")
    error = fault_error(exc, request_id)
    # a 500 is sent by Starlette's outermost middleware, past ours: add the security headers here
    headers = {**API_HEADERS, **error.headers} if error.status_code == 500 else error.headers
    return error_response(
        error.status_code, error.code, error.message, headers, request_id=request_id
    )


def install_error_handlers(app: FastAPI) -> None:
    """Route every kind of failure through the envelope."""
    app.add_exception_handler(APIError, _api_error)
    app.add_exception_handler(AuthError, _auth_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _fault)
    app.add_exception_handler(Exception, _fault)
