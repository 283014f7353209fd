"""The download link ``/translate_file`` answers: a capability, signed, for 15 minutes.

``<task id>.<expiry, unix seconds>.<HMAC-SHA256>`` under ``Settings.derived_key(LABEL)``:
nothing is stored, anyone holding the link may download the file until it expires (as on
LibreTranslate, whose links carry no key), and a changed character makes it worthless.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

LIFETIME_SECONDS = 15 * 60
LABEL = "libretranslate-download"
_TOKEN = re.compile(r"^([0-9a-f]{32})\.([0-9]{1,12})\.([0-9a-f]{64})$")


def _signature(key: bytes, task_id: str, expires: int) -> str:
    return hmac.new(key, f"{task_id}.{expires}".encode(), hashlib.sha256).hexdigest()


def sign(key: bytes, task_id: str, now: float | None = None) -> str:
    """A token for ``task_id`` that expires ``LIFETIME_SECONDS`` from ``now``."""
    expires = int(now if now is not None else time.time()) + LIFETIME_SECONDS
    return f"{task_id}.{expires}.{_signature(key, task_id, expires)}"


def verify(key: bytes, token: str, now: float | None = None) -> str | None:
    """The task id of a genuine, unexpired token; None for anything else."""
    found = _TOKEN.match(token)
    if found is None:
        return None
    task_id, expires, signature = found.group(1), int(found.group(2)), found.group(3)
    if not hmac.compare_digest(signature, _signature(key, task_id, expires)):
        return None
    if expires < (now if now is not None else time.time()):
        return None
    return task_id
