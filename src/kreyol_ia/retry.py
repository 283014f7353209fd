"""The seed's retry API (§3) on tenacity: backoff strategies, exception filters, callbacks.

Only the listed exceptions are retried; each retry is logged with its attempt and delay; the
async variant sleeps with ``asyncio.sleep`` and never blocks the event loop.
"""

from __future__ import annotations

import enum
import functools
import inspect
import logging
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ParamSpec, TypeVar

import httpx
import redis
import tenacity
from sqlalchemy import exc as sa_exc

logger = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")
OnRetry = Callable[[int, float, BaseException], None]

NETWORK_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    TimeoutError,
    socket.timeout,
    httpx.TransportError,
    redis.ConnectionError,
    redis.TimeoutError,
)
SERIALIZATION_SQLSTATES = {"40001", "40P01"}


class RetryStrategy(enum.Enum):
    """How the delay grows between attempts."""

    EXPONENTIAL = "exponential"
    LINEAR = "linear"
    CONSTANT = "constant"


class RateLimitError(Exception):
    """A remote service said 'too many requests'; ``retry_after`` is its wait in seconds."""

    def __init__(self, message: str = "rate limited", retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def _wait(
    strategy: RetryStrategy,
    initial_delay: float,
    max_delay: float,
    exponential_base: float,
    jitter: float,
) -> tenacity.wait.wait_base:
    if strategy is RetryStrategy.EXPONENTIAL:
        wait: tenacity.wait.wait_base = tenacity.wait_exponential(
            multiplier=initial_delay, exp_base=exponential_base, max=max_delay
        )
    elif strategy is RetryStrategy.LINEAR:
        wait = tenacity.wait_incrementing(
            start=initial_delay, increment=initial_delay, max=max_delay
        )
    else:
        wait = tenacity.wait_fixed(min(initial_delay, max_delay))
    if jitter is True:
        jitter = initial_delay / 2
    if jitter > 0:
        return _capped(wait + tenacity.wait_random(0, float(jitter)), max_delay)
    return wait


def _name(function: Callable[..., object]) -> str:
    """A readable name for logs, also for partials and callable objects."""
    return getattr(function, "__qualname__", None) or repr(function)


class _capped(tenacity.wait.wait_base):
    """Cap a combined wait (backoff plus jitter) at ``max_delay``."""

    def __init__(self, wait: tenacity.wait.wait_base, max_delay: float):
        self.wait = wait
        self.max_delay = max_delay

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        return min(self.wait(retry_state), self.max_delay)


def _before_sleep(name: str, on_retry: OnRetry | None) -> Callable[[tenacity.RetryCallState], None]:
    def log_and_call(state: tenacity.RetryCallState) -> None:
        delay = state.next_action.sleep if state.next_action else 0.0
        error = state.outcome.exception() if state.outcome else None
        logger.warning(
            "retrying %s: attempt %d failed (%s); next try in %.2f s",
            name,
            state.attempt_number,
            type(error).__name__,
            delay,
        )
        if on_retry is not None and error is not None:
            on_retry(state.attempt_number, delay, error)

    return log_and_call


def _settings(
    max_attempts: int,
    initial_delay: float,
    max_delay: float,
    exponential_base: float,
    strategy: RetryStrategy,
    exceptions: tuple[type[BaseException], ...] | Callable[[BaseException], bool],
    on_retry: OnRetry | None,
    jitter: float,
    name: str,
    wait: tenacity.wait.wait_base | None = None,
) -> dict[str, Any]:
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    if isinstance(exceptions, type):
        exceptions = (exceptions,)
    retry = (
        tenacity.retry_if_exception_type(exceptions)
        if isinstance(exceptions, tuple)
        else tenacity.retry_if_exception(exceptions)
    )
    return {
        "stop": tenacity.stop_after_attempt(max_attempts),
        "wait": wait or _wait(strategy, initial_delay, max_delay, exponential_base, jitter),
        "retry": retry,
        "before_sleep": _before_sleep(name, on_retry),
        "reraise": True,
    }


def _retrying(function: Callable[P, T], options: dict[str, Any]) -> Callable[P, T]:
    """``function`` wrapped so that every call runs under tenacity with ``options``."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        return tenacity.Retrying(**options)(function, *args, **kwargs)

    return wrapper


def _async_retrying(
    function: Callable[P, Awaitable[T]], options: dict[str, Any]
) -> Callable[P, Awaitable[T]]:
    """The coroutine counterpart of ``_retrying``: sleeps with asyncio, never blocking."""

    @functools.wraps(function)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        async for attempt in tenacity.AsyncRetrying(**options):
            with attempt:
                return await function(*args, **kwargs)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    return wrapper


def retry_with_backoff(
    max_attempts: int = 3,
    initial_delay: float = 1.0,
    max_delay: float = 60.0,
    exponential_base: float = 2.0,
    strategy: RetryStrategy = RetryStrategy.EXPONENTIAL,
    exceptions: tuple[type[BaseException], ...] = (Exception,),
    on_retry: OnRetry | None = None,
    jitter: float = 0.0,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorator: retry a function on ``exceptions`` with the chosen backoff (async too)."""

    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        options = _settings(
            max_attempts,
            initial_delay,
            max_delay,
            exponential_base,
            strategy,
            exceptions,
            on_retry,
            jitter,
            _name(function),
        )
        if inspect.iscoroutinefunction(function):
            return _async_retrying(function, options)  # type: ignore[return-value]
        return _retrying(function, options)

    return decorate


def retry_async_with_backoff(
    max_attempts: int = 3,
    initial_delay: float = 1.0,
    max_delay: float = 60.0,
    exponential_base: float = 2.0,
    strategy: RetryStrategy = RetryStrategy.EXPONENTIAL,
    exceptions: tuple[type[BaseException], ...] = (Exception,),
    on_retry: OnRetry | None = None,
    jitter: float = 0.0,
) -> Callable[[Callable[P, Awaitable[T]]], Callable[P, Awaitable[T]]]:
    """Decorator for coroutines: waits with asyncio.sleep, so the event loop keeps running."""

    def decorate(function: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        options = _settings(
            max_attempts,
            initial_delay,
            max_delay,
            exponential_base,
            strategy,
            exceptions,
            on_retry,
            jitter,
            _name(function),
        )
        return _async_retrying(function, options)

    return decorate


def retry_on_network_error(
    max_attempts: int = 3,
    initial_delay: float = 0.5,
    max_delay: float = 10.0,
    on_retry: OnRetry | None = None,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Retry connection failures and timeouts (sockets, httpx, Redis), nothing else."""
    return retry_with_backoff(
        max_attempts,
        initial_delay,
        max_delay,
        exceptions=NETWORK_ERRORS,
        on_retry=on_retry,
        jitter=initial_delay / 2,
    )


class _wait_retry_after(tenacity.wait.wait_base):
    """Wait what the error's Retry-After says (capped), else the fallback backoff."""

    def __init__(self, fallback: tenacity.wait.wait_base, max_delay: float):
        self.fallback = fallback
        self.max_delay = max_delay

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        hinted = _retry_after_of(error)
        if hinted is not None:
            return min(max(hinted, 0.0), self.max_delay)
        return self.fallback(retry_state)


def _retry_after_of(error: BaseException | None) -> float | None:
    if isinstance(error, RateLimitError):
        return error.retry_after
    if isinstance(error, httpx.HTTPStatusError):
        return parse_retry_after(error.response.headers.get("Retry-After"))
    return None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP-date (RFC 9110)."""
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


def _is_rate_limit(error: BaseException) -> bool:
    return isinstance(error, RateLimitError) or (
        isinstance(error, httpx.HTTPStatusError) and error.response.status_code == 429
    )


def retry_honouring_retry_after(
    retry_if: Callable[[BaseException], bool],
    max_attempts: int = 3,
    initial_delay: float = 1.0,
    max_delay: float = 60.0,
    jitter: float = 0.0,
    on_retry: OnRetry | None = None,
    name: str | None = None,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Retry errors ``retry_if`` accepts, waiting what their Retry-After says (capped)."""

    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        fallback = _wait(RetryStrategy.EXPONENTIAL, initial_delay, max_delay, 2.0, jitter)
        options = _settings(
            max_attempts,
            initial_delay,
            max_delay,
            2.0,
            RetryStrategy.EXPONENTIAL,
            retry_if,
            on_retry,
            jitter,
            name or _name(function),
            _wait_retry_after(fallback, max_delay),
        )
        return _retrying(function, options)

    return decorate


def retry_on_rate_limit(
    max_attempts: int = 3,
    initial_delay: float = 1.0,
    max_delay: float = 60.0,
    on_retry: OnRetry | None = None,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Retry 'too many requests' errors, honouring the Retry-After they carry."""
    return retry_honouring_retry_after(
        _is_rate_limit, max_attempts, initial_delay, max_delay, on_retry=on_retry
    )


def is_transient_database_error(error: BaseException) -> bool:
    """Lost connections and serialisation conflicts; never integrity or programming errors."""
    if isinstance(error, sa_exc.IntegrityError | sa_exc.ProgrammingError):
        return False
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    if isinstance(error, sa_exc.OperationalError) and "no such " in str(error):
        return False
    if isinstance(error, sa_exc.OperationalError | sa_exc.DisconnectionError):
        return True
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    return code in SERIALIZATION_SQLSTATES


def retry_on_database_error(
    max_attempts: int = 5,
    initial_delay: float = 0.2,
    max_delay: float = 2.0,
    on_retry: OnRetry | None = None,
) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Retry a unit of work after a disconnect or serialisation failure (about 3 s in all)."""

    def decorate(function: Callable[P, T]) -> Callable[P, T]:
        options = _settings(
            max_attempts,
            initial_delay,
            max_delay,
            2.0,
            RetryStrategy.EXPONENTIAL,
            is_transient_database_error,
            on_retry,
            initial_delay / 2,
            _name(function),
        )

        return _retrying(function, options)

    return decorate


class RetryableOperation:
    """Context manager form: ``with RetryableOperation(3) as retry: retry.execute(fn)``."""

    def __init__(
        self,
        max_attempts: int = 3,
        initial_delay: float = 1.0,
        max_delay: float = 60.0,
        strategy: RetryStrategy = RetryStrategy.EXPONENTIAL,
        exceptions: tuple[type[BaseException], ...] = (Exception,),
        on_retry: OnRetry | None = None,
    ):
        self._options = _settings(
            max_attempts,
            initial_delay,
            max_delay,
            2.0,
            strategy,
            exceptions,
            on_retry,
            0.0,
            "operation",
        )
        self.attempts = 0

    def __enter__(self) -> RetryableOperation:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def execute(self, function: Callable[[], T]) -> T:
        """Run ``function`` until it succeeds or the attempts are spent (then re-raise)."""

        def counted() -> T:
            self.attempts += 1
            return function()

        return tenacity.Retrying(**self._options)(counted)


def retry_call(
    function: Callable[..., T],
    max_attempts: int = 3,
    delay: float = 1.0,
    *args: Any,
    exceptions: tuple[type[BaseException], ...] = (Exception,),
    **kwargs: Any,
) -> T:
    """Call once with retries and a constant delay, without decorating."""
    options = _settings(
        max_attempts,
        delay,
        delay,
        1.0,
        RetryStrategy.CONSTANT,
        exceptions,
        None,
        0.0,
        getattr(function, "__qualname__", "call"),
    )
    return tenacity.Retrying(**options)(function, *args, **kwargs)
