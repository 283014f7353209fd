"""The browser harness itself: a foreign request is aborted and fails, pages load, shots land."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from tests.web.harness import DESKTOP, LiveSite, OriginGuard, Shots, guarded_context

FOREIGN = "http://example.invalid/pixel.png"


def test_guard_aborts_and_reports_a_foreign_request(browser: Browser, site: LiveSite) -> None:
    with (
        pytest.raises(AssertionError, match="requests to other origins") as refused,
        guarded_context(browser, site.url, DESKTOP) as (context, guard),
    ):
        page = context.new_page()
        with page.expect_event("requestfailed") as failed:
            page.set_content(f'<img src="{FOREIGN}" alt="">')
    assert FOREIGN in str(refused.value)
    assert failed.value.url == FOREIGN
    assert (failed.value.failure or "").startswith("net::ERR_BLOCKED_BY_CLIENT")
    assert guard.foreign == [FOREIGN]
    assert FOREIGN in guard.requests


def test_guard_lets_the_site_through(browser: Browser, site: LiveSite) -> None:
    context = browser.new_context()
    guard = OriginGuard(context, site.url)
    try:
        response = context.new_page().goto(f"{site.url}/health")
        assert response is not None and response.ok
        guard.assert_same_origin()
        assert guard.requests == [f"{site.url}/health"]
    finally:
        context.close()


def test_a_site_page_loads(page: Page, site: LiveSite, timings: dict[str, float]) -> None:
    started = time.perf_counter()
    response = page.goto("/health")
    timings["page load /health"] = time.perf_counter() - started
    assert response is not None and response.status == 200
    assert response.url == f"{site.url}/health"
    assert '"ok"' in page.content()


def test_screenshots_are_written(
    page: Page, phone: BrowserContext, shots: Shots, site: LiveSite
) -> None:
    page.goto("/docs")
    desktop = shots.take(page, "harness-docs")
    handheld_page = phone.new_page()
    handheld_page.goto("/docs")
    handheld = shots.take(handheld_page, "harness-docs")
    assert desktop.name == "harness-docs-desktop.png"
    assert handheld.name == "harness-docs-phone.png"
    for path in (desktop, handheld):
        assert path.read_bytes().startswith(b"\x89PNG"), path
