"""The API docs work with no internet, and the site's shell forbids inline script."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import ConsoleMessage, Error, Page, expect

from tests.web.harness import LiveSite, Shots

SHELL_PAGES = ["/", "/documents", "/account", "/keys", "/usage", "/admin"]


@pytest.fixture
def console_errors(page: Page) -> Iterator[list[str]]:
    """Console errors and uncaught exceptions of ``page``; the docs must raise none."""
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url')})")

    def on_page_error(error: Error) -> None:
        errors.append(f"pageerror: {error.message}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    yield errors


def test_swagger_ui_lists_the_operations_offline(
    page: Page, console_errors: list[str], shots: Shots
) -> None:
    response = page.goto("/docs")
    assert response is not None and response.ok
    operation = page.locator('.opblock-summary-path[data-path="/api/v1/translate"]').first
    expect(operation).to_be_visible(timeout=15_000)
    page.wait_for_load_state("networkidle")
    shots.take(page, "docs-swagger")
    assert console_errors == []


def test_redoc_shows_the_service_title_offline(
    page: Page, console_errors: list[str], shots: Shots
) -> None:
    response = page.goto("/redoc")
    assert response is not None and response.ok
    expect(page.locator("h1").first).to_contain_text("Kreyòl IA", timeout=15_000)
    expect(page.get_by_text("/api/v1/translate").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    shots.take(page, "docs-redoc")
    assert console_errors == []


def _directives(policy: str) -> dict[str, list[str]]:
    """A CSP header as {directive: sources}."""
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        if part.strip():
            name, *sources = part.split()
            parsed.setdefault(name.lower(), sources)
    return parsed


@pytest.mark.parametrize("path", SHELL_PAGES)
def test_shell_csp_forbids_inline_script(site: LiveSite, path: str) -> None:
    response = httpx.get(f"{site.url}{path}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    policy = _directives(response.headers["content-security-policy"])
    scripts = policy.get("script-src", policy.get("default-src"))
    assert scripts is not None, policy
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, scripts
    assert policy.get("default-src") == ["'self'"], policy
    assert policy.get("require-trusted-types-for") == ["'script'"], policy
