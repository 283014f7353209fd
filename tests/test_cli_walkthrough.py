"""A new user's walk-through of ``kreyol``: every mistake is one line on stderr, never a trace.

Each test runs the real entry point in a subprocess, in a temporary directory, with no database
migrated beforehand (the state of a fresh clone before ``make run``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import fresh_postgres_database
from tests.servers import PostgresServer, RedisServer, free_port, wait_for_port

KREYOL = [sys.executable, "-m", "kreyol_ia"]
SCRIPT = Path(sys.executable).with_name("kreyol")
PASSWORD = "a long enough passphrase"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update(extra)
    return env


def _run(cwd: Path, *args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KREYOL, *args],
        cwd=cwd,
        env=_env(**env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _one_line(result: subprocess.CompletedProcess[str], code: int, *needles: str) -> str:
    """Exit ``code``, one line on stderr containing every needle, no traceback."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_the_installed_script_uses_the_same_error_boundary(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(SCRIPT), "users", "list"], cwd=tmp_path, env=_env(), capture_output=True, text=True
    )
    _one_line(result, 2, "no data directory", "KREYOL_DATA_DIR")


@pytest.mark.parametrize(
    "args",
    [
        ("translate", "hello", "--to", "ht"),
        ("users", "list"),
        ("users", "set-tier", "bob", "pro"),
        ("keys", "list", "bob"),
        ("keys", "create", "bob", "--name", "x"),
        ("worker",),
        ("serve", "--port", "1"),
        ("db", "downgrade", "base", "--yes"),
    ],
)
def test_outside_the_project_folder_nothing_creates_a_stray_database(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    _one_line(_run(tmp_path, *args), 2, "no data directory", "KREYOL_DATA_DIR")
    assert not (tmp_path / "var").exists()


def test_every_database_command_migrates_a_local_sqlite_quietly(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    translated = _run(
        tmp_path,
        "translate",
        "Good morning",
        "--from",
        "en",
        "--to",
        "ht",
        **{"KREYOL_DATA_DIR": data},
    )
    assert translated.returncode == 0, translated.stderr
    assert translated.stdout == "Bonjou\n"
    tsv = tmp_path / "tm.tsv"
    tsv.write_text("en\tht\nGood night\tBòn nwit zanmi\n", "utf-8")
    imported = _run(tmp_path, "tm", "import", str(tsv), KREYOL_DATA_DIR=data)
    assert imported.returncode == 0 and imported.stderr == "", imported.stderr
    listed = _run(tmp_path, "users", "list", KREYOL_DATA_DIR=data)
    assert listed.returncode == 0 and listed.stderr == ""
    assert listed.stdout.splitlines()[0].split("\t")[:4] == ["username", "email", "role", "tier"]


def test_serve_migrates_sqlite_in_development_so_sign_in_works(tmp_path: Path) -> None:
    port = free_port()
    env = _env(KREYOL_DATA_DIR=str(tmp_path))
    server = subprocess.Popen(
        [*KREYOL, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_port(port, timeout=30)
        base = f"http://127.0.0.1:{port}/api/v1/auth"
        body = {"username": "newbie", "email": "n@example.org", "password": PASSWORD}
        assert httpx.post(f"{base}/register", json=body).status_code == 201
        signed = httpx.post(f"{base}/token", data={"username": "newbie", "password": PASSWORD})
        assert signed.status_code == 200, signed.text
    finally:
        server.terminate()
        server.communicate(timeout=20)


def test_postgresql_is_never_migrated_behind_the_operators_back(
    tmp_path: Path, postgres_server: PostgresServer
) -> None:
    url = fresh_postgres_database(postgres_server)
    for args in (("users", "list"), ("worker",), ("serve", "--port", str(free_port()))):
        line = _one_line(_run(tmp_path, *args, KREYOL_DATABASE_URL=url), 1, "kreyol db upgrade")
        assert "has no tables" in line
    password = url.split("//", 1)[1].split("@")[0].partition(":")[2]
    assert not password or password not in line


def test_unreachable_postgresql_is_one_line(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://nobody:s3cret-pw@127.0.0.1:{free_port()}/kreyol"
    line = _one_line(_run(tmp_path, "users", "list", KREYOL_DATABASE_URL=url), 1, "cannot reach")
    assert "s3cret-pw" not in line


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("KREYOL_MODE", "prod", "'development' or 'production'"),
        ("KREYOL_REGISTRATION", "opne", "'open', 'invite' or 'closed'"),
        ("KREYOL_DB_POOL_SIZE", "zero", "integer"),
    ],
)
def test_a_typo_in_the_environment_names_the_variable_and_the_allowed_values(
    tmp_path: Path, variable: str, value: str, allowed: str
) -> None:
    result = _run(tmp_path, "users", "list", KREYOL_DATA_DIR=str(tmp_path), **{variable: value})
    _one_line(result, 2, variable, repr(value), allowed)


def test_user_errors_are_one_line(tmp_path: Path) -> None:
    env = {"KREYOL_DATA_DIR": str(tmp_path)}
    _one_line(
        _run(tmp_path, "translate", "--file", "missing.txt", "--to", "en", **env), 1, "missing.txt"
    )
    document = tmp_path / "a.txt"
    document.write_text("Good morning\n", "utf-8")
    no_server = _run(
        tmp_path,
        "translate-file",
        str(document),
        "--to",
        "ht",
        "--server",
        f"http://127.0.0.1:{free_port()}",
        "--api-key",
        "ka_x",
        **env,
    )
    assert no_server.returncode == 1 and "Traceback" not in no_server.stderr
    assert "cannot reach" in no_server.stderr.strip().splitlines()[-1]
    _one_line(_run(tmp_path, "db", "downgrade", "9999", "--yes", **env), 2, "9999")
    _one_line(
        _run(tmp_path, "db", "migrate-sqlite", "--from", "not a url", "--to", "x", **env), 2, "URL"
    )
    missing = tmp_path / "nope.db"
    _one_line(
        _run(
            tmp_path,
            "db",
            "migrate-sqlite",
            "--from",
            f"sqlite:///{missing}",
            "--to",
            "postgresql+psycopg://u@127.0.0.1/db",
            **env,
        ),
        2,
        str(missing),
    )
    assert not missing.exists()
    _one_line(_run(tmp_path, "users", "reset-limits", "ghost", **env), 1, "ghost")
    _one_line(_run(tmp_path, "keys", "list", "ghost", **env), 1, "ghost")
    _one_line(_run(tmp_path, "users", "set-tier", "ghost", "platinum", **env), 2, "enterprise")
    _one_line(
        _run(tmp_path, "translate", "hello", "--from", "en", "--to", "xx", **env), 2, "unsupported"
    )
    # Click's own complaints about the command line are one line too, not a usage box
    _one_line(_run(tmp_path, "eval", "missing.tsv", "--from", "en", "--to", "ht"), 2, "missing.tsv")
    _one_line(_run(tmp_path, "translate", "hello", **env), 2, "--to", "kreyol translate --help")
    _one_line(_run(tmp_path, "keys", "revoke", "abc", **env), 2, "key_id")
    _one_line(_run(tmp_path, "bogus"), 2, "bogus")


def test_the_traceback_shows_only_with_debug(tmp_path: Path) -> None:
    env = {"KREYOL_DATA_DIR": str(tmp_path), "KREYOL_NEURAL_BEAM_SIZE": "99"}
    _one_line(_run(tmp_path, "users", "list", **env), 2, "KREYOL_NEURAL_BEAM_SIZE")
    debug = _run(tmp_path, "--debug", "users", "list", **env)
    assert debug.returncode != 0 and "Traceback" in debug.stderr
    via_env = _run(tmp_path, "users", "list", KREYOL_DEBUG="1", **env)
    assert "Traceback" in via_env.stderr


def test_downgrade_base_asks_first(tmp_path: Path) -> None:
    env = {"KREYOL_DATA_DIR": str(tmp_path)}
    assert _run(tmp_path, "db", "upgrade", **env).returncode == 0
    refused = _run(tmp_path, "db", "downgrade", "base", stdin="n\n", **env)
    assert refused.returncode == 1
    assert "EVERY table" in refused.stdout + refused.stderr
    assert _run(tmp_path, "users", "list", **env).returncode == 0
    done = _run(tmp_path, "db", "downgrade", "base", "--yes", **env)
    assert done.returncode == 0, done.stderr
    assert "at revision base" in done.stdout


def test_accounts_walkthrough(tmp_path: Path) -> None:
    env = {"KREYOL_DATA_DIR": str(tmp_path), "KREYOL_ADMIN_PASSWORD": PASSWORD}
    assert _run(tmp_path, "users", "create-admin", **env).returncode == 0
    other = _run(
        tmp_path,
        "users",
        "create-admin",
        "--username",
        "ops",
        "--email",
        "o@example.org",
        "--tier",
        "pro",
        **env,
    )
    assert other.returncode == 0, other.stderr
    rows = [line.split("\t") for line in _run(tmp_path, "users", "list", **env).stdout.splitlines()]
    assert rows[0] == ["username", "email", "role", "tier", "state", "scopes"]
    tiers = {row[0]: row[3] for row in rows[1:]}
    assert tiers == {"admin": "enterprise", "ops": "pro"}
    reset = _run(tmp_path, "users", "reset-limits", "admin", **env)
    _one_line(reset, 1, "/api/v1/admin/users/admin/limits/reset")
    assert "reset" not in reset.stdout
    created = _run(tmp_path, "keys", "create", "admin", "--name", "ci", **env)
    assert created.returncode == 0
    assert _run(tmp_path, "keys", "revoke", "1", **env).returncode == 0
    _one_line(_run(tmp_path, "keys", "revoke", "1", **env), 1, "already revoked")
    _one_line(_run(tmp_path, "keys", "revoke", "99", **env), 1, "99")
    keys = _run(tmp_path, "keys", "list", "admin", **env).stdout.splitlines()
    expires = keys[1].split("\t")[5]
    assert expires.endswith("+00:00"), expires


def test_reset_limits_with_redis_forgets_the_shared_windows(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    env = {"KREYOL_DATA_DIR": str(tmp_path), "KREYOL_ADMIN_PASSWORD": PASSWORD}
    assert _run(tmp_path, "users", "create-admin", **env).returncode == 0
    done = _run(
        tmp_path, "users", "reset-limits", "ADMIN", KREYOL_REDIS_URL=redis_server.url, **env
    )
    assert done.returncode == 0, done.stderr
    assert "admin" in done.stdout


def test_translate_keeps_stdin_newlines_normalises_codes_and_is_quiet_for_streams(
    tmp_path: Path,
) -> None:
    env = {"KREYOL_DATA_DIR": str(tmp_path)}
    piped = _run(tmp_path, "translate", "--from", "HT", "--to", "eng", stdin="Mwen malad.\n", **env)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == "I'm sick.\n"
    assert piped.stderr == ""
    bare = _run(tmp_path, "translate", "--to", "en", stdin="Mwen malad.", **env)
    assert bare.stdout == "I'm sick."
    detailed = _run(tmp_path, "translate", "--to", "en", "--details", stdin="Mwen malad.", **env)
    assert "exact" in detailed.stderr
    argument = _run(tmp_path, "translate", "Good morning", "--from", "ENG", "--to", "Hat", **env)
    assert argument.stdout == "Bonjou\n"
    assert "exact" in argument.stderr
    french = _run(tmp_path, "translate", "Bonjou", "--from", "ht", "--to", "fre", **env)
    assert french.returncode == 0, french.stderr


def test_cache_stats_fails_when_redis_is_unreachable(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    _one_line(_run(tmp_path, "cache", "stats", KREYOL_REDIS_URL=url), 1, "unreachable")


def test_serve_with_workers_and_no_redis_warns_once(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [*KREYOL, "serve", "--port", str(port), "--workers", "2"],
        env=_env(KREYOL_DATA_DIR=str(tmp_path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_port(port, timeout=60)
    finally:
        server.terminate()
        stderr = server.communicate(timeout=30)[1]
    warnings = [line for line in stderr.splitlines() if line.startswith("WARNING: --workers")]
    assert len(warnings) == 1 and "2×" in warnings[0]


def test_translate_file_never_overwrites_without_force(tmp_path: Path) -> None:
    env = {"KREYOL_DATA_DIR": str(tmp_path)}
    letter = tmp_path / "letter.txt"
    letter.write_text("Good morning.\n", encoding="utf-8")
    out = tmp_path / "letter.ht.txt"
    out.write_text("someone's own file\n", encoding="utf-8")
    refused = _run(tmp_path, "translate-file", str(letter), "--to", "ht", **env)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "use --force" in refused.stderr.splitlines()[-1]
    named = _run(tmp_path, "translate-file", str(letter), "--to", "ht", "--out", str(out), **env)
    _one_line(named, 1, "--force")  # a named output is checked before any work
    assert out.read_text(encoding="utf-8") == "someone's own file\n"
    forced = _run(tmp_path, "translate-file", str(letter), "--to", "ht", "--force", **env)
    assert forced.returncode == 0, forced.stderr
    assert out.read_text(encoding="utf-8") == "Bonjou.\n"
