"""Log configuration: one line per event, tagged with the request id, never with secrets."""

from __future__ import annotations

import logging
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every record so a line can be traced to its request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def configure_logging(level: str) -> None:
    """Install one stream handler on the root logger (idempotent)."""
    root = logging.getLogger()
    root.setLevel(level)
    logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if any(getattr(handler, "_kreyol", False) for handler in root.handlers):
        return
    handler = logging.StreamHandler()
    handler._kreyol = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    root.addHandler(handler)
