"""The ``kreyol`` command: version, migrations, and a real server started the way users start it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.servers import free_port, wait_for_port

KREYOL = [sys.executable, "-m", "kreyol_ia"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update({"KREYOL_DATA_DIR": str(tmp_path), **extra})
    return env


def test_version() -> None:
    out = subprocess.run([*KREYOL, "version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("kreyol-ia ")


def test_serve_after_upgrade_answers_health_ready_and_docs(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([*KREYOL, "db", "upgrade"], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [*KREYOL, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, timeout=30)
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/health").json() == {"status": "ok"}
        assert httpx.get(f"{base}/ready").status_code == 200
        assert httpx.get(f"{base}/docs").status_code == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0]
    assert f"http://127.0.0.1:{port}" in output


def test_serve_refuses_production_without_secret(tmp_path: Path) -> None:
    result = subprocess.run(
        [*KREYOL, "serve", "--port", str(free_port())],
        env=_env(tmp_path, KREYOL_MODE="production"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "KREYOL_SECRET_KEY" in result.stderr
