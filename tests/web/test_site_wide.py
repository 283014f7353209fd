"""Site-wide browser checks on every page: languages, phone width, origin, a11y, contrast, XSS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, Route, expect

from kreyol_ia.web.catalogue import catalogue
from kreyol_ia.web.pages import PAGES
from tests.web.harness import (
    ADMIN,
    DESKTOP,
    PHONE,
    USER,
    Account,
    LiveSite,
    OriginGuard,
    Shots,
    guarded_context,
    sign_in,
)
from tests.web.sitewide import (
    COLLECT_STRINGS,
    FOCUSED,
    INJECTED,
    LOW_CONTRAST,
    OVERFLOW,
    PAGE_NAMES,
    UNNAMED_CONTROLS,
    XSS_PAYLOADS,
    AllowList,
    api_token,
    open_page,
    settle,
    site_data,
    untranslated,
)

PHONE_WIDTH = 360
TAB_LIMIT = 60
SWITCHES = ("ht", "en", "fr")  # the order a visitor switches in; French stays chosen
VISITS = [(path, True) for path in PAGES] + [("/account", False)]
VISIT_IDS = [f"{PAGE_NAMES[path]}-{'admin' if admin else 'signed-out'}" for path, admin in VISITS]
PHONE_VISITS = [*VISITS, ("/", False)]
PHONE_IDS = [*VISIT_IDS, "translate-signed-out"]
# a deliberately broken page: the translate module's output gets one extra element
BREAK = """
render = ((original) => (root, ctx) => {{
  const done = original(root, ctx);
  const extra = document.createElement("{tag}");
  {setup}
  root.append(extra);
  return done;
}})(render);
"""


@dataclass
class Signed:
    """One signed-in browser tab kept for a module: the auth limit (30/min per IP) forbids more."""

    page: Page
    guard: OriginGuard
    dialogs: list[str]


@contextmanager
def signed_in(
    browser: Browser, site: LiveSite, options: dict[str, Any], account: Account
) -> Iterator[Signed]:
    with guarded_context(browser, site.url, options) as (context, guard):
        page = context.new_page()
        dialogs: list[str] = []

        def dismiss(dialog: Dialog) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", dismiss)
        sign_in(page, site, account.username, account.password)
        yield Signed(page, guard, dialogs)


@pytest.fixture(scope="module")
def ada_desktop(browser: Browser, site: LiveSite) -> Iterator[Signed]:
    with signed_in(browser, site, DESKTOP, ADMIN) as signed:
        yield signed


@pytest.fixture(scope="module")
def ada_phone(browser: Browser, site: LiveSite) -> Iterator[Signed]:
    with signed_in(browser, site, PHONE, ADMIN) as signed:
        yield signed


@pytest.fixture(scope="module")
def marie_desktop(browser: Browser, site: LiveSite) -> Iterator[Signed]:
    with signed_in(browser, site, DESKTOP, USER) as signed:
        yield signed


@pytest.fixture(scope="module")
def admin_token(site: LiveSite) -> str:
    return api_token(site, ADMIN.username, ADMIN.password)


@pytest.fixture(scope="module")
def marie_token(site: LiveSite) -> str:
    return api_token(site, USER.username, USER.password)


def tab(signed: Signed) -> Iterator[Signed]:
    """The module's tab for one test: any foreign request or dialog during it fails the test."""
    signed.guard.foreign.clear()
    signed.dialogs.clear()
    yield signed
    signed.guard.assert_same_origin()
    assert not signed.dialogs, f"dialogs opened: {signed.dialogs}"


@pytest.fixture
def ada(ada_desktop: Signed) -> Iterator[Signed]:
    yield from tab(ada_desktop)


@pytest.fixture
def ada_handheld(ada_phone: Signed) -> Iterator[Signed]:
    yield from tab(ada_phone)


@pytest.fixture
def marie(marie_desktop: Signed) -> Iterator[Signed]:
    yield from tab(marie_desktop)


def visit(request: pytest.FixtureRequest, path: str, admin: bool, form: str = "desktop") -> Page:
    """Open a page as ada (admin, the module's signed-in tab) or signed out (a fresh context)."""
    if admin:
        page = request.getfixturevalue("ada" if form == "desktop" else "ada_handheld").page
    elif form == "desktop":
        page = request.getfixturevalue("page")
    else:
        page = request.getfixturevalue("phone").new_page()
    open_page(page, path)
    return page


