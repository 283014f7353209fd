"""A stand-in for the model hub on loopback (``HF_ENDPOINT``), serving a checkpoint directory.

It answers what ``huggingface_hub`` asks: the model's metadata (files, sizes, SHA-256 of the
large ones) and each file, with ranges so an interrupted transfer can resume. ``cut`` makes the
first transfer of a file stop half-way; ``tamper`` serves bytes that do not match the record.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COMMIT = "0123456789abcdef0123456789abcdef01234567"
LARGE = 1024  # files at least this large are "LFS" files, whose SHA-256 the hub records


@dataclass
class Hub:
    """What the stand-in serves and what it saw."""

    repo: str
    files: dict[str, bytes]
    cut: set[str] = field(default_factory=set)
    tamper: set[str] = field(default_factory=set)
    ranges: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""

    def metadata(self) -> dict[str, object]:
        siblings = []
        for name, data in sorted(self.files.items()):
            entry: dict[str, object] = {"rfilename": name, "size": len(data)}
            if len(data) >= LARGE:
                digest = hashlib.sha256(data).hexdigest()
                entry["lfs"] = {"sha256": digest, "size": len(data), "pointerSize": 134}
            siblings.append(entry)
        return {"id": self.repo, "modelId": self.repo, "sha": COMMIT, "siblings": siblings}

    def tree(self) -> list[dict[str, object]]:
        """The repository's files, as the hub's tree listing gives them."""
        entries = []
        for name, data in sorted(self.files.items()):
            entry: dict[str, object] = {
                "type": "file",
                "path": name,
                "size": len(data),
                "oid": hashlib.sha1(data).hexdigest(),
            }
            if len(data) >= LARGE:
                sha = hashlib.sha256(data).hexdigest()
                entry["lfs"] = {"oid": sha, "size": len(data), "pointerSize": 134}
            entries.append(entry)
        return entries


def _handler(hub: Hub) -> type[BaseHTTPRequestHandler]:
    info = re.compile(rf"^/api/models/{re.escape(hub.repo)}(/revision/[^/?]+)?(\?.*)?$")
    tree = re.compile(rf"^/api/models/{re.escape(hub.repo)}/tree/[^/?]+(\?.*)?$")
    resolve = re.compile(rf"^/{re.escape(hub.repo)}/resolve/[^/]+/(.+)$")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if tree.match(self.path):
                body = json.dumps(hub.tree()).encode()
                self._send(200, {"Content-Type": "application/json"}, body)
                return
            if info.match(self.path):
                body = json.dumps(hub.metadata()).encode()
                self._send(200, {"Content-Type": "application/json"}, body)
                return
            self._file(send_body=True)

        def do_HEAD(self) -> None:
            self._file(send_body=False)

        def _file(self, send_body: bool) -> None:
            found = resolve.match(self.path.split("?")[0])
            name = found.group(1) if found else ""
            if name not in hub.files:
                self._send(404, {"X-Error-Code": "EntryNotFound"}, b"")
                return
            data = hub.files[name]
            headers = {"X-Repo-Commit": COMMIT, "Accept-Ranges": "bytes"}
            etag = hashlib.sha256(data).hexdigest() if len(data) >= LARGE else name
            headers["ETag"] = f'"{etag}"'
            if len(data) >= LARGE:
                headers["X-Linked-Etag"] = f'"{etag}"'
                headers["X-Linked-Size"] = str(len(data))
            if not send_body:
                self._send(200, {**headers, "Content-Length": str(len(data))}, b"", head=True)
                return
            served = bytes(reversed(data)) if name in hub.tamper else data
            start = 0
            asked = self.headers.get("Range")
            if asked:
                hub.ranges.append((name, asked))
                start = int(asked.split("=")[1].split("-")[0])
            part = served[start:]
            status = 206 if asked else 200
            if asked:
                headers["Content-Range"] = f"bytes {start}-{len(served) - 1}/{len(served)}"
            if name in hub.cut:
                hub.cut.discard(name)
                self.send_response(status)
                for key, value in {**headers, "Content-Length": str(len(part))}.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(part[: len(part) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self._send(status, headers, part)

        def _send(
            self, status: int, headers: dict[str, str], body: bytes, head: bool = False
        ) -> None:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if not head:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            return

    return Handler


@contextmanager
def stand_in_hub(repo: str, checkpoint: Path) -> Iterator[Hub]:
    """Serve every file of ``checkpoint`` as ``repo`` until the block ends."""
    files = {p.name: p.read_bytes() for p in sorted(checkpoint.iterdir()) if p.is_file()}
    hub = Hub(repo, files)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(hub))
    hub.url = f"http://127.0.0.1:{server.server_port}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield hub
    finally:
        server.shutdown()
        server.server_close()
