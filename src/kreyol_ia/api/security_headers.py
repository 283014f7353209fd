"""Pure ASGI middleware: security headers on every response, and the allowed Host names."""

from __future__ import annotations

from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kreyol_ia.api.errors import error_response

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI and ReDoc load their script, style and font from jsDelivr (and ReDoc its logo from
# fastapi.tiangolo.com) until the web page serves them locally.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    "https://cdn.jsdelivr.net; connect-src 'self'; worker-src blob:; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    """Add nosniff, no-referrer, CSP, frame and opener policies (and HSTS over https).

    A header the route set itself (the document download's sandbox CSP) is left as it is.
    """

    def __init__(self, app: ASGIApp, hsts_max_age: int = 0):
        self.app = app
        common = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        self.api_headers = [*common, (b"content-security-policy", API_CSP.encode())]
        self.docs_headers = [*common, (b"content-security-policy", DOCS_CSP.encode())]
        self.hsts = f"max-age={hsts_max_age}; includeSubDomains".encode() if hsts_max_age else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        extra = self.docs_headers if path.startswith(DOCS_PATHS) else self.api_headers
        if self.hsts is not None and scope.get("scheme") == "https":
            extra = [*extra, (b"strict-transport-security", self.hsts)]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in extra if name not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


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