def choose_language(page: Page, path: str, code: str) -> None:
    """Pick a language in the header (choosing the current one again would reload it, racing)."""
    if page.locator("#ui-lang").input_value() != code:
        page.select_option("#ui-lang", code)
    expect(page.locator("html")).to_have_attribute("lang", code)
    settle(page, path)


def collect(page: Page) -> dict[str, str]:
    """Visible text and labelling attributes of the page now: text → where it was seen."""
    return {text: where for text, where in page.evaluate(COLLECT_STRINGS)}


def strings_per_language(page: Page, path: str) -> dict[str, dict[str, str]]:
    seen = {}
    for code in SWITCHES:
        choose_language(page, path, code)
        seen[code] = collect(page)
        assert page.evaluate("document.documentElement.lang") == code
    return seen


def report_untranslated(found: list[tuple[str, str, str, str]]) -> str:
    return "strings unchanged between languages:\n  " + "\n  ".join(
        f"{text!r} at {where} ({first} = {second})" for text, where, first, second in found
    )


def broken(page: Page, tag: str, setup: str) -> None:
    """Serve a copy of the translate page's module that adds one element (proves a check bites)."""

    def handle(route: Route) -> None:
        response = route.fetch()
        body = response.text() + BREAK.format(tag=tag, setup=setup)
        route.fulfill(response=response, body=body)

    page.route("**/js/pages/translate.js", handle)


def without_csp(page: Page) -> None:
    """Serve the pages without their Content-Security-Policy (to test what stands behind it)."""

    def handle(route: Route) -> None:
        response = route.fetch()
        headers = {k: v for k, v in response.headers.items() if k != "content-security-policy"}
        route.fulfill(response=response, headers=headers)

    page.route(lambda url: urlsplit(url).path in PAGES, handle)


@pytest.mark.parametrize(("path", "admin"), VISITS, ids=VISIT_IDS)
def test_every_visible_string_follows_the_interface_language(
    request: pytest.FixtureRequest, site: LiveSite, admin_token: str, path: str, admin: bool
) -> None:
    page = visit(request, path, admin)
    seen = strings_per_language(page, path)
    assert all(seen.values()), f"no visible text collected on {path}: {seen}"
    found = untranslated(seen, AllowList.build(site_data(site, admin_token)))
    assert not found, report_untranslated(found)
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    settle(page, path)
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert cookies.get("kreyol_lang") == "fr"
    other = "/account" if path != "/account" else "/"
    open_page(page, other)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    nav = page.locator(f'#nav a[data-page="{PAGE_NAMES[other]}"]')
    expect(nav).to_have_text(catalogue("fr")[f"nav.{PAGE_NAMES[other]}"])


def test_the_language_check_notices_a_hard_coded_string(
    page: Page, site: LiveSite, admin_token: str
) -> None:
    broken(page, "p", 'extra.textContent = "Hard-coded words";')
    open_page(page, "/")
    allowed = AllowList.build(site_data(site, admin_token))
    found = untranslated(strings_per_language(page, "/"), allowed)
    assert "Hard-coded words" in {text for text, *_ in found}, found


@pytest.mark.parametrize(("locale", "code"), [("ht-HT", "ht"), ("fr-FR", "fr"), ("en-US", "en")])
def test_accept_language_picks_the_interface_language(
    browser: Browser, site: LiveSite, locale: str, code: str
) -> None:
    with guarded_context(browser, site.url, {**DESKTOP, "locale": locale}) as (context, _guard):
        page = context.new_page()
        open_page(page, "/")
        expect(page.locator("html")).to_have_attribute("lang", code)
        nav = page.locator('#nav a[data-page="translate"]')
        expect(nav).to_have_text(catalogue(code)["nav.translate"])
        expect(page.locator("label[for=ui-lang]")).to_have_text(catalogue(code)["app.language"])


def overflow(page: Page) -> list[Any]:
    """What sticks out to the right of a phone screen (empty when the page fits)."""
    measured = page.evaluate(OVERFLOW)
    if measured["scrollWidth"] <= PHONE_WIDTH and not measured["offenders"]:
        return []
    return [measured["scrollWidth"], *measured["offenders"]]


