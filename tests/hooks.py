"""A real HTTP receiver for job callbacks, on loopback, for the tests that check signatures."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Delivery = tuple[bytes, str, str]  # raw body, X-Kreyol-Timestamp, X-Kreyol-Signature


@contextmanager
def callback_receiver() -> Iterator[tuple[str, list[Delivery]]]:
    """The receiver's URL and the deliveries it got, in order; stopped on exit."""
    received: list[Delivery] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(
                (body, self.headers["X-Kreyol-Timestamp"], self.headers["X-Kreyol-Signature"])
            )
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def wait_for_delivery(received: list[Delivery], seconds: float = 10) -> Delivery:
    """The first delivery, waiting for it up to ``seconds``."""
    deadline = time.monotonic() + seconds
    while not received and time.monotonic() < deadline:
        time.sleep(0.05)
    assert received, "no callback arrived"
    return received[0]
