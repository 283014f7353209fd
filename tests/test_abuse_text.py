"""Hostile text over HTTP: bad Unicode, odd values, cache privacy and grapheme clusters.

Every request here must get a clear 4xx envelope or a correct 200, never a 500, and no answer
may tell one caller what another caller translated.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from fastapi.testclient import TestClient

from tests.conftest import bearer, make_user

LONE_SURROGATE = "\\ud800"  # the JSON escape, as a client would send it


def _raw_post(client: TestClient, path: str, body: str) -> tuple[int, dict]:
    """POST a JSON body written by hand (httpx cannot encode a lone surrogate itself)."""
    response = client.post(path, content=body, headers={"Content-Type": "application/json"})
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/translate", f'{{"text": "{LONE_SURROGATE}", "source": "en", "target": "ht"}}'),
        (
            "/api/v1/translate",
            f'{{"text": "a{LONE_SURROGATE}b", "source": "auto", "target": "ht"}}',
        ),
        (
            "/api/v1/translate",
            f'{{"text": ["Good morning", "x{LONE_SURROGATE}"], "source": "en", "target": "ht"}}',
        ),
        ("/api/v1/translate", '{"text": "\\udfff\\ud800", "source": "fr", "target": "ht"}'),
        ("/api/v1/detect", f'{{"text": "Bonjou {LONE_SURROGATE}"}}'),
        (
            "/api/v1/auth/register",
            f'{{"username": "sur{LONE_SURROGATE}", "email": "s@example.org", '
            '"password": "a long enough pass"}',
        ),
    ],
)
def test_text_utf8_cannot_carry_is_422_invalid_text(
    auth_client: TestClient, path: str, body: str
) -> None:
    status, answer = _raw_post(auth_client, path, body)
    assert status == 422, answer
    error = answer["error"]
    assert error["request_id"]
    assert error["code"] == "invalid_text", error


def test_a_valid_surrogate_pair_escape_is_ordinary_text(auth_client: TestClient) -> None:
    body = '{"text": "I want water \\ud83d\\udc4d", "source": "en", "target": "ht"}'
    status, answer = _raw_post(auth_client, "/api/v1/translate", body)
    assert status == 200, answer
    translation = answer["translations"][0]["translation"]
    assert translation.startswith("Mwen vle dlo") and translation.endswith(" \U0001f44d")


@pytest.mark.parametrize(
    "body",
    [
        {"text": "a\x00b", "source": "en", "target": "ht"},
        {"text": "\x00", "source": "en", "target": "ht"},
        {
            "text": "\x01\x02\x1b[31m\x7f\x85\u2028\u2029\ufeff\ufffe",
            "source": "en",
            "target": "ht",
        },
        {"text": "Good\x0bmorning\x0c\r\r\n", "source": "auto", "target": "ht"},
        {"text": "", "source": "en", "target": "ht"},
        {"text": [""], "source": "en", "target": "ht"},
        {"text": ["", "", " "], "source": "auto", "target": "en"},
        {"text": "\u0301\u0301\u0301", "source": "ht", "target": "fr"},
        {"text": "((((((((((((((((((((" * 50, "source": "en", "target": "ht"},
        {"text": "." * 3000 + " " * 3000 + "Dr." * 1000, "source": "en", "target": "ht"},
        {"text": "a.a." * 2400, "source": "auto", "target": "ht"},
        {"text": "Dr. A " * 1600, "source": "en", "target": "ht"},
        {"text": "x" * 9000, "source": "fr", "target": "ht"},
    ],
)
def test_odd_but_valid_text_is_translated(auth_client: TestClient, body: dict) -> None:
    response = auth_client.post("/api/v1/translate", json=body)
    assert response.status_code == 200, response.text
    texts = body["text"] if isinstance(body["text"], list) else [body["text"]]
    assert len(response.json()["translations"]) == len(texts)


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"text": [], "source": "en", "target": "ht"}, 422, "empty_request"),
        ({"text": "hi", "source": "en", "target": "ht", "engine": "bogus"}, 422, "unknown_engine"),
        ({"text": "hi", "source": "en", "target": "ht", "engine": "neural"}, 422, None),
        ({"text": "hi", "source": "english", "target": "ht"}, 422, "unsupported_language"),
        ({"text": "hi", "source": "", "target": "ht"}, 422, "unsupported_language"),
        ({"text": "hi", "source": "en", "target": "auto"}, 422, "unsupported_language"),
        ({"text": "hi", "source": "en\x00", "target": "ht"}, 422, "unsupported_language"),
        ({"text": "hi", "source": "en", "target": "ht\u0301"}, 422, "unsupported_language"),
        ({"text": "hi", "source": "en", "target": "x" * 9}, 422, "validation_error"),
        ({"text": 10**300, "source": "en", "target": "ht"}, 422, "validation_error"),
        ({"text": [["hi"]], "source": "en", "target": "ht"}, 422, "validation_error"),
        ({"text": None, "source": "en", "target": "ht"}, 422, "validation_error"),
        ({"text": ["hi", None], "source": "en", "target": "ht"}, 422, "validation_error"),
        ({"source": "en", "target": "ht"}, 422, "validation_error"),
    ],
)
def test_bad_values_get_a_stable_4xx(
    auth_client: TestClient, body: dict, status: int, code: str | None
) -> None:
    response = auth_client.post("/api/v1/translate", json=body)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code or (code is None and error["code"])


@pytest.mark.parametrize(
    "body",
    [
        '{"text": 1e999, "source": "en", "target": "ht"}',
        '{"text": "hi", "source": "en", "target": "ht", "engine": "' + LONE_SURROGATE + '"}',
        '{"text": "hi", "source": "' + LONE_SURROGATE + '", "target": "ht"}',
        '{"text": "hi", "source": "en", "target": "' + LONE_SURROGATE + '"}',
    ],
)
def test_hand_written_bodies_never_500(auth_client: TestClient, body: str) -> None:
    status, answer = _raw_post(auth_client, "/api/v1/translate", body)
    assert 400 <= status < 500, answer
    assert answer["error"]["code"]


@pytest.mark.parametrize(
    "text", ["a\x00b", "\x01\x02\x1b", "\u0301", "((((((" * 100, "Dr. " * 4000, "a.a." * 4000]
)
def test_detect_takes_odd_text(auth_client: TestClient, text: str) -> None:
    response = auth_client.post("/api/v1/detect", json={"text": text})
    assert response.status_code == 200, response.text
    assert response.json()["language"] in {"en", "fr", "ht"}


# cache privacy: the cache is shared by every caller, so its state must not show


def _translation(client: TestClient, text: str, headers: dict[str, str]) -> dict:
    response = client.post(
        "/api/v1/translate",
        json={"text": text, "source": "en", "target": "ht"},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_caller_cannot_tell_that_someone_else_translated_a_text(client: TestClient) -> None:
    make_user(client.app, "alice")
    make_user(client.app, "bob")
    alice, bob = bearer(client, "alice"), bearer(client, "bob")
    text = "Good morning, how are you?\n\nI want zorblax."
    bob_first = _translation(client, "Where is the hospital?", bob)
    alice_first = _translation(client, text, alice)
    bob_after = _translation(client, text, bob)
    assert client.app.state.cache.stats()["hits"] >= 2, "the cache was not used at all"
    assert bob_after == alice_first
    segment_fields = {
        "source",
        "translation",
        "match",
        "score",
        "unknown_words",
        "guessed_words",
        "uncertain",
    }
    for answer in (bob_first, alice_first, bob_after):
        for segment in answer["translations"][0]["segments"]:
            assert set(segment) == segment_fields
    assert "cached" not in json.dumps(bob_after)


# grapheme clusters: accents, skin tones, ZWJ sequences and flags stay whole

CLUSTERS = [
    "\U0001f44d\U0001f3fd",  # thumbs up, medium skin tone
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466",  # family (ZWJ)
    "\U0001f1ed\U0001f1f9",  # flag of Haiti (regional indicators)
    "\u2764\ufe0f",  # heart with a variation selector
    "q\u0323\u0301",  # a letter with two combining marks (no precomposed form)
]
SENTENCES = {
    ("en", "ht"): "I want water",
    ("fr", "ht"): "Je veux de l'eau",
    ("ht", "en"): "Mwen vle dlo",
    ("ht", "fr"): "Mwen vle dlo",
}


@pytest.mark.parametrize(("source", "target"), list(SENTENCES))
def test_grapheme_clusters_survive_every_direction(
    auth_client: TestClient, source: str, target: str
) -> None:
    text = SENTENCES[(source, target)] + " " + " ".join(CLUSTERS) + "."
    response = auth_client.post(
        "/api/v1/translate", json={"text": text, "source": source, "target": target}
    )
    assert response.status_code == 200, response.text
    output = response.json()["translations"][0]["translation"]
    for cluster in CLUSTERS:
        assert f" {cluster}" in output, (cluster, output)
    plain = auth_client.post(
        "/api/v1/translate",
        json={"text": SENTENCES[(source, target)], "source": source, "target": target},
    ).json()["translations"][0]["translation"]
    assert output.startswith(plain.rstrip(".")), (plain, output)


@pytest.mark.parametrize(
    ("source", "target", "text"),
    [
        ("en", "ht", "Good morning"),
        ("fr", "ht", "Merci"),
        ("ht", "en", "Mèsi"),
        ("ht", "fr", "Bonjou"),
    ],
)
def test_emoji_survive_a_whole_sentence_memory_match(
    auth_client: TestClient, source: str, target: str, text: str
) -> None:
    """Memory matches ignore punctuation; symbols must still come back, around the translation."""
    body = {"text": f"{CLUSTERS[2]} {text} {CLUSTERS[0]}", "source": source, "target": target}
    response = auth_client.post("/api/v1/translate", json=body)
    assert response.status_code == 200, response.text
    item = response.json()["translations"][0]
    assert item["segments"][0]["match"] in {"exact", "glossary"}
    assert item["translation"].startswith(f"{CLUSTERS[2]} "), item
    assert item["translation"].endswith(f" {CLUSTERS[0]}"), item


@pytest.mark.parametrize(
    ("source", "target", "composed"),
    [
        ("ht", "en", "Mwen bezwen yon doktè."),
        ("ht", "fr", "Kote lopital la? Mwen malad anpil, doktè."),
        ("fr", "ht", "Où est l'hôpital? J'ai de la fièvre."),
        ("en", "ht", "I drink café."),
    ],
)
def test_decomposed_accents_translate_like_composed_ones(
    auth_client: TestClient, source: str, target: str, composed: str
) -> None:
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed

    def translate(text: str) -> dict:
        body = {"text": text, "source": source, "target": target}
        response = auth_client.post("/api/v1/translate", json=body)
        assert response.status_code == 200, response.text
        return response.json()["translations"][0]

    from_composed, from_decomposed = translate(composed), translate(decomposed)
    assert from_decomposed["translation"] == from_composed["translation"]
    assert from_decomposed["unknown_words"] == from_composed["unknown_words"]
