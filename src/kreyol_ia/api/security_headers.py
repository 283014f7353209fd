"""Pure ASGI middleware: security headers on every response (errors included)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

API_CSP = "default-src 'none'; frame-ancestors 'none'"
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# What an answer sent outside the middleware stack (an unhandled error's 500) carries.
API_HEADERS = {**COMMON_HEADERS, "Content-Security-Policy": API_CSP}


class SecurityHeadersMiddleware:
    """Add nosniff, no-referrer, CSP, frame and opener policies (and HSTS over https).

    A header the route set itself (the web pages', the docs', the download's sandbox CSP) is
    left as it is.
    """

    def __init__(self, app: ASGIApp, hsts_max_age: int = 0):
        self.app = app
        common = [(name.lower().encode(), value.encode()) for name, value in COMMON_HEADERS.items()]
        self.api_headers = [*common, (b"content-security-policy", API_CSP.encode())]
        self.hsts = f"max-age={hsts_max_age}; includeSubDomains".encode() if hsts_max_age else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.api_headers
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
