"""kreyol translate-file, locally and against a live server (the API key from the environment)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.servers import ApiServer

KREYOL = [sys.executable, "-m", "kreyol_ia"]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update({"KREYOL_DATA_DIR": str(tmp_path / "var"), "KREYOL_LOG_LEVEL": "WARNING", **extra})
    return env


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KREYOL, *args], env=env, capture_output=True, text=True, timeout=180)


def test_local_translation_writes_beside_the_input(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _run(env, "db", "upgrade")
    source = tmp_path / "notice.txt"
    source.write_text("Good morning.\n\n- Drink clean water.\n", encoding="utf-8")
    done = _run(env, "translate-file", str(source), "--to", "ht", "--from", "en")
    assert done.returncode == 0, done.stderr
    output = tmp_path / "notice.ht.txt"
    assert output.read_text(encoding="utf-8") == "Bonjou.\n\n- Bwè dlo pwòp.\n"
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 this is not a pdf")
    refused = _run(env, "translate-file", str(broken), "--to", "ht")
    assert refused.returncode == 2 and "corrupt_document" in refused.stderr


def test_server_translation_uploads_follows_and_downloads(tmp_path: Path) -> None:
    env = _env(tmp_path)
    _run(env, "db", "upgrade")
    _run({**env, "KREYOL_ADMIN_PASSWORD": "a long enough passphrase"}, "users", "create-admin")
    key = _run(env, "keys", "create", "admin", "--name", "cli").stdout.strip()
    server = ApiServer(env).start()
    try:
        source = tmp_path / "letter.md"
        source.write_text("# Good morning\n\nWhere is the hospital?\n", encoding="utf-8")
        out = tmp_path / "translated.md"
        done = _run(
            {**env, "KREYOL_API_KEY": key},
            "translate-file",
            str(source),
            "--to",
            "ht",
            "--from",
            "en",
            "--server",
            server.url,
            "--out",
            str(out),
        )
        assert done.returncode == 0, done.stderr
        assert out.read_text(encoding="utf-8") == "# Bonjou\n\nKote lopital la ye?\n"
        missing = _run(env, "translate-file", str(source), "--to", "ht", "--server", server.url)
        assert missing.returncode != 0
    finally:
        server.stop()
