"""Fault injection with real processes: Redis killed and PostgreSQL restarted under load.

Documented bound: while PostgreSQL restarts, a request retries its database work for about
3 s (5 attempts, exponential backoff) and then answers 503 ``database_unavailable`` with
Retry-After; it never answers 500, and no accepted usage or task row is lost.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager, Task, UsageStat, migrate
from tests.conftest import fresh_postgres_database
from tests.servers import ApiServer, PostgresServer, RedisServer, admin_key, kreyol, kreyol_env

SENTENCES = [
    "Good morning, how are you?",
    "Where is the hospital?",
    "I am sick.",
    "Do you have a fever?",
    "Wash your hands with soap and clean water.",
]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return kreyol_env(tmp_path, **extra)


def _kreyol(env: dict[str, str], *args: str) -> str:
    return kreyol(env, *args)


def _api_key(env: dict[str, str], username: str = "loadtest") -> str:
    return admin_key(env, username, "enterprise", "a long enough passphrase")


def _translate(url: str, key: str, text: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/translate",
        headers={"X-API-Key": key},
        timeout=30,
        json={"text": text, "source": "en", "target": "ht"},
    )


def _cache_stats(url: str, key: str) -> dict:
    """The cache's counters (admin only: responses no longer say whether the cache answered)."""
    response = httpx.get(f"{url}/api/v1/admin/cache/stats", headers={"X-API-Key": key}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()


def test_redis_killed_during_a_burst_then_back(tmp_path: Path, redis_server: RedisServer) -> None:
    env = _env(tmp_path, KREYOL_REDIS_URL=redis_server.url)
    _kreyol(env, "db", "upgrade")
    key = _api_key(env)
    server = ApiServer(env).start()
    try:
        expected = {
            s: _translate(server.url, key, s).json()["translations"][0]["translation"]
            for s in SENTENCES
        }
        killer = threading.Timer(0.5, redis_server.kill)
        killer.start()
        results: list[tuple[int, str, str]] = []

        def one(index: int) -> None:
            text = SENTENCES[index % len(SENTENCES)]
            response = _translate(server.url, key, text)
            body = response.json()
            got = body["translations"][0]["translation"] if response.status_code == 200 else ""
            results.append((response.status_code, text, got))

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(one, range(120)))
        killer.join()
        assert Counter(status for status, _, _ in results) == Counter({200: 120})
        assert all(got == expected[text] for _, text, got in results)
    finally:
        redis_server.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            _translate(server.url, key, "Where is the hospital?")
            if _cache_stats(server.url, key)["backend"] == "redis":
                break
            time.sleep(1)
        for text in SENTENCES:
            _translate(server.url, key, text)
        before = _cache_stats(server.url, key)
        for text in SENTENCES:
            _translate(server.url, key, text)
        after = _cache_stats(server.url, key)
        assert after["backend"] == "redis"
        assert (after["hits"] - before["hits"], after["misses"] - before["misses"]) == (
            len(SENTENCES),
            0,
        ), "the hit rate did not recover after Redis came back"
    finally:
        server.stop()


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> str:
    url = fresh_postgres_database(postgres_server)
    migrate.upgrade(url)
    return url


def test_postgres_restart_during_a_burst(
    tmp_path: Path, postgres_server: PostgresServer, pg_url: str
) -> None:
    env = _env(tmp_path, KREYOL_DATABASE_URL=pg_url)
    key = _api_key(env)
    server = ApiServer(env).start()
    statuses: Counter[int] = Counter()
    after_restart: Counter[int] = Counter()
    restarted = threading.Event()
    stop = threading.Event()
    lock = threading.Lock()

    def client_loop(worker: int) -> None:
        index = worker
        while not stop.is_set():
            response = _translate(server.url, key, SENTENCES[index % len(SENTENCES)])
            with lock:
                statuses[response.status_code] += 1
                if restarted.is_set():
                    after_restart[response.status_code] += 1
            index += 1
            time.sleep(0.15)

    db = DatabaseManager(pg_url, settings=Settings(data_dir=tmp_path, _env_file=None))
    created: list[str] = []
    try:
        with ThreadPoolExecutor(max_workers=5) as pool:
            for worker in range(3):
                pool.submit(client_loop, worker)
            time.sleep(1.5)
            restarter = threading.Thread(target=postgres_server.restart)
            restarter.start()
            while restarter.is_alive():
                created.append(db.create_task("probe", {"n": len(created)}))
            restarter.join()
            restarted.set()
            deadline = time.monotonic() + 30
            while after_restart[200] < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            stop.set()
    finally:
        stop.set()
        server.stop()
    assert statuses[500] == 0, statuses
    assert set(statuses) <= {200, 503}, statuses
    assert after_restart[200] >= 3, (statuses, after_restart)  # served again once it is back
    with db.session() as session:
        usage = session.scalar(
            select(func.sum(UsageStat.requests)).where(
                UsageStat.username == "loadtest", UsageStat.endpoint == "translate"
            )
        )
        stored = session.scalar(
            select(func.count()).select_from(Task).where(Task.task_type == "probe")
        )
    assert usage == statuses[200]
    assert stored == len(created)
    db.dispose()
