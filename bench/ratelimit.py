"""Decisions per second of a three-window tiered decision with its header numbers.

Ours: one call decides and charges minute, hour and day atomically and returns every number
the RateLimit headers need. Peer: the `limits` library doing the same three windows the only
way it can (test each window, hit each window, read each window's stats: 9 storage calls and
no atomicity), with its moving-window and sliding-window-counter strategies, on the same
storage kind in the same run. Printed as ratios ours / peer (higher is better for ours).

    .venv/bin/pip install -e '.[bench]'   # the limits library, once
    .venv/bin/python -m bench.ratelimit [--decisions 20000] [--clients 500]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

try:
    from limits import RateLimitItemPerDay, RateLimitItemPerHour, RateLimitItemPerMinute
    from limits.storage import MemoryStorage, RedisStorage
    from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
except ModuleNotFoundError as exc:  # the peer is not a dependency of the service itself
    raise SystemExit(
        "bench.ratelimit compares against the limits library: .venv/bin/pip install -e '.[bench]'"
    ) from exc

from bench.redis_server import start_redis
from kreyol_ia.ratelimit import MemoryBackend, RedisBackend, Tier, TieredRateLimiter
from kreyol_ia.redis_conn import connect_redis

BIG = Tier("bench", 10**6, 10**7, 10**8)
ITEMS = [
    RateLimitItemPerMinute(BIG.per_minute),
    RateLimitItemPerHour(BIG.per_hour),
    RateLimitItemPerDay(BIG.per_day),
]


def ours(limiter: TieredRateLimiter) -> Callable[[str], None]:
    def decide(client: str) -> None:
        decision = limiter.check(client, 1, "bench")
        _ = decision.tightest.remaining, decision.tightest.reset

    return decide


def peer(
    strategy: MovingWindowRateLimiter | SlidingWindowCounterRateLimiter,
) -> Callable[[str], None]:
    def decide(client: str) -> None:
        if all(strategy.test(item, client) for item in ITEMS):
            for item in ITEMS:
                strategy.hit(item, client)
        stats = [strategy.get_window_stats(item, client) for item in ITEMS]
        _ = min(s.remaining for s in stats)

    return decide


def rate(decide: Callable[[str], None], decisions: int, clients: int) -> float:
    names = [f"client-{i}" for i in range(clients)]
    for name in names[:50]:
        decide(name)
    start = time.perf_counter()
    for i in range(decisions):
        decide(names[i % clients])
    return decisions / (time.perf_counter() - start)


def report(label: str, mine: float, peers: dict[str, float]) -> None:
    print(f"{label}: ours {mine:,.0f} decisions/s")
    for name, value in peers.items():
        print(f"  limits {name}: {value:,.0f} decisions/s   ours/peer = {mine / value:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=500)
    args = parser.parse_args()
    tiers = {"bench": BIG}

    mine = rate(
        ours(TieredRateLimiter(MemoryBackend(), tiers, "bench")), args.decisions, args.clients
    )
    report(
        "memory",
        mine,
        {
            "moving window": rate(
                peer(MovingWindowRateLimiter(MemoryStorage())), args.decisions, args.clients
            ),
            "sliding-window counter": rate(
                peer(SlidingWindowCounterRateLimiter(MemoryStorage())), args.decisions, args.clients
            ),
        },
    )

    server = start_redis()
    if server is None:
        print("redis: skipped (redis-server not installed)")
        return
    process, url = server
    try:
        redis_decisions = max(args.decisions // 4, 1000)
        mine = rate(
            ours(TieredRateLimiter(RedisBackend(connect_redis(url)), tiers, "bench")),
            redis_decisions,
            args.clients,
        )
        report(
            "redis",
            mine,
            {
                "moving window": rate(
                    peer(MovingWindowRateLimiter(RedisStorage(url))), redis_decisions, args.clients
                ),
                "sliding-window counter": rate(
                    peer(SlidingWindowCounterRateLimiter(RedisStorage(url))),
                    redis_decisions,
                    args.clients,
                ),
            },
        )
    finally:
        process.kill()


if __name__ == "__main__":
    main()
