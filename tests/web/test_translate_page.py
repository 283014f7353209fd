"""The translate page in a real browser against a live server: detection, unknown words, keys."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.web.harness import USER, Account, LiveSite, Shots, sign_in

FIRST_ANSWER_MS = 30_000
FRENCH = "Bonjour, comment allez-vous? Le zorblat mange la pomme."
# French unknown words are respelled (a guess); an English word with no Latinate ending is not
ENGLISH = "Hello, how are you? The zorblat eats the apple."


def open_page(page: Page, site: LiveSite, lang: str = "en") -> None:
    """The translate page in one interface language (the cookie the language picker sets)."""
    page.context.add_cookies([{"name": "kreyol_lang", "value": lang, "url": site.url}])
    page.goto("/")
    expect(page.locator('main[data-ready="translate"]')).to_be_visible()


def translate(page: Page, text: str, source: str = "auto", target: str = "ht") -> None:
    page.select_option("#source-lang", source)
    page.select_option("#target-lang", target)
    page.fill("#source-text", text)
    page.click("#translate")
    # the server's first translation loads its lexicons and language model: allow for that
    expect(page.locator("#result-text")).to_be_visible(timeout=FIRST_ANSWER_MS)
    expect(page.locator("#result")).not_to_have_attribute("aria-busy", "true")


@pytest.fixture
def signed_in(page: Page, site: LiveSite) -> Page:
    sign_in(page, site, USER.username, USER.password)
    open_page(page, site)
    return page


@pytest.fixture
def free_tier(site: LiveSite) -> Iterator[Account]:
    """The user account moved to the free tier for one test, so its per-request limit is smaller."""
    site.kreyol("users", "set-tier", USER.username, "free")
    try:
        yield USER
    finally:
        site.kreyol("users", "set-tier", USER.username, "enterprise")


def test_signed_in_auto_detection_shows_language_and_confidence(
    signed_in: Page, shots: Shots
) -> None:
    page = signed_in
    translate(page, FRENCH)
    expect(page.locator("#detected")).to_have_text(re.compile(r"^Detected: French \(\d+\s?%\)$"))
    expect(page.locator("#result-text")).to_have_attribute("lang", "ht")
    expect(page.locator("#result-text")).to_contain_text("Bonjou, kijan ou ye?")
    expect(page.locator("#engine")).to_contain_text("phrasebook")
    items = page.locator("ol.segments > li")
    expect(items).to_have_count(2)
    expect(items.nth(0).locator(".badge.good")).to_have_text("Exact")
    expect(items.nth(0)).to_contain_text("Confidence 100%")
    expect(items.nth(1).locator(".badge.poor")).to_have_text("Word by word")
    shots.take(page, "translate-result")


def test_made_up_word_is_marked_inside_the_translation(signed_in: Page) -> None:
    page = signed_in
    translate(page, "The zorblat eats.", source="en")
    marks = page.locator("ol.segments mark.unknown")
    expect(marks).to_have_text(["Zorblat"])
    expect(marks.first).to_have_attribute("title", re.compile("Unknown word"))
    expect(page.locator("ol.segments li").first).to_contain_text("Zorblat manje.")
    expect(page.locator("#unknown-words")).to_have_text("Words the service does not know: zorblat")


def test_a_respelled_word_is_listed_as_a_guess_not_as_unknown(signed_in: Page) -> None:
    page = signed_in
    translate(page, "La blorbification avance.", source="fr")
    expect(page.locator("#guessed-words")).to_have_text("Guessed words: blorbification")
    expect(page.locator("#result-text")).to_contain_text("lòbifikasyon")
    expect(page.locator("#unknown-words")).to_have_count(0)


def test_ctrl_enter_translates(signed_in: Page) -> None:
    page = signed_in
    page.select_option("#source-lang", "en")
    page.fill("#source-text", "Wash your hands.")
    expect(page.locator("#result-text")).to_have_count(0)
    page.press("#source-text", "Control+Enter")
    expect(page.locator("#result-text")).to_have_text(re.compile(r"\S"), timeout=FIRST_ANSWER_MS)
    expect(page.locator("#detected")).to_have_count(0)  # no detection when the source is chosen


def test_swap_uses_the_detected_language_and_moves_the_result(signed_in: Page) -> None:
    page = signed_in
    translate(page, "Bonjour, comment allez-vous?")
    translation = page.locator("#result-text").inner_text()
    page.click("#swap")
    expect(page.locator("#source-lang")).to_have_value("ht")
    expect(page.locator("#target-lang")).to_have_value("fr")
    expect(page.locator("#source-text")).to_have_value(translation)
    expect(page.locator("#result-text")).to_have_count(0)
    page.click("#translate")
    expect(page.locator("#result-text")).to_contain_text("Bonjour")


def test_only_supported_directions_can_be_chosen(signed_in: Page) -> None:
    page = signed_in
    page.select_option("#source-lang", "ht")
    expect(page.locator("#target-lang")).not_to_have_value("ht")
    page.select_option("#target-lang", "ht")
    expect(page.locator("#source-lang")).to_have_value("auto")
    page.select_option("#source-lang", "en")
    page.select_option("#target-lang", "fr")
    expect(page.locator("#source-lang")).to_have_value("auto")  # en → fr is no direction
    expect(page.locator("#target-lang")).to_have_value("fr")
    page.select_option("#source-lang", "en")
    page.fill("#source-text", "Good morning")
    page.click("#swap")  # no result yet: only the languages turn round
    expect(page.locator("#source-lang")).to_have_value("ht")
    expect(page.locator("#target-lang")).to_have_value("en")
    expect(page.locator("#source-text")).to_have_value("Good morning")


def test_work_survives_a_language_switch_and_the_pair_a_reload(signed_in: Page) -> None:
    page = signed_in
    translate(page, "Wash your hands.", source="en")
    page.select_option("#ui-lang", "fr")
    expect(page.locator("h1")).to_have_text("Traduire un texte")
    expect(page.locator("#source-text")).to_have_value("Wash your hands.")
    expect(page.locator("#source-lang")).to_have_value("en")
    expect(page.locator("#result-text")).to_be_visible()
    expect(page.locator("#engine")).to_contain_text("Moteur")
    page.reload()
    expect(page.locator('main[data-ready="translate"]')).to_be_visible()
    expect(page.locator("#source-lang")).to_have_value("en")
    expect(page.locator("#target-lang")).to_have_value("ht")


def test_copy_puts_the_translation_on_the_clipboard(signed_in: Page) -> None:
    page = signed_in
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    translate(page, "Wash your hands.", source="en")
    page.click("#copy-result")
    expect(page.locator("#copy-status")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#result-text").inner_text()


def test_anonymous_translate_works_with_a_sign_in_hint(
    page: Page, site: LiveSite, phone: BrowserContext, shots: Shots
) -> None:
    open_page(page, site)
    expect(page.locator("#whoami")).to_have_text("")
    expect(page.locator("#anonymous-hint a")).to_have_attribute("href", "/account")
    translate(page, "Wash your hands.", source="en")
    expect(page.locator("#result-text")).to_have_text(re.compile(r"\S"))
    handheld = phone.new_page()
    open_page(handheld, site)
    translate(handheld, ENGLISH)
    expect(handheld.locator("ol.segments mark.unknown").first).to_be_visible()
    assert handheld.evaluate("document.documentElement.scrollWidth") <= 360
    shots.take(handheld, "translate-result")


def test_markup_typed_as_source_comes_back_as_text(signed_in: Page) -> None:
    page = signed_in
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    payload = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
    translate(page, payload, source="en")
    expect(page.locator("#result-text")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(page.locator("#result-text")).to_contain_text("<script>")
    expect(page.locator("ol.segments li").first).to_contain_text(payload)
    assert page.locator("#result img, #result script").count() == 0
    assert dialogs == []


def test_the_server_refusal_is_shown_in_the_alert(page: Page, site: LiveSite) -> None:
    """Anonymous callers may send less than the text limit per request: 413, explained."""
    open_page(page, site)
    page.select_option("#source-lang", "en")
    page.fill("#source-text", "water " * 1700)
    page.click("#translate")
    alert = page.locator("#translate-error[role=alert]")
    expect(alert).to_have_text(re.compile(r"^Too long for one request: at most \d+ characters"))
    expect(page.locator("#translate")).to_be_enabled()


def test_counter_over_the_limit_disables_the_button(page: Page, site: LiveSite) -> None:
    open_page(page, site)
    limit = page.evaluate("fetch('/api/v1/service').then(r => r.json())")["max_text_chars"]
    counter = page.locator("#char-count")
    page.fill("#source-text", "a" * limit)
    expect(counter).not_to_have_class(re.compile(r"\bover\b"))
    expect(page.locator("#translate")).to_be_enabled()
    page.fill("#source-text", "a" * (limit + 1))
    expect(counter).to_have_class(re.compile(r"\bover\b"))
    expect(counter).to_have_text(f"{limit + 1:,} / {limit:,} characters")
    expect(page.locator("#translate")).to_be_disabled()
    page.press("#source-text", "Control+Enter")
    expect(page.locator("#result-text")).to_have_count(0)


def test_signed_in_limit_is_the_accounts_per_request_limit(
    page: Page, site: LiveSite, free_tier: Account
) -> None:
    sign_in(page, site, free_tier.username, free_tier.password)
    open_page(page, site)
    expect(page.locator("#char-count")).to_have_text("0 / 9,999 characters")
    page.fill("#source-text", "a" * 10_000)
    expect(page.locator("#char-count")).to_have_class(re.compile(r"\bover\b"))
    expect(page.locator("#translate")).to_be_disabled()
