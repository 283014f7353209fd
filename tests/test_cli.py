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


def _kreyol(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = _env(tmp_path)
    return subprocess.run(
        [*KREYOL, *args], env=env, input=stdin, capture_output=True, text=True, timeout=120
    )


def test_translate_command_shows_match_kind(tmp_path: Path) -> None:
    _kreyol(tmp_path, "db", "upgrade")
    out = _kreyol(tmp_path, "translate", "Good morning, how are you?", "--from", "en", "--to", "ht")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Bonjou, kijan ou ye?"
    assert "exact" in out.stderr
    back = _kreyol(tmp_path, "translate", "Bonjou, kijan ou ye?", "--from", "ht", "--to", "en")
    assert "how are you" in back.stdout.lower()


def test_translate_reads_stdin_and_rejects_bad_pairs(tmp_path: Path) -> None:
    _kreyol(tmp_path, "db", "upgrade")
    out = _kreyol(tmp_path, "translate", "--to", "en", stdin="Mwen malad.\n")
    assert out.stdout.strip() == "I'm sick."
    bad = _kreyol(tmp_path, "translate", "hello", "--from", "en", "--to", "fr")
    assert bad.returncode == 2
    assert "unsupported_pair" in bad.stderr


def test_eval_prints_bleu_chrf_and_match_counts(tmp_path: Path) -> None:
    _kreyol(tmp_path, "db", "upgrade")
    test_set = tmp_path / "set.tsv"
    test_set.write_text(
        "en\tht\nGood morning, how are you?\tBonjou, kijan ou ye?\nI am sick.\tMwen malad.\n"
        "The children are eating rice.\tTimoun yo ap manje diri.\n"
        "The zorblat is here.\tZorblat la la.\n",
        encoding="utf-8",
    )
    out = _kreyol(tmp_path, "eval", str(test_set), "--from", "en", "--to", "ht")
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(":", 1) for line in out.stdout.splitlines() if ":" in line)
    assert float(lines["BLEU"]) > 50
    assert float(lines["chrF++"]) > 50
    assert int(lines["segments"]) == 4
    assert int(lines["  exact"].split()[0]) >= 2
    assert int(lines["source words"]) == 17
    assert lines["unknown words"].split()[0] == "1"  # zorblat
    assert lines["unknown words"].strip().endswith("(5.9%)")
    assert "guessed words" in lines


def test_tm_and_glossary_import_report_counts_and_line_errors(tmp_path: Path) -> None:
    _kreyol(tmp_path, "db", "upgrade")
    tsv = tmp_path / "memory.tsv"
    tsv.write_text("en\tht\tdomain\nGood morning\tBonjou zanmi\tngo\nbroken line\n", "utf-8")
    out = _kreyol(tmp_path, "tm", "import", str(tsv))
    assert "imported 1 tm entries" in out.stdout
    assert "line 3" in out.stderr
    translated = _kreyol(tmp_path, "translate", "Good morning", "--from", "en", "--to", "ht")
    assert translated.stdout.strip() == "Bonjou zanmi"
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("clinic\tsant sante\n", "utf-8")
    out = _kreyol(tmp_path, "glossary", "import", str(glossary), "--from", "en", "--to", "ht")
    assert "imported 1 glossary entries" in out.stdout
    term = _kreyol(tmp_path, "translate", "clinic", "--from", "en", "--to", "ht")
    assert term.stdout.strip() == "sant sante"
    assert "glossary" in term.stderr


def test_create_admin_if_missing_keeps_a_private_password_and_keys_work(tmp_path: Path) -> None:
    _kreyol(tmp_path, "db", "upgrade")
    first = _kreyol(tmp_path, "users", "create-admin", "--if-missing")
    assert first.returncode == 0, first.stderr
    secret_file = tmp_path / "initial-admin-password"
    password = secret_file.read_text().strip()
    assert oct(secret_file.stat().st_mode & 0o777) == "0o600"
    assert password not in first.stdout + first.stderr
    again = _kreyol(tmp_path, "users", "create-admin", "--if-missing")
    assert "already exists" in again.stdout
    created = _kreyol(tmp_path, "keys", "create", "admin", "--name", "ops", "--days", "7")
    key = created.stdout.strip()
    assert key.startswith("ka_")
    listed = _kreyol(tmp_path, "keys", "list", "admin")
    assert key[:11] in listed.stdout and key not in listed.stdout
    assert _kreyol(tmp_path, "keys", "revoke", "1").returncode == 0
    assert "inactive" in _kreyol(tmp_path, "keys", "list", "admin").stdout


def test_create_admin_takes_the_password_from_the_environment_not_argv(tmp_path: Path) -> None:
    _kreyol(tmp_path, "db", "upgrade")
    env = _env(tmp_path, KREYOL_ADMIN_PASSWORD="a long enough passphrase")
    result = subprocess.run(
        [*KREYOL, "users", "create-admin", "--username", "root2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    listing = _kreyol(tmp_path, "users", "list").stdout
    assert "root2" in listing and "admin" in listing
    last = _kreyol(tmp_path, "users", "disable", "root2")
    assert last.returncode == 1 and "last_admin" in last.stderr  # never the last administrator
    another = [*KREYOL, "users", "create-admin", "--username", "root3", "--email", "r@example.org"]
    subprocess.run(another, env=env, capture_output=True, timeout=60, check=True)
    disabled = _kreyol(tmp_path, "users", "disable", "root2")
    assert disabled.returncode == 0
    assert "disabled" in _kreyol(tmp_path, "users", "list").stdout
