"""The translate page on a server with one installed model: its direction is served by it, the
model's doubts are shown, and the other directions fall back to the phrasebook."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from kreyol_ia.config import Settings
from kreyol_ia.models.install import install_from_directory, spec_for
from tests.marian_fixture import build_opus_mt_checkpoint
from tests.web.harness import DESKTOP, LiveSite, Shots, guarded_context
from tests.web.test_translate_page import open_page, translate

UNKNOWN = "The zorblat eats seven green apples."  # no memory sentence: the model gets it


@pytest.fixture(scope="module")
def neural_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveSite]:
    """A server whose models directory holds a tiny OPUS-MT en→ht model (random weights)."""
    work = tmp_path_factory.mktemp("neural-site")
    release = build_opus_mt_checkpoint(work / "release")
    settings = Settings(data_dir=work, models_dir=work / "models", _env_file=None)
    install_from_directory(spec_for("opus-mt-en-ht"), release, settings, origin="test")
    live = LiveSite(
        {"KREYOL_ALLOW_ANONYMOUS": "true", "KREYOL_MODELS_DIR": str(work / "models")}
    ).start()
    yield live
    live.stop()


@pytest.fixture
def neural_page(browser: Browser, neural_site: LiveSite) -> Iterator[Page]:
    with guarded_context(browser, neural_site.url, DESKTOP) as (context, _guard):
        yield context.new_page()


def test_the_models_doubts_are_shown_and_other_directions_fall_back(
    neural_page: Page, neural_site: LiveSite, shots: Shots
) -> None:
    page = neural_page
    open_page(page, neural_site)
    translate(page, UNKNOWN, source="en", target="ht")
    expect(page.locator("#engine")).to_have_text("Engine: neural model")
    expect(page.locator("#uncertain-sentences")).to_have_text(
        f"Sentences the model was unsure of: {UNKNOWN}"
    )
    shots.take(page, "translate-uncertain")
    translate(page, "Bonjou, kijan ou ye?", source="ht", target="en")
    expect(page.locator("#engine")).to_contain_text("phrasebook")
    expect(page.locator("#uncertain-sentences")).to_have_count(0)
    open_page(page, neural_site, lang="ht")
    translate(page, UNKNOWN, source="en", target="ht")
    expect(page.locator("#uncertain-sentences")).to_contain_text("Fraz modèl la pa t sèten")
