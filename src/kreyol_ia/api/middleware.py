"""ASGI middleware: request ids, allowed Host names, and the body-size limit while it streams."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kreyol_ia.api.errors import error_response
from kreyol_ia.logging_setup import request_id_var

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Adopt a well-formed incoming X-Request-ID or make one; echo it on every response."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = _header(scope, b"x-request-id")
        request_id = incoming if incoming and _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode("ascii")))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once the streamed body passes the limit."""

    def __init__(self, limit: int):
        super().__init__(413, f"The request body is larger than {limit} bytes.")


class BodySizeLimitMiddleware:
    """Refuse bodies over ``max_bytes``: at once by Content-Length, else as the bytes arrive."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = overrides or {}

    def limit_for(self, path: str) -> int:
        """A route prefix may allow more (document uploads); everything else gets the default."""
        for prefix, limit in self.overrides.items():
            if path.startswith(prefix):
                return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = _header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _reject(send, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if started:
                raise
            await _reject(send, limit)


async def _reject(send: Send, limit: int) -> None:
    response = error_response(
        413, "payload_too_large", f"The request body is larger than {limit} bytes."
    )
    await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


class TrustedHostMiddleware:
    """Refuse a Host header outside ``allowed_hosts`` (``*``, exact names, ``*.example.org``).

    Starlette's middleware of this name answers in plain text; this one uses the error envelope.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str]):
        self.app = app
        self.allowed = [host.lower() for host in allowed_hosts]
        self.allow_any = "*" in self.allowed

    def allows(self, host: str) -> bool:
        """Exact match, or a ``*.domain`` pattern matching any subdomain of it."""
        return any(
            host == pattern or (pattern.startswith("*.") and host.endswith(pattern[1:]))
            for pattern in self.allowed
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_any or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.allows(_host_name(scope)):
            await self.app(scope, receive, send)
            return
        response = error_response(400, "invalid_host", "The Host header is not allowed.")
        await response(scope, receive, send)


def _host_name(scope: Scope) -> str:
    """The Host header without its port, lower-cased ('' when absent)."""
    for key, value in scope.get("headers", []):
        if key == b"host":
            host = value.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host.split("]", 1)[0] + "]"
            return host.rsplit(":", 1)[0]
    return ""
