"""The CLI's one error boundary: a user's mistake is one line and an exit status, never a trace."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
import typer
from rich.console import Console
from rich.markup import escape

err_console = Console(stderr=True)
DEBUG_ENV = "KREYOL_DEBUG"
_debug = {"on": False}


class CliError(Exception):
    """A refusal the user can act on: printed as one line, exit status ``code``."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def set_debug(enabled: bool) -> None:
    """``--debug``: let every exception through with its traceback."""
    _debug["on"] = enabled


def debugging() -> bool:
    """True with ``--debug`` or a true-ish ``KREYOL_DEBUG``."""
    return _debug["on"] or os.environ.get(DEBUG_ENV, "").lower() in {"1", "true", "yes", "on"}


def settings_problem(exc: Exception) -> str:
    """``KREYOL_MODE='prod' is invalid: Input should be 'development' or 'production'``."""
    parts = []
    for error in exc.errors():  # type: ignore[attr-defined]
        field = "_".join(str(part) for part in error["loc"]) or "settings"
        parts.append(f"KREYOL_{field.upper()}={error.get('input')!r} is invalid: {error['msg']}")
    return "; ".join(parts)


def describe(exc: BaseException) -> tuple[str, int] | None:
    """One line and an exit status for the exception classes a user can cause, else None."""
    import alembic.util
    import httpx
    import pydantic
    import redis.exceptions
    import sqlalchemy.exc

    from kreyol_ia.config import ConfigError

    if isinstance(exc, CliError):
        return exc.message, exc.code
    if isinstance(exc, pydantic.ValidationError) and exc.title == "Settings":
        return settings_problem(exc), 2
    if isinstance(exc, ConfigError):
        return str(exc), 2
    if isinstance(exc, OSError) and exc.filename is not None:
        return f"{exc.strerror or exc}: {exc.filename}", 1
    if isinstance(exc, httpx.HTTPError):
        where = getattr(getattr(exc, "request", None), "url", "the server")
        return f"cannot reach {where}: {exc}", 1
    if isinstance(exc, alembic.util.CommandError):
        return f"migration refused: {exc}", 2
    if isinstance(exc, sqlalchemy.exc.ArgumentError):
        return f"bad database URL: {exc}", 2
    if isinstance(exc, sqlalchemy.exc.OperationalError):
        return f"database error: {str(exc.orig).splitlines()[0] if exc.orig else exc}", 1
    if isinstance(exc, redis.exceptions.ConnectionError):
        return f"Redis is unreachable: {exc}", 1
    return None


# Typer ≥ 0.16 raises its own vendored Click's exceptions, based on TyperException
CLICK_ERRORS = (click.ClickException, getattr(typer, "TyperException", click.ClickException))


def _usage_error(exc: Exception) -> None:
    """Click's complaint about the command line as one line (help alone stays as it is)."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    code = getattr(exc, "exit_code", 2)
    if message.strip():  # an empty one follows the help Click printed for no arguments
        ctx = getattr(exc, "ctx", None)
        hint = f" (see: {ctx.command_path} --help)" if ctx is not None else ""
        err_console.print(
            f"[red]error:[/red] {escape(message)}{hint}", highlight=False, soft_wrap=True
        )
    sys.exit(code)


class GuardedTyper(typer.Typer):
    """A Typer app whose every command runs inside the error boundary."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("standalone_mode", False)  # Click's usage errors come to us too
        try:
            result = super().__call__(*args, **kwargs)
        except CLICK_ERRORS as exc:  # a bad option or argument: one line, not a usage box
            _usage_error(exc)
        except (KeyboardInterrupt, click.exceptions.Abort, typer.Abort):
            sys.exit(130)
        except Exception as exc:
            if debugging():
                raise
            known = describe(exc)
            if known is None:
                err_console.print(
                    f"[red]internal error:[/red] {escape(f'{type(exc).__name__}: {exc}')}"
                    f"  (rerun with --debug or {DEBUG_ENV}=1 for the traceback)",
                    highlight=False,
                    soft_wrap=True,
                )
                sys.exit(1)
            message, code = known
            err_console.print(
                f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True
            )
            sys.exit(code)
        if isinstance(result, int):  # typer.Exit(code) and --help, outside standalone mode
            sys.exit(result)
        return result
