"""Hostile uploads against a live server: wall time, server RSS growth, status, /health latency.

Builds the audit's bombs (a 66 KB .docx holding ~20 MiB of empty paragraphs, a ~90 KB PDF whose
FlateDecode stream inflates to ~60 MiB of text operators, a 19 MiB single-line .txt, and a 7 KB
"slow" PDF of 4 MiB of operators that pypdf chews for seconds), starts
``uvicorn --factory kreyol_ia.api.app:app_factory`` on 127.0.0.1 with a throwaway data directory and
an enterprise-tier user, and prints for each bomb the upload's wall time and status, the
server's peak-RSS growth (VmHWM after a reset, minus VmRSS before), and the worst /health
latency while six copies of each PDF are in flight.

    .venv/bin/python -m bench.upload_bombs [--timeout 90] [--src src]
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from pathlib import Path

import docx
import httpx

PARALLEL = 6


def docx_bomb(mib: int = 20) -> bytes:
    """A valid .docx whose word/document.xml is ``mib`` MiB of empty paragraphs."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    head, tail = source.read("word/document.xml").decode().split("<w:body>")
    body = "<w:p/>" * (mib * 1024 * 1024 // 6)
    xml = f"{head}<w:body>{body}{tail.split('</w:body>')[0]}</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in source.infolist():
            name = info.filename
            archive.writestr(name, xml if name == "word/document.xml" else source.read(name))
    return out.getvalue()


def pdf_bomb(mib: int = 60) -> bytes:
    """A one-page PDF whose content stream inflates to ``mib`` MiB of show-text operators."""
    operators = b"(A) Tj " * (mib * 1024 * 1024 // 7)
    content = zlib.compress(b"BT /F1 12 Tf " + operators + b"ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def text_bomb(mib: int = 19) -> bytes:
    """One line of ``mib`` MiB of words: one "page", a million-word unit."""
    return b"water " * (mib * 1024 * 1024 // 6)


def _vm(pid: int, field: str) -> int:
    """A /proc/PID/status field in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def _upload(url: str, headers: dict[str, str], name: str, data: bytes, timeout: float):
    started = time.monotonic()
    try:
        response = httpx.post(
            f"{url}/api/v1/documents",
            headers=headers,
            files={"file": (name, data)},
            data={"source": "en", "target": "ht"},
            timeout=timeout,
        )
        status = f"{response.status_code} {response.json().get('error', {}).get('code', '')}"
    except httpx.TimeoutException:
        status = f"timeout>{timeout:.0f}s"
    return time.monotonic() - started, status.strip()


def _serve(data_dir: Path, src: str) -> tuple[subprocess.Popen[bytes], str, dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update(
        KREYOL_DATA_DIR=str(data_dir),
        KREYOL_LOG_LEVEL="WARNING",
        KREYOL_JOB_WORKERS="0",
        PYTHONPATH=src,
        KREYOL_ADMIN_PASSWORD="correct horse battery staple",
    )
    run = [sys.executable, "-m", "kreyol_ia"]
    subprocess.run([*run, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*run, "users", "create-admin", "--username", "bench", "--email", "b@example.org"],
        env=env,
        check=True,
        capture_output=True,
    )
    port = "8765"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "kreyol_ia.api.app:app_factory",
            "--port",
            port,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(f"{url}/health", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.2)
    token = httpx.post(
        f"{url}/api/v1/auth/token",
        data={"username": "bench", "password": env["KREYOL_ADMIN_PASSWORD"]},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    admin = httpx.patch(
        f"{url}/api/v1/admin/users/bench", headers=headers, json={"tier": "enterprise"}
    )
    admin.raise_for_status()
    return server, url, headers


def _health_under_load(
    url: str, headers: dict[str, str], name: str, data: bytes, timeout: float
) -> tuple[float, list[str]]:
    results: list[str] = []
    threads = [
        threading.Thread(
            target=lambda: results.append(_upload(url, headers, name, data, timeout)[1])
        )
        for _ in range(PARALLEL)
    ]
    for thread in threads:
        thread.start()
    worst = 0.0
    time.sleep(0.5)
    while any(thread.is_alive() for thread in threads):
        started = time.monotonic()
        try:
            httpx.get(f"{url}/health", timeout=timeout)
            worst = max(worst, time.monotonic() - started)
        except httpx.TimeoutException:
            worst = timeout
        time.sleep(0.25)
    for thread in threads:
        thread.join()
    return worst, sorted(results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds per request")
    parser.add_argument("--src", default="src", help="PYTHONPATH of the code under test")
    args = parser.parse_args()
    bombs = {
        "bomb.docx": docx_bomb(),
        "bomb.pdf": pdf_bomb(),
        "bomb.txt": text_bomb(),
        "slow.pdf": pdf_bomb(4),
    }
    with tempfile.TemporaryDirectory(prefix="kreyol-bombs-") as directory:
        server, url, headers = _serve(Path(directory), str(Path(args.src).resolve()))
        try:
            _upload(url, headers, "warm-up.txt", b"Good morning.", args.timeout)
            for name, data in bombs.items():
                Path(f"/proc/{server.pid}/clear_refs").write_text("5")  # resets VmHWM to VmRSS
                before = _vm(server.pid, "VmRSS")
                wall, status = _upload(url, headers, name, data, args.timeout)
                growth = (_vm(server.pid, "VmHWM") - before) / 1024
                print(
                    f"{name}: {len(data) / 1024:.0f} KiB upload, {wall:.2f} s, status {status}, "
                    f"server peak RSS +{growth:.0f} MiB"
                )
            for name in ("bomb.pdf", "slow.pdf"):
                worst, statuses = _health_under_load(url, headers, name, bombs[name], args.timeout)
                print(f"/health worst latency with {PARALLEL} × {name} in flight: {worst:.3f} s")
                print(f"  their answers: {', '.join(statuses)}")
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:  # the base server may still be chewing a bomb
                server.kill()
                server.wait(10)


if __name__ == "__main__":
    main()
