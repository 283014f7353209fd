"""Uploads are parsed in a short-lived child process with CPU, memory and wall-clock limits.

A hostile file (a decompression bomb, a pathological PDF) then costs one bounded child: it is
killed when its budget runs out, the API process's memory never sees the inflated data, and
at most ``parse_workers`` parses run at once, so the event loop and /health stay responsive.
Children come from a forkserver that preloaded the parsers, so starting one takes milliseconds.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import threading
from multiprocessing.connection import Connection

from kreyol_ia.documents.extract import extract
from kreyol_ia.documents.model import DocumentError, DocumentSummary, ParseLimits

logger = logging.getLogger(__name__)
_PAGE = os.sysconf("SC_PAGE_SIZE")


class ParserBusy(Exception):
    """Every parse slot stayed taken for the whole queueing time (the API answers 503)."""


def _child(conn: Connection, filename: str, data: bytes, limits: ParseLimits) -> None:
    """Parse under rlimits and send back a summary or our own error; nothing else crosses."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        mapped = int(statm.read().split()[0]) * _PAGE
    resource.setrlimit(resource.RLIMIT_AS, (mapped + limits.memory_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    os.nice(10)
    try:
        conn.send(("ok", extract(filename, data, limits=limits).summary()))
    except DocumentError as exc:
        conn.send(("error", exc.code, exc.message))
    except MemoryError:
        conn.send(("error", "document_too_complex", "This file needs more memory than allowed."))
    finally:
        conn.close()


class ParseSandbox:
    """Runs ``extract`` for the upload route in bounded, killable child processes."""

    def __init__(self, workers: int, limits: ParseLimits):
        self.limits = limits
        self._slots = threading.BoundedSemaphore(workers)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["kreyol_ia.documents.extract"])

    def parse(self, filename: str, data: bytes) -> DocumentSummary:
        """Units, format and pages of an upload, or a ``DocumentError`` with a stable code."""
        if not self._slots.acquire(timeout=self.limits.wall_seconds):
            raise ParserBusy
        try:
            return self._run(filename, data)
        finally:
            self._slots.release()

    def _run(self, filename: str, data: bytes) -> DocumentSummary:
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_child, args=(sender, filename, data, self.limits), daemon=True
        )
        process.start()
        sender.close()
        try:
            reply = receiver.recv() if receiver.poll(self.limits.wall_seconds) else None
        except EOFError:
            reply = None
        finally:
            if process.is_alive():
                process.kill()
            process.join()
            receiver.close()
        if reply is None:
            raise self._died(process.exitcode)
        if reply[0] == "ok":
            return reply[1]
        raise DocumentError(reply[1], reply[2])

    def _died(self, exitcode: int | None) -> DocumentError:
        """A child that ran out of time (wall or CPU) or was killed for memory."""
        logger.warning("document parse stopped (exit code %s)", exitcode)
        if exitcode in (-signal.SIGKILL, -signal.SIGXCPU):
            return DocumentError(
                "parse_timeout",
                f"Reading this file took longer than the {self.limits.cpu_seconds} s the server "
                "allows; it was refused.",
            )
        return DocumentError(
            "document_too_complex", "This file needs more resources than the server allows."
        )
