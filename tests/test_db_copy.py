"""kreyol db migrate-sqlite: a populated SQLite database moves to PostgreSQL intact."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from kreyol_ia.api import create_app
from kreyol_ia.auth import APIKeyCreate, UserCreate
from kreyol_ia.config import Settings
from kreyol_ia.db import migrate
from kreyol_ia.db.models import Base
from kreyol_ia.translation.imports import ImportRow
from tests.conftest import PASSWORD, fresh_postgres_database


def _populate(settings: Settings) -> str:
    """Accounts, a key, sessions, tasks, usage, imported memory and an invite, via the app."""
    app = create_app(settings)
    users = app.state.users
    for name in ("alice", "bob", "carla"):
        users.create_user(UserCreate(username=name, email=f"{name}@example.org", password=PASSWORD))
    key = users.create_api_key("alice", APIKeyCreate(name="clinic", expires_in_days=30)).key
    users.issue_tokens("bob")
    users.create_invite("alice")
    for index in range(2500):
        app.state.db.create_task("document", {"n": index}, owner="carla")
    app.state.db.record_usage("translate", "alice", characters=1234)
    app.state.translation.memory.store(
        "tm", [ImportRow("en", "ht", f"Sentence {i}.", f"Fraz {i}.") for i in range(50)]
    )
    app.state.db.dispose()
    return key


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        counts = {
            t.name: connection.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }
    engine.dispose()
    return counts


def _migrate(tmp_path: Path, source: str, target: str, *extra: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env["KREYOL_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "kreyol_ia",
            "db",
            "migrate-sqlite",
            "--from",
            source,
            "--to",
            target,
            "--batch-size",
            "700",
            *extra,
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_copy_verify_rerun_and_use(tmp_path: Path, settings: Settings, postgres_server) -> None:
    key = _populate(settings)
    source = settings.effective_database_url
    target = fresh_postgres_database(postgres_server)

    first = _migrate(tmp_path, source, target)
    assert first.returncode == 0, first.stderr
    assert "MISMATCH" not in first.stdout and "tasks: 2500 → 2500 rows, keys match" in first.stdout
    assert _counts(target) == _counts(source)

    again = _migrate(tmp_path, source, target)
    assert again.returncode == 2 and "--force" in again.stderr
    forced = _migrate(tmp_path, source, target, "--force")
    assert forced.returncode == 0, forced.stderr
    assert _counts(target) == _counts(source)

    moved = Settings(data_dir=settings.data_dir, database_url=target, _env_file=None)
    with TestClient(create_app(moved)) as client:
        token = client.post("/api/v1/auth/token", data={"username": "bob", "password": PASSWORD})
        assert token.status_code == 200
        me = client.get("/api/v1/users/me", headers={"X-API-Key": key})
        assert me.json()["username"] == "alice"
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = client.post("/api/v1/keys", json={"name": "after the move"}, headers=headers)
        assert created.status_code == 201, created.text
        assert created.json()["id"] == 2


def test_refuses_an_unmigrated_source(tmp_path: Path, postgres_server) -> None:
    source = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(source, "0001")
    result = _migrate(tmp_path, source, fresh_postgres_database(postgres_server))
    assert result.returncode == 2
    assert "kreyol db upgrade" in result.stderr
