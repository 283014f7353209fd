"""``kreyol users`` and ``kreyol keys``: accounts, roles, tiers, lock-outs and API keys."""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from kreyol_ia.auth import APIKeyCreate, AuthError, UserCreate, UserManager
from kreyol_ia.cli.database import ready_database
from kreyol_ia.cli.errors import CliError
from kreyol_ia.cli.main import app, console, err_console
from kreyol_ia.config import get_settings
from kreyol_ia.db import APIKey

users_app = typer.Typer(help="Accounts.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(keys_app, name="keys")
ADMIN_PASSWORD_ENV = "KREYOL_ADMIN_PASSWORD"  # noqa: S105 - a variable name
INITIAL_PASSWORD_FILE = "initial-admin-password"  # noqa: S105 - a file name
ADMIN_TIER = "enterprise"  # administrators test the service: not the free 10/min


@contextmanager
def _reported_auth_errors() -> Iterator[None]:
    """Turn an account error into its code and message on stderr and exit status 1."""
    try:
        yield
    except AuthError as exc:
        err_console.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(code=1) from exc


def _users() -> UserManager:
    settings = get_settings()
    return UserManager(ready_database(settings), settings)


def _checked_tier(tier: str) -> str:
    """The tier name, or exit 2 listing the real ones."""
    from kreyol_ia.ratelimit.tiers import TIERS

    if tier not in TIERS:
        raise CliError(f"unknown tier {tier!r}; use one of {', '.join(TIERS)}", 2)
    return tier


def _print_rows(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """A Rich table on a terminal; tab-separated lines under a header when piped."""
    if not sys.stdout.isatty():
        for row in (header, *rows):
            print("\t".join(row))
        return
    from rich.table import Table

    table = Table(*header)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")


@users_app.command("create-admin")
def create_admin(
    username: str = typer.Option("admin", help="Administrator's username."),
    email: str = typer.Option("admin@localhost.localdomain", help="Administrator's e-mail."),
    if_missing: bool = typer.Option(
        False,
        help="Do nothing when an administrator exists; generate a password if none is "
        "given, kept in the data directory (mode 0600).",
    ),
    tier: str = typer.Option(ADMIN_TIER, help="Rate-limit tier of the new administrator."),
) -> None:
    """Create an administrator; the password comes from a prompt or KREYOL_ADMIN_PASSWORD."""
    _checked_tier(tier)
    manager = _users()
    if if_missing and any(u.role == "admin" for u in manager.list_users(limit=1000)):
        stored = get_settings().data_dir / INITIAL_PASSWORD_FILE
        hint = f"; its first password is in {stored}" if stored.exists() else ""
        console.print(f"an administrator already exists{hint}")
        return
    password = os.environ.get(ADMIN_PASSWORD_ENV)
    generated = False
    if not password and if_missing:
        password, generated = secrets.token_urlsafe(18), True
    if not password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _reported_auth_errors():
        manager.create_user(
            UserCreate(username=username, email=email, password=password), role="admin", tier=tier
        )
    console.print(f"administrator {username!r} created")
    if generated:
        path = get_settings().data_dir / INITIAL_PASSWORD_FILE
        _write_private(path, password)
        console.print(f"sign in as {username!r} with the password stored in {path}")


@users_app.command("list")
def users_list(limit: int = typer.Option(100, min=1)) -> None:
    """Accounts with role, tier and state."""
    rows = [
        (
            user.username,
            user.email,
            user.role,
            user.tier,
            "disabled" if user.disabled else "active",
            " ".join(user.scopes),
        )
        for user in _users().list_users(limit=limit)
    ]
    _print_rows(("username", "email", "role", "tier", "state", "scopes"), rows)


@users_app.command("disable")
def users_disable(
    username: str, enable: bool = typer.Option(False, help="Re-enable instead.")
) -> None:
    """Disable an account (its sessions end at once) or re-enable it."""
    with _reported_auth_errors():
        _users().update_user(username, disabled=not enable)
    console.print(f"{username} {'enabled' if enable else 'disabled'}")


@keys_app.command("create")
def keys_create(
    username: str,
    name: str = typer.Option(..., help="What the key is for."),
    days: int = typer.Option(
        30, min=0, help="Lifetime in days; 0 = the server's maximum (KREYOL_API_KEY_MAX_DAYS)."
    ),
    scopes: str = typer.Option("", help="Space-separated scopes (default: the owner's)."),
) -> None:
    """Create a key for a user; it is printed once."""
    request = APIKeyCreate(name=name, expires_in_days=days or None, scopes=scopes.split() or None)
    with _reported_auth_errors():
        created = _users().create_api_key(username, request)
    err_console.print(f"key {created.id} ({created.prefix}…) for {username}; store it now:")
    print(created.key)


@keys_app.command("list")
def keys_list(username: str) -> None:
    """A user's keys (display prefixes only)."""
    user = _existing_user(username)
    rows = [
        (
            str(key.id),
            f"{key.prefix}…",
            key.name,
            " ".join(key.scopes),
            "active" if key.active else "inactive",
            key.expires_at.isoformat() if key.expires_at else "never",
        )
        for key in _users().list_api_keys(user)
    ]
    _print_rows(("id", "prefix", "name", "scopes", "state", "expires"), rows)


@keys_app.command("revoke")
def keys_revoke(key_id: int) -> None:
    """Revoke any key by id (and the keys it minted)."""
    users = _users()
    with users.db.session() as session:
        row = session.get(APIKey, key_id)
        revoked = row is not None and row.revoked_at is not None
    if row is None:
        raise CliError(f"not_found: no key {key_id}")
    if revoked:
        raise CliError(f"key {key_id} was already revoked")
    users.revoke_api_key(key_id)
    console.print(f"key {key_id} revoked")


@users_app.command("set-tier")
def users_set_tier(username: str, tier: str) -> None:
    """Move a user to a rate-limit tier (free, basic, pro, enterprise)."""
    _checked_tier(tier)
    with _reported_auth_errors():
        _users().update_user(username, tier=tier)
    console.print(f"{username} is now on the {tier} tier")


@users_app.command("reset-limits")
def users_reset_limits(username: str) -> None:
    """Forget a user's rate-limit windows (needs Redis: else they live in the server's memory)."""
    from kreyol_ia.ratelimit.limiter import TieredRateLimiter, build_backend

    user = _existing_user(username)
    redis_url = get_settings().redis_dsn
    if not redis_url:
        raise CliError(
            "without KREYOL_REDIS_URL the limits live in the running server's memory, out of"
            f" this command's reach: use POST /api/v1/admin/users/{user}/limits/reset"
        )
    TieredRateLimiter(build_backend(redis_url)).reset(f"user:{user}")
    console.print(f"rate-limit windows of {user} reset")


@users_app.command("unlock")
def users_unlock(username: str) -> None:
    """Forget an account's failed sign-ins from every IP (shared through Redis)."""
    from kreyol_ia.auth.throttle import LoginThrottle
    from kreyol_ia.redis_conn import connect_redis

    user = _existing_user(username)
    settings = get_settings()
    if not settings.redis_dsn:
        err_console.print(
            "without KREYOL_REDIS_URL each server counts failures in its own memory: use"
            f" POST /api/v1/admin/users/{user}/unlock, or wait {settings.login_window_seconds} s"
        )
        raise typer.Exit(code=1)
    client = connect_redis(settings.redis_dsn)
    try:
        LoginThrottle(1, 1, settings.login_window_seconds, client).unlock(user)
    finally:
        client.close()
    console.print(f"failed sign-ins of {user} forgotten")


@users_app.command("set-role")
def users_set_role(username: str, role: str) -> None:
    """Make an account an administrator or an ordinary user (never the last administrator)."""
    if role not in {"user", "admin"}:
        err_console.print("the role is 'user' or 'admin'")
        raise typer.Exit(code=2)
    with _reported_auth_errors():
        user = _users().update_user(username, role=role)
    console.print(f"{user.username} is now {'an administrator' if role == 'admin' else 'a user'}")


def _existing_user(username: str) -> str:
    """The account's canonical (lower-case) name; exit 1 when there is none."""
    user = _users().get_user(username)
    if user is None:
        err_console.print(f"not_found: no such user {username!r}")
        raise typer.Exit(code=1)
    return user.username
