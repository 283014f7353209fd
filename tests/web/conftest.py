"""Browser fixtures: one live site and one chromium per run, a guarded context per test."""

from __future__ import annotations

import os
import time
from collections.abc import Generator, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.web.harness import (
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    LiveSite,
    Shots,
    chromium_executable,
    guarded_context,
    screenshot_dir,
)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SHOTS = pytest.StashKey[Shots]()
TIMINGS = pytest.StashKey[dict[str, float]]()
LIVE_SITE = pytest.StashKey[LiveSite]()


@pytest.fixture(scope="session")
def site(request: pytest.FixtureRequest) -> Iterator[LiveSite]:
    # every test signs in from 127.0.0.1: the per-IP sign-in limit (30/min) is not under test here
    live = LiveSite(
        {
            "KREYOL_ALLOW_ANONYMOUS": "true",
            "KREYOL_REGISTRATION": "invite",
            "KREYOL_AUTH_RATE_PER_MINUTE": "1000",
            "KREYOL_AUTH_RATE_PER_HOUR": "10000",
        }
    ).start()
    request.config.stash[LIVE_SITE] = live
    yield live
    live.stop(dump_log=request.session.testsfailed > 0)


@pytest.fixture(scope="session")
def timings(request: pytest.FixtureRequest) -> dict[str, float]:
    """Durations the web tests measured (seconds), printed at the end of the run."""
    return request.config.stash.setdefault(TIMINGS, {})


@pytest.fixture(scope="session")
def browser(timings: dict[str, float]) -> Iterator[Browser]:
    executable = chromium_executable()
    if executable is None:
        reason = "Debian's chromium is not installed (scripts/ensure-test-servers.sh installs it)"
        if IN_CI:
            pytest.fail(f"{reason}; CI=true: the browser tests may not be skipped")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        started = time.perf_counter()
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        timings["chromium launch"] = time.perf_counter() - started
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, site: LiveSite) -> Iterator[BrowserContext]:
    with guarded_context(browser, site.url, DESKTOP) as (desktop, _guard):
        yield desktop


@pytest.fixture
def phone(browser: Browser, site: LiveSite) -> Iterator[BrowserContext]:
    with guarded_context(browser, site.url, PHONE) as (handheld, _guard):
        yield handheld


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture(scope="session")
def shots(request: pytest.FixtureRequest) -> Shots:
    return request.config.stash.setdefault(SHOTS, Shots(screenshot_dir()))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Generator[None, None, None]:
    """A failing browser test's report carries the live server's log tail."""
    outcome = yield
    report = outcome.get_result()
    live = item.config.stash.get(LIVE_SITE, None)
    if report.failed and live is not None:
        report.sections.append(("kreyol serve log (tail)", live.log_tail()))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Timings where the browser ran in this process (not under xdist: the workers have them)."""
    measured = terminalreporter.config.stash.get(TIMINGS, {})
    if measured:
        lines = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in measured.items())
        terminalreporter.write_line(f"web timings: {lines}")
