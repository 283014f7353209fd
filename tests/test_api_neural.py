"""The API with a neural model installed: auto picks it, and glossary terms bind its output."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager
from kreyol_ia.translation.engine import Result
from kreyol_ia.translation.imports import ImportRow
from kreyol_ia.translation.memory_store import MemoryStore
from tests.conftest import bearer, derive, make_user
from tests.neural_fixture import build_tiny_model


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("model") / "nllb-tiny", "nllb")


@pytest.fixture
def neural_client(settings: Settings, model_dir: Path):
    with TestClient(create_app(derive(settings, model_dir=model_dir))) as client:
        make_user(client.app, "alice")
        client.headers.update(bearer(client, "alice"))
        yield client


def test_auto_uses_the_installed_model(neural_client: TestClient) -> None:
    engines = neural_client.get("/api/v1/engines").json()
    assert engines["default"] == "neural"
    assert {e["name"] for e in engines["engines"]} == {"neural", "phrasebook"}
    response = neural_client.post(
        "/api/v1/translate",
        json={"text": "The zorblat eats seven green apples.", "source": "en", "target": "ht"},
    )
    item = response.json()["translations"][0]
    assert item["engine"] == "neural"
    assert item["segments"][0]["match"] == "neural"
    phrasebook = neural_client.post(
        "/api/v1/translate",
        json={"text": "Good morning.", "source": "en", "target": "ht", "engine": "phrasebook"},
    ).json()["translations"][0]
    assert phrasebook["engine"] == "phrasebook"


class CopyingEngine:
    """Stands in for a model that copies a name it does not know, as real models often do."""

    name = "neural"

    def __init__(self, real):
        self.real = real

    def translate(self, segments, source, target):
        return [Result(f"{s} ok", "neural", "neural", 0.5) for s in segments]

    def languages(self):
        return self.real.languages()

    def info(self):
        return self.real.info()


def test_glossary_terms_are_enforced_on_neural_output(
    neural_client: TestClient, settings: Settings
) -> None:
    store = MemoryStore(DatabaseManager(settings))
    store.store("glossary", [ImportRow("en", "ht", "Kreyol IA", "Kreyòl IA")])
    service = neural_client.app.state.translation
    service.memory.refresh_seconds = 0
    service.engines["neural"] = CopyingEngine(service.engines["neural"])
    item = neural_client.post(
        "/api/v1/translate", json={"text": "Use Kreyol IA", "source": "en", "target": "ht"}
    ).json()["translations"][0]
    assert item["engine"] == "neural"
    assert item["translation"] == "Use Kreyòl IA ok"
    untouched = neural_client.post(
        "/api/v1/translate", json={"text": "Use it", "source": "en", "target": "ht"}
    ).json()["translations"][0]
    assert untouched["translation"] == "Use it ok"


def test_a_directory_without_a_model_falls_back_to_the_phrasebook(
    settings: Settings, tmp_path: Path
) -> None:
    empty = tmp_path / "no-model"
    empty.mkdir()
    with TestClient(create_app(derive(settings, model_dir=empty))) as client:
        assert client.get("/api/v1/engines").json()["default"] == "phrasebook"
