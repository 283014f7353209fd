"""Concurrency races of the auth layer (audit issue 11), with real threads against a live server.

Each test runs on SQLite and on PostgreSQL, many trials each: a race that is lost only
sometimes is still lost.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import migrate
from tests.conftest import PASSWORD, make_user
from tests.servers import free_port, wait_for_port

TRIALS = 12


@contextmanager
def live(settings: Settings) -> Iterator[tuple[httpx.Client, FastAPI]]:
    """The app served by uvicorn in a thread; a client bound to it."""
    app = create_app(settings)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            yield client, app
    finally:
        server.should_exit = True
        thread.join(20)


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[tuple[httpx.Client, FastAPI]]:
    migrate.upgrade(database_url)
    settings = Settings(
        data_dir=tmp_path,
        database_url=database_url,
        auth_rate_per_minute=100_000,
        auth_rate_per_hour=100_000,
        login_max_failures_per_ip=100_000,
        max_keys_per_user=3,
        registration="invite",
        _env_file=None,
    )
    with live(settings) as running:
        yield running


def together(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Run the calls at the same instant, one thread each."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def sign_in(client: httpx.Client, username: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_concurrent_refreshes_always_end_the_whole_family(
    server: tuple[httpx.Client, FastAPI],
) -> None:
    client, app = server
    make_user(app, "alice")
    winners, refresh_survived, access_survived = 0, 0, 0
    for _ in range(TRIALS):
        pair = sign_in(client, "alice").json()

        def spend(token: str = pair["refresh_token"]) -> httpx.Response:
            return client.post("/api/v1/auth/refresh", json={"refresh_token": token})

        answers = together([spend, spend])
        assert sorted(a.status_code for a in answers) in ([200, 401], [401, 401])
        for won in (a.json() for a in answers if a.status_code == 200):
            winners += 1
            again = client.post(
                "/api/v1/auth/refresh", json={"refresh_token": won["refresh_token"]}
            )
            refresh_survived += again.status_code != 401
            me = client.get(
                "/api/v1/users/me", headers={"Authorization": f"Bearer {won['access_token']}"}
            )
            access_survived += me.status_code != 401
    assert (refresh_survived, access_survived) == (0, 0), (
        f"of {winners} winners, {refresh_survived} kept a refresh token, {access_survived} access"
    )
    assert winners >= TRIALS // 2  # the race was really run, not refused up front


@pytest.fixture(params=["memory", "redis"])
def throttled(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[httpx.Client, FastAPI]]:
    """A live server whose sign-in counters are in memory, or shared through Redis."""
    settings = Settings(
        data_dir=tmp_path,
        auth_rate_per_minute=100_000,
        login_max_failures_per_ip=100_000,
        _env_file=None,
    )
    if request.param == "redis":
        settings = Settings(
            **{**settings.model_dump(), "redis_url": request.getfixturevalue("redis_server").url},
            _env_file=None,
        )
    migrate.upgrade(settings.effective_database_url)
    with live(settings) as running:
        yield running


def test_concurrent_wrong_passwords_are_reserved_before_checking(
    throttled: tuple[httpx.Client, FastAPI],
) -> None:
    client, app = throttled
    alice = make_user(app, f"alice{random.randrange(10**6)}")
    limit = app.state.settings.login_max_failures_per_user
    guesses = [f"wrong guess number {i}" for i in range(30)]
    calls = [lambda g=guess: sign_in(client, alice, g) for guess in guesses]
    statuses = [answer.status_code for answer in together(calls)]
    assert statuses.count(401) == limit, f"{statuses.count(401)} passwords checked, limit {limit}"
    assert statuses.count(429) == 30 - limit
    assert sign_in(client, alice).status_code == 429  # the right one now waits too


def test_concurrent_demotions_keep_an_administrator(server: tuple[httpx.Client, FastAPI]) -> None:
    client, app = server
    make_user(app, "root", role="admin")
    make_user(app, "bob", role="admin")
    users = app.state.users
    for _ in range(TRIALS):
        users.update_user("root", role="admin")
        users.update_user("bob", role="admin")
        headers = {
            name: {"Authorization": f"Bearer {sign_in(client, name).json()['access_token']}"}
            for name in ("root", "bob")
        }

        def demote(auth: dict[str, str], target: str) -> Callable[[], httpx.Response]:
            return lambda: client.patch(
                f"/api/v1/admin/users/{target}", json={"role": "user"}, headers=auth
            )

        answers = together([demote(headers["root"], "bob"), demote(headers["bob"], "root")])
        assert all(a.status_code in (200, 401, 403, 409) for a in answers), [
            a.text for a in answers
        ]
        admins = [u for u in users.list_users() if u.role == "admin" and not u.disabled]
        assert admins, "both administrators demoted each other: nobody is left"


def test_concurrent_key_creations_respect_the_cap(server: tuple[httpx.Client, FastAPI]) -> None:
    client, app = server
    make_user(app, "alice")
    headers = {"Authorization": f"Bearer {sign_in(client, 'alice').json()['access_token']}"}

    def create() -> httpx.Response:
        return client.post("/api/v1/keys", json={"name": "k"}, headers=headers)

    statuses = [answer.status_code for answer in together([create] * 10)]
    assert sorted(statuses) == [201] * 3 + [409] * 7, statuses
    assert len(client.get("/api/v1/keys", headers=headers).json()) == 3


def test_one_invitation_makes_one_account(server: tuple[httpx.Client, FastAPI]) -> None:
    client, app = server
    for trial in range(TRIALS // 2):
        code = app.state.users.create_invite(None)

        def register(name: str, code: str = code) -> Callable[[], httpx.Response]:
            body = {"username": name, "email": f"{name}@example.org", "password": PASSWORD}
            return lambda: client.post("/api/v1/auth/register", json={**body, "invite": code})

        answers = together(
            [register(f"ann{trial}"), register(f"ben{trial}"), register(f"cat{trial}")]
        )
        assert sorted(a.status_code for a in answers) == [201, 403, 403]
