"""The translation API over HTTP: contract, limits and error codes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager
from kreyol_ia.translation.imports import ImportRow
from kreyol_ia.translation.memory_store import MemoryStore


def _translate(client: TestClient, **body):
    return client.post("/api/v1/translate", json=body)


def test_translate_one_text_reports_engine_and_match(auth_client: TestClient) -> None:
    response = _translate(auth_client, text="Good morning, how are you?", source="en", target="ht")
    assert response.status_code == 200, response.text
    body = response.json()
    (item,) = body["translations"]
    assert item["translation"] == "Bonjou, kijan ou ye?"
    assert item["engine"] == "phrasebook"
    assert item["matches"] == {"exact": 1}
    assert item["segments"][0]["match"] == "exact"
    assert item["detected_source"] is None
    assert body["characters"] == len("Good morning, how are you?")


def test_translate_a_list_with_auto_detection(auth_client: TestClient) -> None:
    response = _translate(
        auth_client, text=["Bonjou, kijan ou ye?", "Mwen pa konprann."], source="auto", target="en"
    )
    items = response.json()["translations"]
    assert [i["detected_source"]["language"] for i in items] == ["ht", "ht"]
    assert items[0]["translation"].lower().startswith("hello")
    assert "understand" in items[1]["translation"]


def test_layout_survives_translation(auth_client: TestClient) -> None:
    text = "Good morning.\n\n- Wash your hands.\n- Drink clean water."
    item = _translate(auth_client, text=text, source="en", target="ht").json()["translations"][0]
    lines = item["translation"].split("\n")
    assert lines[1] == ""
    assert lines[2].startswith("- ") and lines[3].startswith("- ")
    assert len(item["segments"]) == 3


def test_unknown_words_are_reported_and_kept(auth_client: TestClient) -> None:
    item = _translate(auth_client, text="I want zorblax.", source="en", target="ht").json()[
        "translations"
    ][0]
    assert "zorblax" in item["translation"]
    assert item["unknown_words"] == ["zorblax"]


def test_unsupported_languages_and_pairs(auth_client: TestClient) -> None:
    response = _translate(auth_client, text="hello", source="de", target="ht")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unsupported_language"
    response = _translate(auth_client, text="hello", source="en", target="fr")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unsupported_pair"
    assert "en→ht" in error["message"]


def test_engine_choice_errors(auth_client: TestClient) -> None:
    response = _translate(auth_client, text="hello", source="en", target="ht", engine="google")
    assert response.json()["error"]["code"] == "unknown_engine"
    response = _translate(auth_client, text="hello", source="en", target="ht", engine="neural")
    assert response.json()["error"]["code"] == "engine_unavailable"


def test_limits(auth_client: TestClient, settings: Settings) -> None:
    too_long = "a " * settings.max_text_chars
    small_enough = {"text": too_long, "source": "en", "target": "ht"}
    response = auth_client.post("/api/v1/translate", json=small_enough)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "text_too_long"
    many = ["hi"] * (settings.max_batch_texts + 1)
    response = _translate(auth_client, text=many, source="en", target="ht")
    assert response.json()["error"]["code"] == "too_many_texts"
    assert _translate(auth_client, text=[], source="en", target="ht").json()["error"]["code"] == (
        "empty_request"
    )


def test_extra_fields_and_wrong_types_are_422(auth_client: TestClient) -> None:
    response = _translate(auth_client, text="hi", source="en", target="ht", secret="x")
    assert response.status_code == 422
    response = _translate(auth_client, text=5, source="en", target="ht")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_detect_languages_and_engines(auth_client: TestClient) -> None:
    found = auth_client.post("/api/v1/detect", json={"text": "Mwen bezwen yon doktè."}).json()
    assert found["language"] == "ht"
    assert 0 < found["confidence"] <= 1
    languages = auth_client.get("/api/v1/languages").json()
    assert {p["source"] + p["target"] for p in languages["pairs"]} == {
        "enht",
        "frht",
        "hten",
        "htfr",
    }
    engines = auth_client.get("/api/v1/engines").json()
    assert engines["default"] == "phrasebook"
    assert engines["engines"][0]["name"] == "phrasebook"
    assert auth_client.get("/api/v1/service").json()["engines"] == ["phrasebook"]


def test_imported_memory_wins_over_builtin(auth_client: TestClient, settings: Settings) -> None:
    before = _translate(auth_client, text="Good morning", source="en", target="ht").json()
    assert before["translations"][0]["translation"] == "Bonjou"
    store = MemoryStore(DatabaseManager(settings))
    store.store("tm", [ImportRow("en", "ht", "Good morning", "Bonjou zanmi")])
    auth_client.app.state.translation.memory.refresh_seconds = 0
    after = _translate(auth_client, text="Good morning", source="en", target="ht").json()
    assert after["translations"][0]["translation"] == "Bonjou zanmi"
    counts = auth_client.get("/api/v1/engines").json()["imported_entries"]
    assert counts == {"tm": 1}


def test_translation_needs_a_principal_unless_anonymous_is_allowed(
    client: TestClient, settings: Settings
) -> None:
    body = {"text": "Good morning", "source": "en", "target": "ht"}
    response = client.post("/api/v1/translate", json=body)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "not_authenticated"
    from kreyol_ia.api import create_app
    from tests.conftest import derive

    with TestClient(create_app(derive(settings, allow_anonymous=True))) as anonymous:
        assert anonymous.post("/api/v1/translate", json=body).status_code == 200
