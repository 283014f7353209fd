"""The Administration page in a real browser: tiers, invitations, the cache and imports."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from kreyol_ia.web.catalogue import catalogue
from tests.web.harness import ADMIN, USER, LiveSite, Shots, sign_in

EN = catalogue("en")
# a pair nobody else translates, so the import changes no other test's output
IMPORT = "en\tht\nblue heron test phrase\tfraz tès krabye ble\nonly one column here\n".encode()


def english(page: Page, site: LiveSite) -> None:
    page.context.add_cookies([{"name": "kreyol_lang", "value": "en", "url": site.url}])


def open_admin(page: Page, site: LiveSite) -> None:
    """Signed in as ada, in English, on the administration page."""
    english(page, site)
    sign_in(page, site, ADMIN.username, ADMIN.password)
    page.locator('#nav a[data-page="admin"]').click()
    expect(page.locator('main[data-ready="admin"]')).to_be_attached()
    expect(page.locator(f'#users-table [data-user="{USER.username}"]')).to_be_visible()


@pytest.fixture
def marie_back_to_enterprise(site: LiveSite) -> Iterator[None]:
    """Other tests expect marie on the enterprise tier the site was seeded with."""
    yield
    site.kreyol("users", "set-tier", USER.username, "enterprise")


def test_a_tier_set_here_is_what_the_user_sees(
    page: Page,
    phone: BrowserContext,
    site: LiveSite,
    shots: Shots,
    marie_back_to_enterprise: None,
) -> None:
    open_admin(page, site)
    row = page.locator(f'#users-table [data-user="{USER.username}"]')
    expect(row.locator("select.tier")).to_have_value("enterprise")
    expect(row.locator("select.role")).to_have_value("user")
    assert row.locator("select.tier option").all_inner_texts() == [
        EN[f"account.tier.{tier}"] for tier in ("free", "basic", "pro", "enterprise")
    ]
    row.locator("button.save").click()
    expect(row.get_by_role("status")).to_have_text(EN["admin.users.unchanged"])

    row.locator("select.tier").select_option("pro")
    row.locator("button.save").click()
    expect(row.get_by_role("status")).to_have_text(EN["admin.users.saved"])
    expect(row.locator("[role=alert]")).to_be_empty()

    own = page.locator(f'#users-table [data-user="{ADMIN.username}"]')
    own.locator("input.disabled").check()
    own.locator("button.save").click()
    expect(own.get_by_role("alert")).to_have_text(EN["error.self_lockout"])
    own.locator("input.disabled").uncheck()
    shots.take(page, "admin")

    marie = phone.new_page()
    english(marie, site)
    sign_in(marie, site, USER.username, USER.password)
    marie.goto("/account")
    expect(marie.locator("#account-tier")).to_have_text(EN["account.tier.pro"])
    marie.goto("/usage")
    expect(marie.locator("#usage-tier")).to_have_attribute("data-tier", "pro")
    expect(marie.locator("#usage-tier")).to_have_text(EN["account.tier.pro"])
    expect(marie.locator('#usage-windows [data-window="minute"]')).to_have_attribute(
        "data-limit", "60"
    )


def test_someone_not_admin_sees_the_restricted_notice(page: Page, site: LiveSite) -> None:
    english(page, site)
    sign_in(page, site, USER.username, USER.password)
    expect(page.locator('#nav a[data-page="admin"]')).to_have_count(0)
    page.goto("/admin")
    expect(page.locator('main[data-ready="admin"]')).to_be_attached()
    expect(page.locator("main h1")).to_have_text(EN["app.restricted"])
    expect(page.locator("main .notice")).to_have_text(EN["app.admin_only"])
    expect(page.locator("#users-table")).to_have_count(0)


def test_an_import_reports_what_it_stored_and_the_bad_line(
    page: Page, phone: BrowserContext, site: LiveSite, shots: Shots
) -> None:
    open_admin(page, site)
    page.click("#import-submit")
    expect(page.locator("#import-error")).to_have_text(EN["admin.import.no_file"])

    page.set_input_files(
        "#import-file",
        files=[{"name": "pairs.tsv", "mimeType": "text/tab-separated-values", "buffer": IMPORT}],
    )
    page.select_option("#import-kind", "glossary")
    page.click("#import-submit")
    report = page.locator("#import-report")
    expect(report).to_have_attribute("data-stored", "1")
    expect(report).to_have_attribute("data-rejected", "1")
    expect(report).to_contain_text(EN["admin.import.stored"].replace("{n}", "1"))
    problem = report.locator("#import-problems li")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("line 3")
    expect(page.locator("#import-error")).to_have_text("")

    page.set_input_files(
        "#import-file",
        files=[{"name": "bad.tsv", "mimeType": "text/tab-separated-values", "buffer": b"x\n"}],
    )
    page.click("#import-submit")
    expect(page.locator("#import-error")).to_have_text(EN["error.import_empty"])
    expect(report.locator("#import-problems li")).to_have_count(1)

    handheld = phone.new_page()
    open_admin(handheld, site)
    assert handheld.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shots.take(handheld, "admin")


def test_an_invitation_is_shown_once_listed_and_revoked(page: Page, site: LiveSite) -> None:
    open_admin(page, site)
    page.fill("#invite-days", "91")
    page.click("#invite-create")
    expect(page.locator("#invite-error")).to_have_text(EN["admin.invites.days_invalid"])

    page.fill("#invite-days", "3")
    page.click("#invite-create")
    code = page.locator("#invite-code")
    expect(code).to_be_visible()
    assert len(code.inner_text().strip()) >= 16
    expect(page.locator("#invite-copy")).to_be_visible()
    active = page.locator('#invites-table tr[data-status="active"]')
    expect(active.first).to_be_visible()
    invite_id = active.first.get_attribute("data-invite") or ""
    assert re.fullmatch(r"[0-9a-f]+", invite_id)
    row = page.locator(f'#invites-table tr[data-invite="{invite_id}"]')
    expect(row).to_contain_text(EN["admin.invites.status.active"])
    expect(row).to_contain_text(ADMIN.username)
    assert invite_id not in code.inner_text()  # the list names it, never by its code

    name = EN["admin.invites.revoke_id"].replace("{id}", invite_id)
    row.get_by_role("button", name=name).click()
    expect(row).to_have_count(0)


def test_cache_stats_are_labelled_and_clearing_asks_first(page: Page, site: LiveSite) -> None:
    open_admin(page, site)
    stats = page.locator("#cache-stats")
    for field in ("hits", "misses", "errors", "hit_rate", "backend", "memory_items"):
        expect(stats.locator(f'tr[data-stat="{field}"] th')).to_have_text(
            EN[f"admin.cache.{field}"]
        )
    page.click("#cache-clear")
    expect(page.locator("#cache-confirm")).to_be_visible()
    page.click("#cache-clear-cancel")
    expect(page.locator("#cache-confirm")).to_be_hidden()
    expect(page.locator("#cache-result")).to_have_text("")

    page.click("#cache-clear")
    page.click("#cache-clear-confirm")
    expect(page.locator("#cache-result")).to_have_text(re.compile(r"^\d+ entr(y|ies) removed\.$"))
    expect(page.locator("#cache-confirm")).to_be_hidden()
    expect(page.locator("#cache-clear")).to_be_focused()
