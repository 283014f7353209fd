"""Cache costs measured in one run, printed as ratios.

1. A hit through TranslationCache (key hashing, namespacing, JSON) against a raw redis-py GET
   of the same stored bytes: the overhead our layer adds to Redis.
2. A cached against an uncached POST /api/v1/translate through the whole API (auth, limits,
   segmentation, engine or cache, usage record), same texts, same process.

    .venv/bin/python -m bench.cache [--rounds 2000] [--requests 300]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from bench.redis_server import start_redis
from kreyol_ia.api import create_app
from kreyol_ia.auth import UserCreate
from kreyol_ia.cache import RedisCache, TranslationCache, translation_key
from kreyol_ia.config import Settings
from kreyol_ia.db import migrate
from kreyol_ia.redis_conn import connect_redis

TEXTS = [
    "The children went to the market yesterday with their mother.",
    "We will take the bus to the hospital tomorrow morning.",
    "My brother is a teacher at the big school near the church.",
    "Les enfants ont mangé du riz et des haricots ce soir.",
]


def bench_hit(url: str, rounds: int) -> None:
    client = connect_redis(url)
    cache = TranslationCache(RedisCache(client=client))
    cache.set_translation("Where is the hospital?", "Kote lopital la ye?", "en", "ht")
    raw_key = cache.cache.namespaced(translation_key("Where is the hospital?", "en", "ht"))
    start = time.perf_counter()
    for _ in range(rounds):
        cache.get_translation("Where is the hospital?", "en", "ht")
    ours = rounds / (time.perf_counter() - start)
    start = time.perf_counter()
    for _ in range(rounds):
        client.get(raw_key)
    raw = rounds / (time.perf_counter() - start)
    print(
        f"cache hit: TranslationCache {ours:,.0f}/s, raw redis-py GET {raw:,.0f}/s, "
        f"ours/raw = {ours / raw:.2f}x"
    )


def bench_requests(url: str, requests: int) -> None:
    data_dir = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=data_dir, redis_url=url, _env_file=None)
    migrate.upgrade(settings.effective_database_url)
    app = create_app(settings)
    app.state.users.create_user(
        UserCreate(
            username="bench", email="bench@example.org", password="long enough passphrase 1"
        ),
        tier="enterprise",
    )
    with TestClient(app) as client:
        token = client.post(
            "/api/v1/auth/token", data={"username": "bench", "password": "long enough passphrase 1"}
        )
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        service = app.state.translation
        cache = service.cache

        def run(with_cache: bool) -> float:
            service.cache = cache if with_cache else None
            app.state.limiter.reset("user:bench")
            start = time.perf_counter()
            for i in range(requests):
                source = "fr" if TEXTS[i % len(TEXTS)].startswith("Les") else "en"
                response = client.post(
                    "/api/v1/translate",
                    json={"text": TEXTS[i % len(TEXTS)], "source": source, "target": "ht"},
                )
                if response.status_code == 429:
                    app.state.limiter.reset("user:bench")
            return requests / (time.perf_counter() - start)

        uncached = run(False)
        run(True)
        cached = run(True)
    print(
        f"translate end to end: cached {cached:,.0f} req/s, uncached {uncached:,.0f} req/s, "
        f"cached/uncached = {cached / uncached:.2f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    server = start_redis()
    if server is None:
        print("skipped: redis-server is not installed")
        return
    process, url = server
    try:
        bench_hit(url, args.rounds)
        bench_requests(url, args.requests)
    finally:
        process.kill()


if __name__ == "__main__":
    main()
