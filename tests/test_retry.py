"""The seed's retry API (§3): backoff, filters, callbacks, logging, async and real failures."""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, insert, text
from sqlalchemy.exc import IntegrityError, OperationalError

from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager, migrate
from kreyol_ia.retry import (
    RateLimitError,
    RetryableOperation,
    RetryStrategy,
    retry_async_with_backoff,
    retry_call,
    retry_on_database_error,
    retry_on_network_error,
    retry_on_rate_limit,
    retry_with_backoff,
)
from tests.conftest import fresh_postgres_database
from tests.servers import free_port

FAST = 0.01


class Flaky:
    """Fails with the given errors, one per call, then returns ``value``."""

    def __init__(self, *errors: BaseException, value: object = "ok"):
        self.errors = list(errors)
        self.value = value
        self.calls = 0
        self.__qualname__ = "Flaky"  # readable retry logs; objects without one get repr()

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return self.value


class Recorder:
    """An ``on_retry`` callback that remembers what it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, float, BaseException]] = []

    def __call__(self, attempt: int, delay: float, error: BaseException) -> None:
        self.calls.append((attempt, delay, error))

    @property
    def delays(self) -> list[float]:
        return [delay for _, delay, _ in self.calls]


def _always_failing(attempts: int, **options: object) -> list[float]:
    """Delays chosen between ``attempts`` failing calls (so attempts - 1 of them)."""
    recorder = Recorder()
    flaky = Flaky(*[ConnectionError(f"down {i}") for i in range(attempts)])
    decorated = retry_with_backoff(max_attempts=attempts, on_retry=recorder, **options)(flaky)
    with pytest.raises(ConnectionError):
        decorated()
    assert flaky.calls == attempts
    return recorder.delays


# the decorator: success, exhaustion, delays


def test_succeeds_after_transient_failures() -> None:
    flaky = Flaky(ConnectionError("1"), ConnectionError("2"), value={"translated": "Bonjou"})
    decorated = retry_with_backoff(max_attempts=3, initial_delay=FAST)(flaky)
    assert decorated() == {"translated": "Bonjou"}
    assert flaky.calls == 3


def test_arguments_and_metadata_are_passed_through() -> None:
    @retry_with_backoff(max_attempts=2, initial_delay=FAST)
    def greet(name: str, *, punctuation: str = ".") -> str:
        """Say hello."""
        return f"Bonjou {name}{punctuation}"

    assert greet("Jan", punctuation="!") == "Bonjou Jan!"
    assert greet.__name__ == "greet"
    assert greet.__doc__ == "Say hello."


def test_max_attempts_reached_reraises_the_last_error() -> None:
    errors = [ConnectionError("first"), ConnectionError("second"), ConnectionError("third")]
    flaky = Flaky(*errors)
    decorated = retry_with_backoff(max_attempts=3, initial_delay=FAST)(flaky)
    with pytest.raises(ConnectionError) as caught:
        decorated()
    assert caught.value is errors[-1]
    assert flaky.calls == 3


def test_any_callable_can_be_decorated() -> None:
    def fetch(path: str) -> str:
        return f"fetched {path}"

    decorated = retry_with_backoff(max_attempts=2, initial_delay=FAST)(
        functools.partial(fetch, "/health")
    )
    assert decorated() == "fetched /health"


def test_one_attempt_means_no_retry() -> None:
    flaky = Flaky(ConnectionError("once"))
    with pytest.raises(ConnectionError):
        retry_with_backoff(max_attempts=1, initial_delay=FAST)(flaky)()
    assert flaky.calls == 1


def test_exponential_delays_double() -> None:
    delays = _always_failing(4, initial_delay=FAST, strategy=RetryStrategy.EXPONENTIAL)
    assert delays == pytest.approx([0.01, 0.02, 0.04])


def test_exponential_base_is_used() -> None:
    delays = _always_failing(4, initial_delay=FAST, exponential_base=3.0)
    assert delays == pytest.approx([0.01, 0.03, 0.09])


def test_linear_delays_grow_by_the_initial_delay() -> None:
    delays = _always_failing(4, initial_delay=FAST, strategy=RetryStrategy.LINEAR)
    assert delays == pytest.approx([0.01, 0.02, 0.03])


def test_constant_delays_do_not_grow() -> None:
    delays = _always_failing(4, initial_delay=0.015, strategy=RetryStrategy.CONSTANT)
    assert delays == pytest.approx([0.015, 0.015, 0.015])


@pytest.mark.parametrize(
    ("strategy", "initial", "expected"),
    [
        (RetryStrategy.EXPONENTIAL, 0.01, [0.01, 0.02, 0.025, 0.025]),
        (RetryStrategy.LINEAR, 0.01, [0.01, 0.02, 0.025, 0.025]),
        (RetryStrategy.CONSTANT, 0.05, [0.025, 0.025, 0.025, 0.025]),
    ],
)
def test_max_delay_caps_every_strategy(
    strategy: RetryStrategy, initial: float, expected: list[float]
) -> None:
    delays = _always_failing(5, initial_delay=initial, max_delay=0.025, strategy=strategy)
    assert delays == pytest.approx(expected)


def test_jitter_stays_within_bounds() -> None:
    base = [0.005 * 2**i for i in range(6)]
    delays = _always_failing(7, initial_delay=0.005, max_delay=1.0, jitter=0.01)
    extras = [delay - expected for delay, expected in zip(delays, base, strict=True)]
    assert all(-1e-9 <= extra <= 0.01 + 1e-9 for extra in extras), extras
    assert len({round(extra, 9) for extra in extras}) > 1, "jitter never varied the delay"


def test_the_real_sleep_follows_the_delays() -> None:
    flaky = Flaky(ConnectionError("1"), ConnectionError("2"))
    decorated = retry_with_backoff(max_attempts=3, initial_delay=0.05)(flaky)
    started = time.perf_counter()
    decorated()
    assert time.perf_counter() - started >= 0.05 + 0.1 - 0.005


# which errors are retried


def test_only_listed_exceptions_are_retried() -> None:
    flaky = Flaky(KeyError("not listed"), value="never")
    decorated = retry_with_backoff(
        max_attempts=5, initial_delay=FAST, exceptions=(ConnectionError, TimeoutError)
    )(flaky)
    with pytest.raises(KeyError):
        decorated()
    assert flaky.calls == 1

    listed = Flaky(TimeoutError("slow"), ConnectionRefusedError("refused"), value="done")
    decorated = retry_with_backoff(
        max_attempts=5, initial_delay=FAST, exceptions=(ConnectionError, TimeoutError)
    )(listed)
    assert decorated() == "done"
    assert listed.calls == 3


def test_a_bare_exception_class_works_as_the_filter() -> None:
    flaky = Flaky(ValueError("bad"), value=42)
    decorated = retry_with_backoff(max_attempts=2, initial_delay=FAST, exceptions=ValueError)(flaky)
    assert decorated() == 42
    assert flaky.calls == 2

    other = Flaky(TypeError("different"))
    decorated = retry_with_backoff(max_attempts=3, initial_delay=FAST, exceptions=ValueError)(other)
    with pytest.raises(TypeError):
        decorated()
    assert other.calls == 1


def test_callback_gets_attempt_delay_and_error() -> None:
    errors = [ConnectionError("a"), TimeoutError("b")]
    recorder = Recorder()
    flaky = Flaky(*errors)
    decorated = retry_with_backoff(
        max_attempts=3,
        initial_delay=FAST,
        exceptions=(ConnectionError, TimeoutError),
        on_retry=recorder,
    )(flaky)
    assert decorated() == "ok"
    assert [attempt for attempt, _, _ in recorder.calls] == [1, 2]
    assert recorder.delays == pytest.approx([0.01, 0.02])
    assert [error for _, _, error in recorder.calls] == errors
    assert recorder.calls[0][2] is errors[0] and recorder.calls[1][2] is errors[1]


def test_every_retry_is_logged_with_attempt_and_delay(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="kreyol_ia.retry")
    flaky = Flaky(ConnectionError("1"), ConnectionError("2"))
    retry_with_backoff(max_attempts=3, initial_delay=FAST)(flaky)()
    records = [r for r in caplog.records if r.name == "kreyol_ia.retry"]
    assert len(records) == 2
    assert all(r.levelno == logging.WARNING for r in records)
    for attempt, (record, delay) in enumerate(zip(records, ("0.01", "0.02"), strict=True), 1):
        message = record.getMessage()
        assert f"attempt {attempt}" in message
        assert delay in message


def test_no_log_when_the_first_attempt_succeeds(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="kreyol_ia.retry")
    assert retry_with_backoff(max_attempts=3, initial_delay=FAST)(Flaky())() == "ok"
    assert not [r for r in caplog.records if r.name == "kreyol_ia.retry"]


# async


def test_async_retry_succeeds_and_does_not_block_the_event_loop() -> None:
    attempts_at: list[float] = []
    ticks: list[float] = []

    @retry_async_with_backoff(max_attempts=4, initial_delay=0.05, strategy=RetryStrategy.CONSTANT)
    async def flaky() -> str:
        attempts_at.append(time.perf_counter())
        if len(attempts_at) < 4:
            raise ConnectionError("down")
        return "Bonjou"

    async def main() -> str:
        done = asyncio.Event()

        async def run() -> str:
            try:
                return await flaky()
            finally:
                done.set()

        async def ticker() -> None:
            while not done.is_set():
                ticks.append(time.perf_counter())
                await asyncio.sleep(0.005)

        result, _ = await asyncio.gather(run(), ticker())
        return result

    assert asyncio.run(main()) == "Bonjou"
    assert len(attempts_at) == 4
    for before, after in itertools.pairwise(attempts_at):
        assert after - before >= 0.045
        inside = [t for t in ticks if before < t < after]
        assert len(inside) >= 3, "the event loop did not run while the retry waited"


def test_async_retry_reraises_and_filters() -> None:
    calls = {"listed": 0, "other": 0}

    @retry_async_with_backoff(max_attempts=3, initial_delay=FAST, exceptions=(ConnectionError,))
    async def always_down() -> None:
        calls["listed"] += 1
        raise ConnectionError(f"down {calls['listed']}")

    @retry_async_with_backoff(max_attempts=3, initial_delay=FAST, exceptions=(ConnectionError,))
    async def wrong() -> None:
        calls["other"] += 1
        raise ValueError("bad input")

    with pytest.raises(ConnectionError, match="down 3"):
        asyncio.run(always_down())
    with pytest.raises(ValueError):
        asyncio.run(wrong())
    assert calls == {"listed": 3, "other": 1}


def test_retry_with_backoff_on_a_coroutine_function_stays_async() -> None:
    recorder = Recorder()
    state = {"calls": 0}

    @retry_with_backoff(max_attempts=3, initial_delay=FAST, on_retry=recorder)
    async def flaky() -> int:
        state["calls"] += 1
        if state["calls"] < 3:
            raise TimeoutError("slow")
        return state["calls"]

    assert asyncio.iscoroutinefunction(flaky)
    assert asyncio.run(flaky()) == 3
    assert recorder.delays == pytest.approx([0.01, 0.02])


# rate limits


def _http_error(status: int, headers: dict[str, str] | None = None) -> httpx.HTTPStatusError:
    request = httpx.Request("POST", "https://api.example.org/translate")
    response = httpx.Response(status, headers=headers or {}, request=request)
    with pytest.raises(httpx.HTTPStatusError) as caught:
        response.raise_for_status()
    return caught.value


def test_rate_limit_error_retry_after_is_honoured() -> None:
    recorder = Recorder()
    flaky = Flaky(RateLimitError(retry_after=0.02), RateLimitError(retry_after=0.03))
    decorated = retry_on_rate_limit(
        max_attempts=3, initial_delay=0.5, max_delay=1.0, on_retry=recorder
    )(flaky)
    assert decorated() == "ok"
    assert recorder.delays == pytest.approx([0.02, 0.03])


def test_rate_limit_without_a_hint_uses_the_backoff() -> None:
    recorder = Recorder()
    flaky = Flaky(RateLimitError(), RateLimitError())
    decorated = retry_on_rate_limit(max_attempts=3, initial_delay=FAST, on_retry=recorder)(flaky)
    assert decorated() == "ok"
    assert recorder.delays == pytest.approx([0.01, 0.02])


def test_retry_after_is_capped_by_max_delay() -> None:
    recorder = Recorder()
    flaky = Flaky(RateLimitError(retry_after=3600), _http_error(429, {"Retry-After": "120"}))
    decorated = retry_on_rate_limit(
        max_attempts=3, initial_delay=FAST, max_delay=0.03, on_retry=recorder
    )(flaky)
    assert decorated() == "ok"
    assert recorder.delays == pytest.approx([0.03, 0.03])


def test_http_429_with_retry_after_header_is_honoured() -> None:
    recorder = Recorder()
    error = _http_error(429, {"Retry-After": "0"})
    assert error.response.status_code == 429
    flaky = Flaky(error, value="translated")
    decorated = retry_on_rate_limit(
        max_attempts=2, initial_delay=0.5, max_delay=5.0, on_retry=recorder
    )(flaky)
    started = time.perf_counter()
    assert decorated() == "translated"
    assert time.perf_counter() - started < 0.4, "the 0 s Retry-After was not honoured"
    assert recorder.delays == [0.0]
    assert flaky.calls == 2


def test_http_429_with_an_http_date_retry_after_is_honoured() -> None:
    recorder = Recorder()
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    flaky = Flaky(_http_error(429, {"Retry-After": when}))
    decorated = retry_on_rate_limit(
        max_attempts=2, initial_delay=FAST, max_delay=0.05, on_retry=recorder
    )(flaky)
    assert decorated() == "ok"
    assert recorder.delays == pytest.approx([0.05])


def test_other_http_errors_are_not_rate_limits() -> None:
    flaky = Flaky(_http_error(500, {"Retry-After": "0"}))
    decorated = retry_on_rate_limit(max_attempts=3, initial_delay=FAST)(flaky)
    with pytest.raises(httpx.HTTPStatusError):
        decorated()
    assert flaky.calls == 1


def test_rate_limit_gives_up_after_max_attempts() -> None:
    errors = [RateLimitError(retry_after=0) for _ in range(3)]
    flaky = Flaky(*errors)
    with pytest.raises(RateLimitError) as caught:
        retry_on_rate_limit(max_attempts=3, initial_delay=FAST)(flaky)()
    assert caught.value is errors[-1]
    assert flaky.calls == 3


# network errors


@pytest.mark.parametrize(
    "error",
    [
        ConnectionError("reset"),
        ConnectionRefusedError("refused"),
        TimeoutError("timed out"),
        httpx.ConnectError("connect failed"),
        httpx.ReadTimeout("read timed out"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_network_errors_are_retried(error: BaseException) -> None:
    flaky = Flaky(error, value="answer")
    assert retry_on_network_error(max_attempts=3, initial_delay=FAST)(flaky)() == "answer"
    assert flaky.calls == 2


def test_value_error_is_not_a_network_error() -> None:
    flaky = Flaky(ValueError("bad input"))
    with pytest.raises(ValueError):
        retry_on_network_error(max_attempts=3, initial_delay=FAST)(flaky)()
    assert flaky.calls == 1


def test_a_real_refused_connection_is_retried_then_reraised() -> None:
    port = free_port()
    attempts = {"n": 0}

    @retry_on_network_error(max_attempts=3, initial_delay=FAST)
    def fetch() -> httpx.Response:
        attempts["n"] += 1
        with httpx.Client(timeout=1.0) as http:
            return http.get(f"http://127.0.0.1:{port}/health")

    with pytest.raises(httpx.ConnectError):
        fetch()
    assert attempts["n"] == 3


# database errors


def test_operational_error_is_retried() -> None:
    recorder = Recorder()
    lost = OperationalError("SELECT 1", {}, Exception("server closed the connection"))
    flaky = Flaky(lost, value={"total_tasks": 0})
    decorated = retry_on_database_error(max_attempts=3, initial_delay=FAST, on_retry=recorder)(
        flaky
    )
    assert decorated() == {"total_tasks": 0}
    assert flaky.calls == 2
    assert recorder.calls[0][2] is lost


def test_operational_error_exhausts_and_reraises() -> None:
    errors = [OperationalError("SELECT 1", {}, Exception(f"gone {i}")) for i in range(3)]
    flaky = Flaky(*errors)
    with pytest.raises(OperationalError) as caught:
        retry_on_database_error(max_attempts=3, initial_delay=FAST)(flaky)()
    assert caught.value is errors[-1]
    assert flaky.calls == 3


def test_integrity_error_is_never_retried() -> None:
    flaky = Flaky(IntegrityError("INSERT", {}, Exception("duplicate key value")))
    with pytest.raises(IntegrityError):
        retry_on_database_error(max_attempts=5, initial_delay=FAST)(flaky)()
    assert flaky.calls == 1


def test_a_real_integrity_error_is_not_retried() -> None:
    engine = create_engine("sqlite://")
    table = Table("words", MetaData(), Column("id", Integer, primary_key=True))
    table.metadata.create_all(engine)
    calls = {"n": 0}

    @retry_on_database_error(max_attempts=5, initial_delay=FAST)
    def insert_twice() -> None:
        calls["n"] += 1
        with engine.begin() as connection:
            connection.execute(insert(table).values(id=1))
            connection.execute(insert(table).values(id=1))

    with pytest.raises(IntegrityError):
        insert_twice()
    assert calls["n"] == 1
    engine.dispose()


TERMINATE = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE pid <> pg_backend_pid() AND datname = current_database()"
)


@pytest.mark.parametrize("pre_ping", [False, True], ids=["no-pre-ping", "pre-ping"])
def test_database_manager_survives_terminated_connections(
    postgres_server, tmp_path: Path, caplog: pytest.LogCaptureFixture, pre_ping: bool
) -> None:
    url = fresh_postgres_database(postgres_server)
    migrate.upgrade(url)
    settings = Settings(data_dir=tmp_path, db_pool_pre_ping=pre_ping, _env_file=None)
    db = DatabaseManager(url, settings=settings)
    killer = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        db.create_task("translate_document", {"name": "lèt.txt"})
        assert db.get_statistics()["total_tasks"] == 1
        with killer.connect() as connection:
            killed = connection.execute(text(TERMINATE)).scalars().all()
            assert killed and all(killed), "no pooled connection was terminated"
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                others = connection.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                        "AND datname = current_database()"
                    )
                ).scalar_one()
                if others == 0:
                    break
                time.sleep(0.05)
        caplog.set_level(logging.WARNING, logger="kreyol_ia.retry")
        statistics = db.get_statistics()
        assert statistics["total_tasks"] == 1
        assert statistics["tasks_by_status"]["pending"] == 1
        retried = [r for r in caplog.records if "get_statistics" in r.getMessage()]
        if not pre_ping:
            # without pre-ping the dead connection is used, fails, and the retry recovers
            assert retried, "get_statistics answered without the retry path being exercised"
    finally:
        db.dispose()
        killer.dispose()


# the context manager and retry_call


def test_retryable_operation_counts_attempts() -> None:
    flaky = Flaky(ConnectionError("1"), ConnectionError("2"), value="saved")
    with RetryableOperation(max_attempts=3, initial_delay=FAST) as retry:
        result = retry.execute(lambda: flaky())
    assert result == "saved"
    assert retry.attempts == 3
    assert flaky.calls == 3


def test_retryable_operation_gives_up_and_filters() -> None:
    errors = [ConnectionError("1"), ConnectionError("2")]
    with (
        RetryableOperation(max_attempts=2, initial_delay=FAST) as retry,
        pytest.raises(ConnectionError) as caught,
    ):
        retry.execute(Flaky(*errors))
    assert caught.value is errors[-1]
    assert retry.attempts == 2

    with (
        RetryableOperation(
            max_attempts=4, initial_delay=FAST, exceptions=(ConnectionError,)
        ) as retry,
        pytest.raises(KeyError),
    ):
        retry.execute(Flaky(KeyError("not retried")))
    assert retry.attempts == 1


def test_retryable_operation_uses_its_strategy() -> None:
    recorder = Recorder()
    with RetryableOperation(
        max_attempts=4, initial_delay=FAST, strategy=RetryStrategy.LINEAR, on_retry=recorder
    ) as retry:
        retry.execute(Flaky(OSError("1"), OSError("2"), OSError("3")))
    assert recorder.delays == pytest.approx([0.01, 0.02, 0.03])


def test_retry_call_retries_with_a_constant_delay() -> None:
    flaky = Flaky(ConnectionError("1"), ConnectionError("2"), value="done")
    started = time.perf_counter()
    assert retry_call(flaky, 3, 0.05) == "done"
    assert flaky.calls == 3
    elapsed = time.perf_counter() - started
    assert 0.1 - 0.005 <= elapsed < 1.0


def test_retry_call_reraises_the_last_error() -> None:
    errors = [TimeoutError("1"), TimeoutError("2")]
    flaky = Flaky(*errors)
    with pytest.raises(TimeoutError) as caught:
        retry_call(flaky, 2, FAST)
    assert caught.value is errors[-1]
    assert flaky.calls == 2
