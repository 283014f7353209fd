"""The seed's rate limiter (§2) on both storages: windows, costs, tiers, sliding, fallback."""

from __future__ import annotations

import sys
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import redis
from prometheus_client import REGISTRY

from kreyol_ia.ratelimit import (
    TIERS,
    FallbackBackend,
    MemoryBackend,
    RateLimiter,
    RedisBackend,
    TieredRateLimiter,
    get_rate_limiter,
)
from kreyol_ia.ratelimit.limiter import tier_windows, windows_for
from kreyol_ia.redis_conn import connect_redis
from tests.servers import RedisServer, free_port

SEED_TIERS = {
    "free": (10, 100, 1000),
    "basic": (30, 500, 5000),
    "pro": (60, 2000, 20000),
    "enterprise": (200, 10000, 100000),
}
WINDOW_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
T0 = 1_700_000_040.0  # a whole minute (and a whole 24-minute day bucket), so buckets line up


class FakeClock:
    """A settable clock for MemoryBackend and FallbackBackend."""

    def __init__(self, now: float = T0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def new_id() -> str:
    return f"test-{uuid.uuid4().hex}"


def fallback_count() -> float:
    return REGISTRY.get_sample_value("kreyol_ratelimit_fallbacks_total") or 0.0


@pytest.fixture(params=["memory", "redis"])
def backend(request: pytest.FixtureRequest) -> Iterator[MemoryBackend | RedisBackend]:
    """A fresh MemoryBackend, or a RedisBackend on the session's real redis-server."""
    if request.param == "memory":
        yield MemoryBackend()
        return
    client = connect_redis(request.getfixturevalue("redis_server").url)
    yield RedisBackend(client)
    client.close()


# the seed's examples and answer shapes


def test_seed_example_sixty_per_minute(backend) -> None:
    limiter = RateLimiter(requests_per_minute=60, backend=backend)
    client = new_id()
    answers = [limiter.is_allowed(client_id=client) for _ in range(60)]
    assert answers == [(True, None)] * 60
    allowed, retry_after = limiter.is_allowed(client_id=client)
    assert allowed is False
    assert set(retry_after) == {"limit", "seconds", "reset_at"}
    assert retry_after["limit"] == "minute"
    assert isinstance(retry_after["seconds"], int)
    assert 1 <= retry_after["seconds"] <= 60
    reset_at = datetime.fromisoformat(retry_after["reset_at"])
    wait = (reset_at - datetime.now(UTC)).total_seconds()
    assert retry_after["seconds"] - 5 <= wait <= retry_after["seconds"]


def test_default_limit_is_sixty_per_minute(backend) -> None:
    limiter = RateLimiter(backend=backend)
    client = new_id()
    limiter.is_allowed(client)
    usage = limiter.get_usage(client)
    assert list(usage) == ["minute"]
    assert {k: v for k, v in usage["minute"].items() if k != "reset"} == {
        "used": 1,
        "limit": 60,
        "remaining": 59,
    }


def test_get_usage_reports_used_limit_remaining_and_reset(backend) -> None:
    limiter = RateLimiter(requests_per_minute=60, requests_per_hour=500, backend=backend)
    client = new_id()
    for _ in range(3):
        limiter.is_allowed(client)
    usage = limiter.get_usage("unused-" + client)
    assert usage["minute"]["used"] == 0 and usage["minute"]["remaining"] == 60
    usage = limiter.get_usage(client)
    assert usage["minute"]["remaining"] == 57
    assert usage["minute"]["used"] == 3
    assert usage["minute"]["limit"] == 60
    assert 1 <= usage["minute"]["reset"] <= 60
    assert usage["hour"] == {
        "used": 3,
        "limit": 500,
        "remaining": 497,
        "reset": usage["hour"]["reset"],
    }
    assert 60 <= usage["hour"]["reset"] <= 3600
    assert limiter.get_usage(client)["minute"]["used"] == 3  # get_usage charges nothing


def test_refused_requests_charge_no_window(backend) -> None:
    limiter = RateLimiter(requests_per_minute=5, requests_per_hour=100, backend=backend)
    client = new_id()
    assert [limiter.is_allowed(client)[0] for _ in range(5)] == [True] * 5
    refusals = [limiter.is_allowed(client) for _ in range(10)]
    assert all(allowed is False for allowed, _ in refusals)
    assert {detail["limit"] for _, detail in refusals} == {"minute"}
    usage = limiter.get_usage(client)
    assert usage["minute"]["used"] == 5
    assert usage["hour"]["used"] == 5
    assert usage["hour"]["remaining"] == 95


def test_a_cost_larger_than_what_is_left_is_refused_while_a_smaller_one_fits(backend) -> None:
    limiter = RateLimiter(requests_per_minute=10, backend=backend)
    client = new_id()
    assert limiter.is_allowed(client, cost=7) == (True, None)
    allowed, detail = limiter.is_allowed(client, cost=4)
    assert allowed is False and detail["limit"] == "minute"
    assert limiter.get_usage(client)["minute"]["used"] == 7
    assert limiter.is_allowed(client, cost=3) == (True, None)
    assert limiter.get_usage(client)["minute"]["remaining"] == 0
    assert limiter.is_allowed(client, cost=1)[0] is False


def test_a_cost_above_the_limit_never_fits_and_charges_nothing(backend) -> None:
    limiter = RateLimiter(requests_per_minute=5, backend=backend)
    client = new_id()
    allowed, detail = limiter.is_allowed(client, cost=6)
    assert allowed is False
    assert 1 <= detail["seconds"] <= 60
    assert limiter.get_usage(client)["minute"]["used"] == 0
    assert limiter.is_allowed(client, cost=5) == (True, None)


def test_the_whole_cost_must_fit_in_every_window(backend) -> None:
    """The hour window binds before the minute window does: nothing is charged anywhere."""
    limiter = RateLimiter(requests_per_minute=10, requests_per_hour=5, backend=backend)
    client = new_id()
    assert limiter.is_allowed(client, cost=4) == (True, None)
    allowed, detail = limiter.is_allowed(client, cost=3)  # fits the minute (7/10), not the hour
    assert allowed is False
    assert detail["limit"] == "hour"
    assert 1 <= detail["seconds"] <= 3600
    usage = limiter.get_usage(client)
    assert usage["minute"]["used"] == 4
    assert usage["hour"]["used"] == 4
    assert limiter.is_allowed(client, cost=1) == (True, None)
    assert limiter.get_usage(client)["hour"]["remaining"] == 0


def test_the_day_window_binds_too(backend) -> None:
    limiter = RateLimiter(requests_per_minute=50, requests_per_day=3, backend=backend)
    client = new_id()
    assert [limiter.is_allowed(client)[0] for _ in range(4)] == [True, True, True, False]
    allowed, detail = limiter.is_allowed(client)
    assert allowed is False
    assert detail["limit"] == "day"
    assert 1 <= detail["seconds"] <= 86400
    assert limiter.get_usage(client)["minute"]["used"] == 3


def test_weighted_costs_add_up(backend) -> None:
    limiter = RateLimiter(requests_per_minute=100, backend=backend)
    client = new_id()
    for cost in (10, 20, 30):
        assert limiter.is_allowed(client, cost=cost) == (True, None)
    usage = limiter.get_usage(client)["minute"]
    assert usage["used"] == 60
    assert usage["remaining"] == 40


@pytest.mark.parametrize("cost", [0, -5])
def test_a_non_positive_cost_never_gives_credit_back(backend, cost: int) -> None:
    limiter = RateLimiter(requests_per_minute=10, backend=backend)
    client = new_id()
    limiter.is_allowed(client, cost=4)
    limiter.is_allowed(client, cost=cost)
    assert limiter.get_usage(client)["minute"]["used"] >= 4


def test_reset_forgets_every_window(backend) -> None:
    limiter = RateLimiter(requests_per_minute=3, requests_per_hour=10, backend=backend)
    client = new_id()
    other = new_id()
    for _ in range(4):
        limiter.is_allowed(client)
    limiter.is_allowed(other)
    assert limiter.is_allowed(client)[0] is False
    limiter.reset(client)
    usage = limiter.get_usage(client)
    assert usage["minute"]["used"] == 0
    assert usage["hour"]["used"] == 0
    assert limiter.is_allowed(client) == (True, None)
    assert limiter.get_usage(other)["minute"]["used"] == 1  # only that client was reset


def test_clients_are_independent(backend) -> None:
    limiter = RateLimiter(requests_per_minute=2, backend=backend)
    first, second = new_id(), new_id()
    for _ in range(3):
        limiter.is_allowed(first)
    assert limiter.is_allowed(first)[0] is False
    assert limiter.is_allowed(second) == (True, None)
    assert limiter.get_usage(second)["minute"]["used"] == 1
    assert limiter.get_usage(first)["minute"]["used"] == 2


@pytest.mark.parametrize(
    ("limits", "window"),
    [((5, None, None), "minute"), ((None, 5, None), "hour"), ((None, None, 5), "day")],
)
def test_retry_after_seconds_is_within_the_window(backend, limits, window: str) -> None:
    limiter = RateLimiter(*limits, backend=backend)
    client = new_id()
    for _ in range(5):
        assert limiter.is_allowed(client)[0] is True
    allowed, detail = limiter.is_allowed(client)
    assert allowed is False
    assert detail["limit"] == window
    assert 1 <= detail["seconds"] <= WINDOW_SECONDS[window]


def test_limits_must_be_positive_and_at_least_one_window() -> None:
    with pytest.raises(ValueError):
        RateLimiter(requests_per_minute=0)
    with pytest.raises(ValueError):
        RateLimiter(requests_per_minute=None)


# tiers


def test_tiers_have_the_seed_numbers() -> None:
    numbers = {name: (t.per_minute, t.per_hour, t.per_day) for name, t in TIERS.items()}
    assert numbers == SEED_TIERS


def test_tier_assignment_and_default(backend) -> None:
    limiter = TieredRateLimiter(backend=backend)
    user = new_id()
    assert limiter.get_user_tier(user) == "free"
    limiter.set_user_tier("pro_user", "pro")
    assert limiter.get_user_tier("pro_user") == "pro"
    with pytest.raises(ValueError):
        limiter.set_user_tier("pro_user", "gold")
    assert limiter.get_user_tier("pro_user") == "pro"
    with pytest.raises(ValueError):
        TieredRateLimiter(default_tier="gold")


@pytest.mark.parametrize("tier", list(SEED_TIERS))
def test_each_tier_admits_exactly_its_limits(backend, tier: str) -> None:
    limiter = TieredRateLimiter(backend=backend)
    user = new_id()
    limiter.set_user_tier(user, tier)
    per_minute, per_hour, per_day = SEED_TIERS[tier]
    usage = limiter.get_usage(user)
    assert {name: usage[name]["limit"] for name in usage} == {
        "minute": per_minute,
        "hour": per_hour,
        "day": per_day,
    }
    assert limiter.is_allowed(user, cost=per_minute) == (True, None)
    allowed, detail = limiter.is_allowed(user)
    assert allowed is False and detail["limit"] == "minute"
    assert limiter.get_usage(user)["hour"]["remaining"] == per_hour - per_minute


def test_tiered_clients_are_tracked_separately(backend) -> None:
    limiter = TieredRateLimiter(backend=backend)
    free, pro = new_id(), new_id()
    limiter.set_user_tier(pro, "pro")
    results_free = [limiter.is_allowed(free)[0] for _ in range(12)]
    results_pro = [limiter.is_allowed(pro, cost=5)[0] for _ in range(12)]
    assert results_free == [True] * 10 + [False] * 2
    assert results_pro == [True] * 12
    assert limiter.get_usage(pro)["minute"]["used"] == 60
    limiter.reset(free)
    assert limiter.get_usage(free)["minute"]["used"] == 0
    assert limiter.get_usage(pro)["minute"]["used"] == 60


def test_get_rate_limiter_is_one_tiered_limiter_per_process() -> None:
    limiter = get_rate_limiter()
    assert isinstance(limiter, TieredRateLimiter)
    assert get_rate_limiter() is limiter


# sliding windows on an injected clock (the memory backend's own API)


def test_the_minute_slides_while_the_hour_still_counts() -> None:
    clock = FakeClock()
    store = MemoryBackend(clock=clock)
    windows = windows_for(5, 8, None)
    key = new_id()
    assert [store.hit(key, windows, 1).allowed for _ in range(6)] == [True] * 5 + [False]
    clock.advance(30)
    refused = store.hit(key, windows, 1)
    assert refused.blocking == "minute"
    assert refused.retry_after == pytest.approx(30)
    clock.advance(31)  # 61 s after the first requests
    results = [store.hit(key, windows, 1) for _ in range(4)]
    assert [d.allowed for d in results] == [True, True, True, False]
    assert results[-1].blocking == "hour"
    state = {w.name: w.used for w in store.peek(key, windows).windows}
    assert state == {"minute": 3, "hour": 8}
    clock.advance(3600)
    assert store.hit(key, windows, 1).allowed is True
    assert {w.name: w.used for w in store.peek(key, windows).windows} == {"minute": 1, "hour": 1}


def test_a_free_tier_hour_fills_after_ten_minutes_of_full_use() -> None:
    clock = FakeClock()
    store = MemoryBackend(clock=clock)
    windows = tier_windows(TIERS["free"])
    key = new_id()
    for _minute in range(10):
        assert all(store.hit(key, windows, 1).allowed for _ in range(10))
        assert store.hit(key, windows, 1).blocking == "minute"
        clock.advance(61)
    refused = store.hit(key, windows, 1)
    assert refused.blocking == "hour"
    assert 1 <= refused.retry_after <= 3600


def test_memory_stays_bounded_to_max_clients() -> None:
    store = MemoryBackend(max_clients=100)
    windows = windows_for(5, 50, None)
    keys = [new_id() for _ in range(1000)]
    for key in keys:
        store.hit(key, windows, 1)
    assert len(store) == 100
    assert store.peek(keys[-1], windows).windows[0].used == 1  # the newest are kept
    assert store.peek(keys[0], windows).windows[0].used == 0  # the oldest were dropped


def test_a_client_whose_buckets_expired_is_dropped_when_seen_again() -> None:
    clock = FakeClock()
    store = MemoryBackend(clock=clock)
    windows = windows_for(5, 50, None)
    key = new_id()
    store.hit(key, windows, 1)
    assert len(store) == 1
    clock.advance(1800)
    store.peek(key, windows)
    assert len(store) == 1  # the hour still counts it
    clock.advance(1801)
    assert store.peek(key, windows).windows[1].used == 0
    assert len(store) == 0


def test_idle_clients_disappear_once_their_buckets_expire() -> None:
    clock = FakeClock()
    store = MemoryBackend(clock=clock)
    windows = windows_for(5, None, None)
    for _ in range(10):
        store.hit(new_id(), windows, 1)
    clock.advance(120)
    store.hit(new_id(), windows, 1)
    assert len(store) == 1
    hourly = windows_for(5, 50, None)
    lingering = new_id()
    store.hit(lingering, hourly, 1)
    clock.advance(120)
    store.hit(new_id(), hourly, 1)
    assert len(store) == 2  # the hour still counts the lingering client: it is kept
    assert store.peek(lingering, hourly).windows[1].used == 1


def test_rate_limiter_slides_on_the_clock_of_the_memory_backend_it_is_given() -> None:
    """An empty MemoryBackend (len 0, falsy) must still be the one used, clock included."""
    clock = FakeClock()
    store = MemoryBackend(clock=clock)
    limiter = RateLimiter(requests_per_minute=5, requests_per_hour=8, backend=store)
    client = new_id()
    for _ in range(5):
        limiter.is_allowed(client)
    assert limiter.is_allowed(client)[1]["seconds"] == 60
    clock.advance(30)
    assert limiter.is_allowed(client)[1]["seconds"] == 30
    clock.advance(31)
    assert [limiter.is_allowed(client)[0] for _ in range(4)] == [True, True, True, False]
    assert limiter.is_allowed(client)[1]["limit"] == "hour"
    usage = limiter.get_usage(client)
    assert (usage["minute"]["used"], usage["hour"]["used"]) == (3, 8)
    assert len(store) == 1


def test_a_tiered_limiter_on_a_bounded_memory_backend_holds_at_most_max_clients() -> None:
    store = MemoryBackend(max_clients=100)
    limiter = TieredRateLimiter(backend=store)
    clients = [new_id() for _ in range(1000)]
    for client in clients:
        limiter.is_allowed(client)
    assert len(store) == 100
    assert limiter.get_usage(clients[-1])["minute"]["used"] == 1
    assert limiter.get_usage(clients[0])["minute"]["used"] == 0


def test_fallback_counts_in_the_memory_backend_it_is_given() -> None:
    dead = RedisBackend(connect_redis(f"redis://127.0.0.1:{free_port()}/0", timeout=0.2))
    store = MemoryBackend()
    fallback = FallbackBackend(dead, store)
    assert fallback.secondary is store
    RateLimiter(5, backend=fallback).is_allowed(new_id())
    assert len(store) == 1


def test_both_backends_report_the_same_usage_for_an_unseen_client(redis_server) -> None:
    client = connect_redis(redis_server.url)
    try:
        memory = RateLimiter(5, 50, backend=MemoryBackend())
        shared = RateLimiter(5, 50, backend=RedisBackend(client))
        key = new_id()
        assert memory.get_usage(key) == shared.get_usage(key)
    finally:
        client.close()


# thread safety


@pytest.fixture
def eager_switching() -> Iterator[None]:
    """Switch threads every microsecond so that a missing lock shows up as an overshoot."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(previous)


def _hammer(limiter: RateLimiter, key: str, cost: int = 1) -> int:
    """20 threads × 50 attempts on one key, started together; returns how many were admitted."""
    admitted = [0] * 20
    start = threading.Barrier(20)

    def worker(index: int) -> None:
        start.wait()
        for _ in range(50):
            if limiter.is_allowed(key, cost=cost)[0]:
                admitted[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sum(admitted)


@pytest.mark.usefixtures("eager_switching")
def test_concurrent_attempts_admit_exactly_the_limit(backend) -> None:
    limiter = RateLimiter(requests_per_minute=100, backend=backend)
    key = new_id()
    assert _hammer(limiter, key) == 100
    assert limiter.get_usage(key)["minute"]["used"] == 100


@pytest.mark.usefixtures("eager_switching")
def test_concurrent_weighted_attempts_never_overshoot(backend) -> None:
    limiter = RateLimiter(requests_per_minute=100, requests_per_hour=1000, backend=backend)
    key = new_id()
    assert _hammer(limiter, key, cost=3) == 33
    assert limiter.get_usage(key)["hour"]["used"] == 99


# Redis specifics


def test_redis_keys_carry_a_ttl_and_reset_removes_them(redis_server) -> None:
    client = connect_redis(redis_server.url)
    try:
        namespace = f"test:{uuid.uuid4().hex}"
        limiter = RateLimiter(10, 100, 1000, backend=RedisBackend(client, namespace=namespace))
        key = new_id()
        limiter.is_allowed(key)
        names = [f"{namespace}:{{limit:{key}}}:{w}" for w in WINDOW_SECONDS]
        assert sorted(k.decode() for k in client.scan_iter(f"{namespace}:*")) == sorted(names)
        for name, window in zip(names, WINDOW_SECONDS.values(), strict=True):
            assert 0 < client.ttl(name) <= window + 1
        limiter.reset(key)
        assert client.exists(*names) == 0
    finally:
        client.close()


def test_two_limiters_on_one_redis_share_a_client_windows(redis_server) -> None:
    first, second = connect_redis(redis_server.url), connect_redis(redis_server.url)
    try:
        a = RateLimiter(5, backend=RedisBackend(first))
        b = RateLimiter(5, backend=RedisBackend(second))
        key = new_id()
        assert [a.is_allowed(key)[0] for _ in range(3)] == [True] * 3
        assert [b.is_allowed(key)[0] for _ in range(3)] == [True, True, False]
        assert a.get_usage(key)["minute"]["used"] == 5
    finally:
        first.close()
        second.close()


# the Redis → memory fallback


def _dead_redis(port: int) -> RedisBackend:
    return RedisBackend(connect_redis(f"redis://127.0.0.1:{port}/0", timeout=0.2))


def test_fallback_enforces_limits_in_memory_and_counts_one_incident() -> None:
    clock = FakeClock()
    fallback = FallbackBackend(
        _dead_redis(free_port()), MemoryBackend(), retry_seconds=30, clock=clock
    )
    limiter = RateLimiter(requests_per_minute=3, backend=fallback)
    key = new_id()
    before = fallback_count()
    assert fallback.name == "redis"
    answers = [limiter.is_allowed(key) for _ in range(5)]
    assert [allowed for allowed, _ in answers] == [True, True, True, False, False]
    assert answers[-1][1]["limit"] == "minute"
    assert fallback.name == "memory"
    assert fallback.degraded is True
    assert limiter.get_usage(key)["minute"]["used"] == 3
    assert fallback_count() == before + 1
    clock.advance(31)  # Redis is tried again, fails again: still the same incident
    assert fallback.name == "redis"
    assert limiter.is_allowed(key)[0] is False
    assert fallback.name == "memory"
    assert fallback_count() == before + 1
    limiter.reset(key)
    assert limiter.is_allowed(key) == (True, None)


def test_fallback_returns_to_redis_after_the_retry_delay(redis_server) -> None:
    port = free_port()
    clock = FakeClock()
    fallback = FallbackBackend(_dead_redis(port), MemoryBackend(), retry_seconds=10, clock=clock)
    limiter = RateLimiter(requests_per_minute=3, backend=fallback)
    key = new_id()
    before = fallback_count()
    assert limiter.is_allowed(key) == (True, None)
    assert fallback.name == "memory"
    server = RedisServer(port=port).start()
    try:
        clock.advance(5)  # Redis answers again, but the retry delay has not passed
        limiter.is_allowed(key)
        assert fallback.name == "memory"
        assert limiter.get_usage(key)["minute"]["used"] == 2
        clock.advance(6)
        assert limiter.is_allowed(key) == (True, None)
        assert fallback.name == "redis"
        assert limiter.get_usage(key)["minute"]["used"] == 1  # counted in Redis now
        raw = redis.Redis.from_url(server.url)
        assert raw.exists(f"kreyol:rl:{{limit:{key}}}:minute") == 1
        raw.close()
        assert fallback_count() == before + 1
        server.kill()
        clock.advance(1)
        assert limiter.is_allowed(key)[0] is True  # a second outage: memory again, no error
        assert fallback.name == "memory"
        assert fallback_count() == before + 2
    finally:
        server.stop()