@pytest.mark.parametrize(("path", "admin"), PHONE_VISITS, ids=PHONE_IDS)
def test_no_page_scrolls_sideways_on_a_phone(
    request: pytest.FixtureRequest, shots: Shots, path: str, admin: bool
) -> None:
    name = f"site-{PAGE_NAMES[path]}" + ("" if admin else "-signed-out")
    handheld = visit(request, path, admin, "phone")
    found = overflow(handheld)
    shots.take(handheld, name)
    shots.take(visit(request, path, admin), name)
    assert not found, f"{path} at {PHONE_WIDTH} px: scrollWidth, then widest offenders: {found}"


def test_the_width_check_notices_a_wide_element(phone: BrowserContext, site: LiveSite) -> None:
    handheld = phone.new_page()
    broken(handheld, "div", 'extra.id = "too-wide"; extra.style.width = "500px";')
    open_page(handheld, "/")
    found = overflow(handheld)
    assert any(item[0].endswith("div#too-wide") for item in found[1:]), found


@pytest.mark.parametrize("admin", [False, True], ids=["signed-out", "admin"])
def test_nothing_leaves_the_origin(
    request: pytest.FixtureRequest, browser: Browser, site: LiveSite, admin: bool
) -> None:
    if admin:
        guard = request.getfixturevalue("ada").guard
        guard.requests.clear()
        for path in PAGES:
            open_page(request.getfixturevalue("ada").page, path)
    else:
        with guarded_context(browser, site.url, DESKTOP) as (context, guard):
            page = context.new_page()
            for path in PAGES:
                open_page(page, path)
    assert not guard.foreign, guard.foreign
    network = [url for url in guard.requests if urlsplit(url).scheme in {"http", "https"}]
    assert any(urlsplit(url).path.startswith("/static/") for url in network), network
    assert {f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" for url in network} == {site.url}


def test_the_origin_check_notices_a_foreign_request(browser: Browser, site: LiveSite) -> None:
    with (
        pytest.raises(AssertionError, match=r"example\.invalid"),
        guarded_context(browser, site.url, DESKTOP) as (context, _guard),
    ):
        page = context.new_page()
        without_csp(page)  # the CSP alone would stop the image before it reached the network
        broken(page, "img", 'extra.src = "http://example.invalid/pixel.png"; extra.alt = "";')
        open_page(page, "/")


def tab_through(page: Page, stop: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """Press Tab until stop(focused) holds; types into the text box on the way."""
    focused: list[dict[str, Any]] = []
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED) or {"id": None, "tag": None, "page": None}
        focused.append(now)
        if now["id"] == "source-text":
            page.keyboard.type("Bonjou")
        if stop(now):
            return focused
    raise AssertionError(f"{TAB_LIMIT} presses of Tab never got there: {focused}")


def test_the_keyboard_reaches_everything_with_a_visible_focus(page: Page, site: LiveSite) -> None:
    open_page(page, "/")
    focused = tab_through(page, lambda item: item["id"] == "translate")
    ids = [item["id"] for item in focused]
    assert ids[0] == "skip-link", ids
    for wanted in ("ui-lang", "source-text", "translate"):
        assert wanted in ids, f"Tab never reached #{wanted}: {ids}"
    links = page.locator("#nav a[data-page]").evaluate_all("els => els.map(e => e.dataset.page)")
    reached = {item["page"] for item in focused if item["tag"] == "a"}
    assert links and set(links) <= reached, f"nav links {links}, reached {reached}"
    hidden = [item for item in focused if item["tag"] and not item["indicated"]]
    assert not hidden, f"focused without a visible indicator: {hidden}"
    expect(page.locator("#source-text")).to_have_value("Bonjou")
    open_page(page, "/")
    tab_through(page, lambda item: item["page"] == "account")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{site.url}/account")
    expect(page.locator('main[data-ready="account"]')).to_be_attached()


def test_the_focus_check_notices_a_hidden_focus_ring(page: Page) -> None:
    def handle(route: Route) -> None:
        response = route.fetch()
        body = response.text() + "\n*:focus-visible { outline: none !important; box-shadow: none; }"
        route.fulfill(response=response, body=body)

    page.route("**/app.css", handle)
    open_page(page, "/")
    focused = tab_through(page, lambda item: item["id"] == "skip-link")
    assert not focused[-1]["indicated"], focused


@pytest.mark.parametrize(("path", "admin"), VISITS, ids=VISIT_IDS)
def test_every_form_control_has_an_accessible_name(
    request: pytest.FixtureRequest, path: str, admin: bool
) -> None:
    page = visit(request, path, admin)
    unnamed = page.evaluate(UNNAMED_CONTROLS)
    assert not unnamed, f"controls on {path} with no accessible name: {unnamed}"


def test_the_name_check_notices_an_unlabelled_control(page: Page) -> None:
    broken(page, "input", 'extra.id = "nameless";')
    open_page(page, "/")
    assert "input#nameless" in page.evaluate(UNNAMED_CONTROLS)


@pytest.mark.parametrize(("path", "admin"), VISITS, ids=VISIT_IDS)
def test_text_contrast_meets_wcag_aa(
    request: pytest.FixtureRequest, path: str, admin: bool
) -> None:
    page = visit(request, path, admin)
    offenders = page.evaluate(LOW_CONTRAST)
    assert not offenders, f"text below WCAG AA contrast on {path}:\n" + "\n".join(
        str(offender) for offender in offenders
    )


def test_the_contrast_check_notices_pale_text(page: Page) -> None:
    broken(page, "p", 'extra.id = "pale"; extra.textContent = "pale"; extra.style.color = "#bbb";')
    open_page(page, "/")
    offenders = page.evaluate(LOW_CONTRAST)
    assert "p#pale" in [offender["selector"] for offender in offenders], offenders


def watch_dialogs(page: Page) -> list[str]:
    opened: list[str] = []

    def dismiss(dialog: Any) -> None:
        opened.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    return opened


def assert_inert(page: Page, dialogs: list[str]) -> None:
    page.wait_for_load_state("networkidle")
    assert page.evaluate(INJECTED) == {"pwned": False, "elements": 0}
    assert dialogs == []


def test_the_injection_check_notices_a_script_that_ran(page: Page) -> None:
    dialogs = watch_dialogs(page)
    broken(page, "img", 'extra.src = "x"; extra.onerror = () => { window.__pwned = 1; };')
    open_page(page, "/")
    with pytest.raises(AssertionError):
        assert_inert(page, dialogs)
    assert page.evaluate(INJECTED) == {"pwned": True, "elements": 1}


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_payload_as_source_text_stays_text(page: Page, payload: str) -> None:
    dialogs = watch_dialogs(page)
    open_page(page, "/")
    page.fill("#source-text", payload)
    page.click("#translate")
    expect(page.locator("#result-text")).not_to_be_empty()
    expect(page.locator("#source-text")).to_have_value(payload)
    assert_inert(page, dialogs)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_payload_as_key_name_stays_text(
    marie: Signed, site: LiveSite, marie_token: str, payload: str
) -> None:
    token = marie_token
    response = httpx.post(
        f"{site.url}/api/v1/keys",
        json={"name": payload, "expires_in_days": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    open_page(marie.page, "/keys")
    expect(marie.page.get_by_text(payload, exact=True).first).to_be_visible()
    assert_inert(marie.page, marie.dialogs)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_a_payload_as_file_name_stays_text(
    marie: Signed, site: LiveSite, marie_token: str, payload: str
) -> None:
    token = marie_token
    response = httpx.post(
        f"{site.url}/api/v1/documents",
        files={"file": (f"{payload}.txt", b"Good morning.", "text/plain")},
        data={"source": "en", "target": "ht"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202, response.text
    stored = httpx.get(
        f"{site.url}/api/v1/tasks/{response.json()['task_id']}",
        headers={"Authorization": f"Bearer {token}"},
    ).json()["document"]["filename"]
    open_page(marie.page, "/documents")
    expect(marie.page.get_by_text(stored, exact=True).first).to_be_visible()
    assert_inert(marie.page, marie.dialogs)


def inner_html_error(page: Page) -> list[str] | None:
    """[name, message] of what assigning innerHTML threw, or None when it was accepted."""
    return page.evaluate(
        """() => {
          try { document.body.innerHTML = "<b>x</b>"; return null; }
          catch (error) { return [error.name, error.message]; }
        }"""
    )


def test_trusted_types_make_inner_html_throw(page: Page) -> None:
    open_page(page, "/")
    thrown = inner_html_error(page)
    assert thrown is not None, "innerHTML assignment was accepted"
    name, message = thrown
    assert name == "TypeError" and "TrustedHTML" in message, thrown
    assert page.locator("body > b").count() == 0


def test_the_trusted_types_check_notices_a_page_without_them(page: Page) -> None:
    without_csp(page)
    open_page(page, "/")
    assert inner_html_error(page) is None
    assert page.locator("body > b").count() == 1
