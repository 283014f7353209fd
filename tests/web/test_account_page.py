"""The Account page in a real browser: sign-in, the cookie session, registration, passwords."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import BrowserContext, Page, expect

from kreyol_ia.web.catalogue import catalogue
from tests.web.harness import ADMIN, USER, LiveSite, Shots, sign_in

EN = catalogue("en")
COOKIE = "kreyol_refresh"
NEW_PASSWORD = "Citadelle-Laferriere-1820"


def english(page: Page, site: LiveSite) -> None:
    page.context.add_cookies([{"name": "kreyol_lang", "value": "en", "url": site.url}])


def open_account(page: Page) -> None:
    page.goto("/account")
    expect(page.locator('main[data-ready="account"]')).to_be_attached()


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def api_token(site: LiveSite, username: str, password: str) -> httpx.Response:
    data = {"username": username, "password": password}
    return httpx.post(f"{site.url}/api/v1/auth/token", data=data)


def refresh_cookie(context: BrowserContext) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == COOKIE), None)


def test_a_wrong_password_is_refused_then_the_right_one_signs_in(
    page: Page, site: LiveSite, shots: Shots
) -> None:
    english(page, site)
    open_account(page)
    expect(page.locator("#signin-username")).to_have_attribute("autocomplete", "username")
    expect(page.locator("#signin-password")).to_have_attribute("autocomplete", "current-password")
    expect(page.locator("#signin-error")).to_have_attribute("role", "alert")
    expect(page.locator("#register-invite")).to_be_visible()  # the site is invite-only
    expect(page.locator("#register-password")).to_have_attribute("autocomplete", "new-password")
    expect(page.locator("#register-password-hint")).to_have_text(
        EN["account.password_hint"].replace("{n}", "10")
    )
    shots.take(page, "account-signed-out")
    page.fill("#signin-username", USER.username)
    page.fill("#signin-password", "not-her-password")
    page.click("#signin-submit")
    expect(page.locator("#signin-error")).to_have_text(EN["error.invalid_credentials"])
    expect(page.locator("#whoami")).to_be_empty()
    page.fill("#signin-password", USER.password)
    page.click("#signin-submit")
    expect(page.locator("#whoami")).to_have_text(USER.username)
    expect(page.locator('main[data-ready="translate"]')).to_be_attached()
    assert page.url == f"{site.url}/"


def test_the_session_lives_in_an_httponly_cookie_and_survives_a_reload(
    page: Page, context: BrowserContext, site: LiveSite, shots: Shots
) -> None:
    english(page, site)
    open_account(page)
    page.fill("#signin-username", USER.username)
    page.fill("#signin-password", USER.password)
    with page.expect_response("**/api/v1/auth/session") as answer:
        page.click("#signin-submit")
    token = answer.value.json()["access_token"]
    expect(page.locator("#whoami")).to_have_text(USER.username)
    cookie = refresh_cookie(context)
    assert cookie is not None
    assert cookie["httpOnly"] is True
    assert cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/api/v1/auth/session"
    assert COOKIE not in page.evaluate("document.cookie")
    stored = page.evaluate(
        "[localStorage, sessionStorage].flatMap(s => Object.keys(s).map(k => k + '=' + s[k]))"
    )
    assert not [entry for entry in stored if token in entry or COOKIE in entry]

    page.reload()
    expect(page.locator("#whoami")).to_have_text(USER.username)
    open_account(page)
    expect(page.locator("#account-tier")).to_have_text(EN["account.tier.enterprise"])
    scopes = page.locator("#account-scopes li")
    expect(scopes).to_have_count(3)
    expect(scopes.nth(2)).to_have_text(f"keys — {EN['account.scope.keys']}")
    shots.take(page, "account-signed-in")

    page.click("#signout")
    expect(page.locator("#whoami")).to_be_empty()
    expect(page.locator("#signin-form")).to_be_visible()
    assert refresh_cookie(context) is None
    page.reload()
    expect(page.locator('main[data-ready="account"]')).to_be_attached()
    expect(page.locator("#whoami")).to_be_empty()
    expect(page.locator("#signin-form")).to_be_visible()


def test_sign_out_everywhere_ends_the_other_sessions(page: Page, site: LiveSite) -> None:
    other = api_token(site, USER.username, USER.password)
    assert other.status_code == 200
    english(page, site)
    sign_in(page, site, USER.username, USER.password)
    open_account(page)
    page.click("#signout-all")
    expect(page.locator("#whoami")).to_be_empty()
    expect(page.get_by_role("status")).to_have_text(EN["account.signed_out_all"])
    renewed = httpx.post(
        f"{site.url}/api/v1/auth/refresh", json={"refresh_token": other.json()["refresh_token"]}
    )
    assert renewed.status_code == 401


def test_register_with_an_invite_then_change_the_password(page: Page, site: LiveSite) -> None:
    admin = api_token(site, ADMIN.username, ADMIN.password).json()["access_token"]
    invite = httpx.post(
        f"{site.url}/api/v1/admin/invites",
        json={"days": 1},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert invite.status_code == 201, invite.text
    username = f"jak{uuid.uuid4().hex[:8]}"
    first_password = "Toussaint-Louverture-1791"
    english(page, site)
    open_account(page)
    page.fill("#register-invite", invite.json()["code"])
    page.fill("#register-username", username)
    page.fill("#register-email", f"{username}@example.org")
    page.fill("#register-password", "short")
    page.click("#register-submit")
    expect(page.locator("#register-error")).to_have_text(
        EN["account.password_short"].replace("{n}", "10")
    )
    page.fill("#register-password", first_password)
    page.click("#register-submit")
    expect(page.locator("#whoami")).to_have_text(username)

    open_account(page)
    expect(page.locator("#account-tier")).to_have_text(EN["account.tier.free"])
    page.fill("#password-current", first_password)
    page.fill("#password-new", NEW_PASSWORD)
    page.fill("#password-confirm", NEW_PASSWORD + "x")
    page.click("#password-submit")
    expect(page.locator("#password-error")).to_have_text(EN["account.password.mismatch"])
    page.fill("#password-confirm", NEW_PASSWORD)
    page.click("#password-submit")
    expect(page.get_by_role("status")).to_have_text(EN["account.password.done"])
    expect(page.locator("#whoami")).to_have_text(username)
    page.reload()  # the new session's cookie works
    expect(page.locator("#whoami")).to_have_text(username)

    assert api_token(site, username, first_password).status_code == 401
    page.click("#signout")
    expect(page.locator("#whoami")).to_be_empty()
    sign_in(page, site, username, NEW_PASSWORD)


def test_the_account_page_fits_a_phone(phone: BrowserContext, site: LiveSite, shots: Shots) -> None:
    page = phone.new_page()
    english(page, site)
    open_account(page)
    expect(page.locator("#register-form")).to_be_visible()
    assert fits_the_screen(page)
    shots.take(page, "account-signed-out")
    sign_in(page, site, USER.username, USER.password)
    open_account(page)
    expect(page.locator("#password-form")).to_be_visible()
    assert fits_the_screen(page)
    shots.take(page, "account-signed-in")
