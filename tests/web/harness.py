"""Browser-test harness: a live ``kreyol serve``, Debian's chromium, origin guard, screenshots."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Request, Route, expect

from tests.servers import free_port, kreyol_env, stop_process, wait_for_port

REPO = Path(__file__).resolve().parents[2]
DEBIAN_CHROMIUM = "/usr/lib/chromium/chromium"  # the real binary behind the /usr/bin wrapper
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PHONE_MAX_WIDTH = 600


def chromium_executable() -> str | None:
    """Debian's chromium, or None when not installed (Playwright's own build is never used)."""
    if os.access(DEBIAN_CHROMIUM, os.X_OK):
        return DEBIAN_CHROMIUM
    return shutil.which("chromium")


@dataclass(frozen=True)
class Account:
    """A sign-in the live site was seeded with."""

    username: str
    password: str


ADMIN = Account("ada", "Lovelace-Analytical-1843")
USER = Account("marie", "Lamartiniere-Crete-1802")


class LiveSite:
    """A real ``kreyol serve`` on a free port, with its own data directory and SQLite database."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="kreyol-web-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = self.directory / "serve.log"
        database = f"sqlite:///{self.directory / 'kreyol.db'}"
        self.env = kreyol_env(self.directory, KREYOL_DATABASE_URL=database, **dict(env or {}))
        self.process: subprocess.Popen[bytes] | None = None

    def kreyol(self, *args: str, **extra_env: str) -> str:
        """Run the venv's ``kreyol`` console script against this site's database."""
        command = [str(Path(sys.executable).parent / "kreyol"), *args]
        result = subprocess.run(
            command,
            env={**self.env, **extra_env},
            cwd=self.directory,  # no stray .env from the checkout
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"kreyol {' '.join(args)} failed: {result.stdout}{result.stderr}")
        return result.stdout.strip()

    def _create_account(self, account: Account, role: str) -> None:
        """Accounts come from the CLI, as an operator makes them (enterprise: no limits bite)."""
        self.kreyol(
            "users",
            "create-admin",
            "--username",
            account.username,
            "--email",
            f"{account.username}@example.org",
            "--tier",
            "enterprise",
            KREYOL_ADMIN_PASSWORD=account.password,
        )
        if role != "admin":
            self.kreyol("users", "set-role", account.username, role)

    def start(self) -> LiveSite:
        self.kreyol("db", "upgrade")
        self._create_account(ADMIN, "admin")
        self._create_account(USER, "user")
        with open(self.log, "wb") as handle:
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "kreyol"), "serve", "--port", str(self.port)],
                env=self.env,
                cwd=self.directory,
                stdout=handle,
                stderr=subprocess.STDOUT,
            )
        for _ in range(120):
            if self.process.poll() is not None:
                raise RuntimeError(f"kreyol serve exited early:\n{self.log_tail()}")
            try:
                wait_for_port(self.port, timeout=0.5)
                return self
            except TimeoutError:
                continue
        raise RuntimeError(f"kreyol serve did not listen on {self.port}:\n{self.log_tail()}")

    def log_tail(self, lines: int = 60) -> str:
        """The last lines the server wrote, for a failing test's report."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, dump_log: bool = False) -> None:
        """Terminate and wait; print the log tail when the run had failures."""
        stop_process(self.process)
        if dump_log:
            sys.stderr.write(f"\n--- kreyol serve log tail ({self.log}) ---\n{self.log_tail()}\n")
        else:
            shutil.rmtree(self.directory, ignore_errors=True)


def _origin(url: str) -> str | None:
    """scheme://host:port of a network URL; None for data:, blob:, about: and the like."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https", "ws", "wss"}:
        return None
    return f"{parts.scheme}://{parts.netloc}"


class OriginGuard:
    """Records a context's requests and aborts any to another origin: the app must work offline."""

    def __init__(self, context: BrowserContext, origin: str) -> None:
        self.origin = _origin(origin)
        self.requests: list[str] = []
        self.foreign: list[str] = []
        context.on("request", self._seen)
        context.route("**/*", self._route)

    def _seen(self, request: Request) -> None:
        self.requests.append(request.url)

    def _route(self, route: Route) -> None:
        origin = _origin(route.request.url)
        if origin is not None and origin != self.origin:
            self.foreign.append(route.request.url)
            route.abort("blockedbyclient")
            return
        route.continue_()

    def assert_same_origin(self) -> None:
        assert not self.foreign, "requests to other origins than {}:\n  {}".format(
            self.origin, "\n  ".join(self.foreign)
        )


@contextmanager
def guarded_context(
    browser: Browser, origin: str, options: Mapping[str, Any]
) -> Iterator[tuple[BrowserContext, OriginGuard]]:
    """A fresh context with an OriginGuard; a foreign request fails the block at its end."""
    context = browser.new_context(base_url=origin, **options)
    guard = OriginGuard(context, origin)
    try:
        yield context, guard
        guard.assert_same_origin()
    finally:
        context.close()


def screenshot_dir() -> Path:
    """``$KREYOL_SCREENSHOTS``, else build/screenshots in the checkout (ignored by git)."""
    return Path(os.environ.get("KREYOL_SCREENSHOTS") or REPO / "build" / "screenshots")


class Shots:
    """Full-page screenshots named ``<name>-<desktop|phone>.png``, for a human to look at."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.saved: list[Path] = []

    def take(self, page: Page, name: str) -> Path:
        size = page.viewport_size or DESKTOP["viewport"]
        form = "phone" if size["width"] <= PHONE_MAX_WIDTH else "desktop"
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{name}-{form}.png"
        page.screenshot(path=str(path), full_page=True)
        self.saved.append(path)
        return path


def sign_in(page: Page, site: LiveSite, username: str, password: str) -> None:
    """Sign in through the account page's form, as a person would."""
    page.goto(f"{site.url}/account")
    page.fill("#signin-username", username)
    page.fill("#signin-password", password)
    page.click("#signin-submit")
    expect(page.locator("#whoami")).to_have_text(username)
