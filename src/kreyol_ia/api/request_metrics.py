"""Request counts and latencies by route template: a pure ASGI middleware, a few µs a request.

The label is the matched route's template (``/api/v1/tasks/{task_id}``), read from the scope the
router filled in, never the raw path: unmatched paths share one ``<unmatched>`` series, so no
client can create series at will. Methods outside the usual set count as ``OTHER``.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kreyol_ia.metrics import HTTP_DURATION, HTTP_REQUESTS

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"


def route_label(scope: Scope) -> str:
    """The route template the router matched, or ``<unmatched>``."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    return template if isinstance(template, str) else UNMATCHED


class RequestMetricsMiddleware:
    """Times every HTTP request to the end of its response and counts it by route and status."""

    def __init__(self, app: ASGIApp):
        self.app = app
        # labels() costs more than the update itself; the key set is bounded (see module doc)
        self._series: dict[tuple[str, str, str], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            elapsed = time.perf_counter() - started
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            key = (route_label(scope), method, str(status))
            series = self._series.get(key)
            if series is None:
                series = (HTTP_REQUESTS.labels(*key), HTTP_DURATION.labels(key[0], key[2]))
                self._series[key] = series
            series[0].inc()
            series[1].observe(elapsed)
