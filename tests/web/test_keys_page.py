"""The API keys page in a real browser: a key is shown once, works, is revoked, and stays text."""

from __future__ import annotations

import httpx
from playwright.sync_api import BrowserContext, Locator, Page, expect

from kreyol_ia.web.catalogue import catalogue
from tests.web.harness import USER, LiveSite, Shots, sign_in

EN = catalogue("en")
HOSTILE = "<img src=x onerror=alert(1)>"


def open_keys(page: Page, site: LiveSite) -> None:
    """Signed in as marie, on the keys page in English."""
    page.context.add_cookies([{"name": "kreyol_lang", "value": "en", "url": site.url}])
    sign_in(page, site, USER.username, USER.password)
    page.locator('#nav a[data-page="keys"]').click()
    expect(page.locator('main[data-ready="keys"]')).to_be_attached()


def create_key(page: Page, name: str, scopes: set[str], days: str = "30") -> str:
    """Fill the form, submit, and read the key the page shows once."""
    page.fill("#key-name", name)
    for box in page.locator("#key-scopes input[type=checkbox]").all():
        box.set_checked(box.get_attribute("value") in scopes)
    page.select_option("#key-expiry", days)
    page.click("#key-submit")
    secret = page.locator("#new-key .secret")
    expect(secret).to_be_visible()
    return secret.inner_text().strip()


def key_row(page: Page, name: str) -> Locator:
    return page.locator("#keys-table tbody tr").filter(
        has=page.locator(".key-name").get_by_text(name, exact=True)
    )


def translate_with(site: LiveSite, key: str) -> httpx.Response:
    return httpx.post(
        f"{site.url}/api/v1/translate",
        json={"text": "Good morning", "source": "en", "target": "ht"},
        headers={"X-API-Key": key},
    )


def test_a_key_is_shown_once_works_and_stops_when_revoked(
    page: Page, site: LiveSite, shots: Shots
) -> None:
    open_keys(page, site)
    expect(page.locator("#key-expiry")).to_have_value("30")
    assert page.locator("#key-expiry option").all_inner_texts() == [
        "7 days",
        "30 days",
        "90 days",
        "365 days",
    ]
    boxes = page.locator("#key-scopes input[type=checkbox]")
    assert [box.get_attribute("value") for box in boxes.all()] == ["translate", "documents", "keys"]
    expect(page.locator("#key-scopes")).to_contain_text(EN["account.scope.keys"])
    key = create_key(page, "reception laptop", {"translate"}, days="7")
    assert key.startswith("ka_")
    expect(page.locator("#new-key [role=alert]")).to_have_text(EN["keys.once"])
    expect(page.locator("#copy-key")).to_be_visible()
    shots.take(page, "keys-new-key")

    assert translate_with(site, key).status_code == 200
    listed = httpx.get(f"{site.url}/api/v1/keys", headers={"X-API-Key": key})
    assert listed.status_code == 403  # translate only: it may not manage keys

    page.click("#key-done")
    expect(page.locator("#new-key")).to_have_count(0)
    row = key_row(page, "reception laptop")
    expect(row).to_have_attribute("data-state", "active")
    expect(row).to_contain_text(key[:8])
    expect(row).to_contain_text("translate")
    revoke = EN["keys.revoke_named"].replace("{name}", "reception laptop")
    row.get_by_role("button", name=revoke).click()
    row.locator(".confirm-revoke").click()
    expect(page.locator("#keys-status")).to_contain_text("reception laptop")
    expect(key_row(page, "reception laptop")).to_have_attribute("data-state", "revoked")
    expect(key_row(page, "reception laptop").locator("button")).to_have_count(0)
    assert translate_with(site, key).status_code == 401


def test_a_hostile_key_name_shows_as_text(page: Page, site: LiveSite) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_keys(page, site)
    create_key(page, HOSTILE, {"translate"})
    expect(page.locator("#new-key h2")).to_have_text(EN["keys.created"].replace("{name}", HOSTILE))
    page.click("#key-done")
    expect(key_row(page, HOSTILE).locator(".key-name")).to_have_text(HOSTILE)
    assert page.locator("main img").count() == 0
    page.reload()
    expect(key_row(page, HOSTILE)).to_have_count(1)
    assert page.locator("main img").count() == 0
    assert dialogs == []


def test_the_keys_page_fits_a_phone(phone: BrowserContext, site: LiveSite, shots: Shots) -> None:
    page = phone.new_page()
    open_keys(page, site)
    create_key(page, "phone in the pharmacy", {"translate", "documents"}, days="90")
    expect(page.locator("#keys-table tbody tr").first).to_contain_text("phone in the pharmacy")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shots.take(page, "keys-new-key")
