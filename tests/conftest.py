"""Shared fixtures: real redis-server and PostgreSQL, migrated databases, API clients."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager, migrate
from tests.servers import PostgresServer, RedisServer, ServerUnavailable

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    """In CI a missing server fails the run; on a laptop the tests that need it are skipped."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: servers are required)")
    pytest.skip(reason)


def _serve(server: RedisServer | PostgresServer) -> Iterator[RedisServer | PostgresServer]:
    try:
        server.start()
    except ServerUnavailable as exc:
        _unavailable(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    yield from _serve(RedisServer())  # type: ignore[misc]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    yield from _serve(PostgresServer())  # type: ignore[misc]


def fresh_postgres_database(server: PostgresServer) -> str:
    """A new empty database on the shared server, so tests never see each other's rows."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server.url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend (not migrated)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kreyol.db'}"
    return fresh_postgres_database(request.getfixturevalue("postgres_server"))


@pytest.fixture
def db(database_url: str, tmp_path: Path) -> Iterator[DatabaseManager]:
    """A migrated DatabaseManager on each backend."""
    migrate.upgrade(database_url)
    manager = DatabaseManager(database_url, settings=Settings(data_dir=tmp_path))
    yield manager
    manager.dispose()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Development settings on a migrated SQLite file in a temporary data directory."""
    result = Settings(data_dir=tmp_path, _env_file=None)
    migrate.upgrade(result.effective_database_url)
    return result


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The API over HTTP semantics (httpx) without a socket."""
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def derive(settings: Settings, **changes: object) -> Settings:
    """A validated copy of ``settings`` with some fields changed."""
    return Settings(**{**settings.model_dump(), **changes}, _env_file=None)


PASSWORD = "correct horse battery staple"


def make_user(app, username: str = "alice", role: str = "user", **fields: object) -> str:
    """Create an account directly (as an operator would) and return its username."""
    from kreyol_ia.auth import UserCreate

    app.state.users.create_user(
        UserCreate(username=username, email=f"{username}@example.org", password=PASSWORD),
        role=role,
        **fields,
    )
    return username


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    """Sign in over HTTP and return the Authorization header."""
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture
def auth_client(client: TestClient) -> TestClient:
    """The API as a signed-in ordinary user (Bearer token on every request)."""
    make_user(client.app, "alice")
    client.headers.update(bearer(client, "alice"))
    return client


@pytest.fixture
def documents_client(settings: Settings) -> Iterator[TestClient]:
    """Signed in as alice (enterprise tier); document jobs queued, run by the test itself."""
    app = create_app(derive(settings, jobs_in_process=False))
    with TestClient(app) as test_client:
        make_user(app, "alice", tier="enterprise")
        test_client.headers.update(bearer(test_client, "alice"))
        yield test_client


SESSION_START = pytest.StashKey[float]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[SESSION_START] = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Where this run's screenshots are, whichever process (or xdist worker) took them."""
    from tests.web.harness import screenshot_dir

    started = terminalreporter.config.stash.get(SESSION_START, 0.0)
    directory = screenshot_dir()
    taken = [p for p in directory.glob("*.png") if p.stat().st_mtime >= started]
    if taken:
        terminalreporter.write_line(f"screenshots ({len(taken)}): {directory}")


# the longest files run first: at the end, under xdist, one of them would keep a worker busy alone
LONGEST_FIRST = (
    "tests/web/",
    "tests/test_cli_walkthrough.py",
    "tests/test_cli.py",
    "tests/test_cli_documents.py",
    "tests/compat/",
    "tests/test_faults.py",
    "tests/test_ratelimit_cluster.py",
    "tests/test_multi_instance.py",
    "tests/test_openapi_client.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A stable sort: those files first, in that order, each file's own order kept."""

    def rank(item: pytest.Item) -> int:
        return next(
            (i for i, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)),
            len(LONGEST_FIRST),
        )

    items.sort(key=rank)
