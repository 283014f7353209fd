"""A running job's claim, renewed on its own thread, so a slow batch never looks like a crash."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

logger = logging.getLogger(__name__)


class Heartbeat:
    """Calls ``renew`` every ``interval`` seconds until stopped; ``lost`` is set once it fails."""

    def __init__(self, renew: Callable[[], bool], interval: float, task_id: str):
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._interval = interval
        self._renew = renew
        self._thread = threading.Thread(
            target=self._beat, name=f"kreyol-heartbeat-{task_id[:8]}", daemon=True
        )

    def _beat(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                if not self._renew():
                    self.lost.set()
                    return
            except SQLAlchemyError:
                logger.warning("heartbeat failed; retrying in %.1f s", self._interval)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
