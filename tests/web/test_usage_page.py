"""The Usage page in a real browser: today's translation shows in the windows and the chart."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from kreyol_ia.web.catalogue import catalogue
from tests.web.harness import USER, LiveSite, Shots, sign_in

EN = catalogue("en")
TEXT = "Drink clean water."


def translate_as_marie(site: LiveSite) -> None:
    """One translation charged to marie, through the API with her own token."""
    login = {"username": USER.username, "password": USER.password}
    token = httpx.post(f"{site.url}/api/v1/auth/token", data=login).json()["access_token"]
    answer = httpx.post(
        f"{site.url}/api/v1/translate",
        json={"text": TEXT, "source": "en", "target": "ht"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text


def open_usage(page: Page, site: LiveSite) -> None:
    """Signed in as marie, in English, on the usage page with its numbers loaded."""
    page.context.add_cookies([{"name": "kreyol_lang", "value": "en", "url": site.url}])
    sign_in(page, site, USER.username, USER.password)
    page.locator('#nav a[data-page="usage"]').click()
    expect(page.locator('main[data-ready="usage"]')).to_be_attached()
    expect(page.locator("#usage-chart")).to_be_visible()


def test_todays_translation_shows_in_windows_chart_and_table(
    page: Page, phone: BrowserContext, site: LiveSite, shots: Shots
) -> None:
    translate_as_marie(site)
    open_usage(page, site)
    today = datetime.now(UTC).date().isoformat()

    expect(page.locator("#usage-tier")).to_have_attribute("data-tier", "enterprise")
    expect(page.locator("#usage-tier")).to_have_text(EN["account.tier.enterprise"])
    for name in ("minute", "hour", "day"):
        window = page.locator(f'#usage-windows [data-window="{name}"]')
        expect(window).to_be_visible()
        assert int(window.get_attribute("data-used") or 0) >= 1, name
        assert window.locator("meter").get_attribute("max") == window.get_attribute("data-limit")
        expect(window).to_contain_text(EN["usage.window.resets"].split("{")[0])
    assert (
        int(page.locator('#usage-totals [data-period="today"]').get_attribute("data-requests")) >= 1
    )

    chart = page.locator("#usage-chart")
    for metric in ("requests", "characters"):
        bars = chart.locator(f"svg rect.bar-{metric}")
        expect(bars).to_have_count(30)
        assert bars.last.get_attribute("data-date") == today
        assert int(bars.first.get_attribute("data-value") or -1) >= 0
    requests_today = chart.locator(f'rect.bar-requests[data-date="{today}"]')
    assert int(requests_today.get_attribute("data-value") or 0) >= 1
    characters_today = chart.locator(f'rect.bar-characters[data-date="{today}"]')
    assert int(characters_today.get_attribute("data-value") or 0) >= len(TEXT)
    expect(requests_today.locator("title")).to_contain_text("request")
    expect(chart.locator("svg[role=img]").first).to_have_attribute(
        "aria-label", EN["usage.chart.title_requests"].replace("{n}", "30")
    )

    table = page.locator("#usage-table")
    table.locator("summary").click()
    expect(table.locator(f'tr[data-date="{today}"] td').first).not_to_have_text("0")
    expect(table.locator("tbody tr")).to_have_count(30)
    shots.take(page, "usage")

    handheld = phone.new_page()
    open_usage(handheld, site)
    expect(handheld.locator('#usage-windows [data-window="day"]')).to_be_visible()
    assert handheld.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shots.take(handheld, "usage")


def test_usage_needs_a_signed_in_user(page: Page, site: LiveSite) -> None:
    page.context.add_cookies([{"name": "kreyol_lang", "value": "en", "url": site.url}])
    page.goto("/usage")
    expect(page.locator('main[data-ready="usage"]')).to_be_attached()
    expect(page.locator("main .notice")).to_have_text(EN["app.sign_in_needed"])
    expect(page.locator("#usage-chart")).to_have_count(0)
