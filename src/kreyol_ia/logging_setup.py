"""Log configuration: one line per event, tagged with the request id, never with secrets."""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
# LibreTranslate-facade download links are capabilities: whoever reads the log could use them
_DOWNLOAD_TOKEN = re.compile(r"(/download_file/)[^\s?#\"]+")


class RequestIdFilter(logging.Filter):
    """Adds the current request id to every record so a line can be traced to its request."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class DownloadTokenFilter(logging.Filter):
    """Blanks the token of ``/download_file/<token>`` in uvicorn's access lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        record.msg = _redacted(record.msg)
        return True


def _redacted(value: object) -> object:
    if isinstance(value, str) and "/download_file/" in value:
        return _DOWNLOAD_TOKEN.sub(r"\1[redacted]", value)
    return value


def configure_logging(level: str) -> None:
    """Install one stream handler on the root logger (idempotent)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, DownloadTokenFilter) for f in access.filters):
        access.addFilter(DownloadTokenFilter())
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
