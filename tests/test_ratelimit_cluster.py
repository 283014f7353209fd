"""Two API processes sharing one Redis: exact admission under concurrency, and Redis failures."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.servers import ApiServer, RedisServer, admin_key, kreyol, kreyol_env

LIMIT = 30  # the basic tier's per-minute limit


def _env(tmp_path: Path, redis_url: str) -> dict[str, str]:
    return kreyol_env(tmp_path, KREYOL_REDIS_URL=redis_url)


def _kreyol(env: dict[str, str], *args: str) -> str:
    return kreyol(env, *args)


def _new_key(env: dict[str, str], username: str) -> str:
    return admin_key(env, username, "basic", "a long enough passphrase")


def _burst(urls: list[str], key: str, count: int) -> Counter[int]:
    """``count`` concurrent detect calls spread over ``urls``; returns status code counts."""

    def one(index: int) -> int:
        url = urls[index % len(urls)]
        response = httpx.post(
            f"{url}/api/v1/detect", json={"text": "Bonjou"}, headers={"X-API-Key": key}, timeout=30
        )
        return response.status_code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return Counter(pool.map(one, range(count)))


@pytest.fixture
def cluster(tmp_path: Path, redis_server: RedisServer):
    env = _env(tmp_path, redis_server.url)
    _kreyol(env, "db", "upgrade")
    servers = [ApiServer(env).start(), ApiServer(env).start()]
    yield env, [server.url for server in servers]
    for server in servers:
        server.stop()


def test_fifty_concurrent_clients_on_one_key_admit_exactly_the_limit(cluster) -> None:
    env, urls = cluster
    key = _new_key(env, "loadtest")
    statuses = _burst(urls, key, 50)
    assert statuses == Counter({200: LIMIT, 429: 50 - LIMIT})


def test_redis_down_degrades_to_per_process_limits_and_recovers(
    cluster, redis_server: RedisServer
) -> None:
    env, urls = cluster
    key = _new_key(env, "faulty")
    assert _burst(urls, key, 10) == Counter({200: 10})
    redis_server.kill()
    try:
        down = _burst(urls[:1], key, LIMIT + 10)
        assert set(down) <= {200, 429}
        assert down[200] == LIMIT
    finally:
        redis_server.start()
    fresh = _new_key(env, "recovered")
    assert _shared_again(urls, fresh), "limits were not shared again after Redis came back"
    left = int(_detect(urls[1], fresh).headers["RateLimit-Remaining"])
    statuses = _burst(urls, fresh, left + 10)
    assert statuses == Counter({200: left, 429: 10})


def _detect(url: str, key: str) -> httpx.Response:
    return httpx.post(
        f"{url}/api/v1/detect", json={"text": "Bonjou"}, headers={"X-API-Key": key}, timeout=30
    )


def _shared_again(urls: list[str], key: str, timeout: float = 30) -> bool:
    """Calls alternate between the processes; shared counting shows one countdown, twice."""
    deadline = time.monotonic() + timeout
    previous: int | None = None
    while time.monotonic() < deadline:
        first = int(_detect(urls[0], key).headers["RateLimit-Remaining"])
        second = int(_detect(urls[1], key).headers["RateLimit-Remaining"])
        if second == first - 1 and previous is not None and first == previous - 1:
            return True
        previous = second if second == first - 1 else None
        time.sleep(0.5)
    return False
