"""Language codes in any case and ISO 639-2/3 form are accepted everywhere; answers use 2 letters.

Also: every timestamp the API returns carries its zone (SQLite stores none).
"""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from kreyol_ia.translation import languages


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("HT", "ht"),
        ("Ht", "ht"),
        ("hat", "ht"),
        ("ENG", "en"),
        ("fra", "fr"),
        ("fre", "fr"),
        (" auto ", "auto"),
        ("xx", "xx"),
    ],
)
def test_normalise_code(given: str, code: str) -> None:
    assert languages.normalise_code(given) == code


def test_translate_accepts_any_case_and_three_letter_codes(documents_client: TestClient) -> None:
    for source, target in (("EN", "HT"), ("eng", "hat"), ("En", "Ht")):
        answer = documents_client.post(
            "/api/v1/translate", json={"text": "Good morning", "source": source, "target": target}
        )
        assert answer.status_code == 200, answer.text
        body = answer.json()["translations"][0]
        assert (body["source"], body["target"]) == ("en", "ht")
        assert body["translation"] == "Bonjou"
    french = documents_client.post(
        "/api/v1/translate", json={"text": "Bonjou", "source": "HAT", "target": "fre"}
    )
    assert french.status_code == 200 and french.json()["translations"][0]["target"] == "fr"
    bad = documents_client.post(
        "/api/v1/translate", json={"text": "x", "source": "en", "target": "XX"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unsupported_language"


def test_documents_accept_three_letter_codes_and_tasks_carry_zoned_timestamps(
    documents_client: TestClient,
) -> None:
    created = documents_client.post(
        "/api/v1/documents",
        files={"file": ("a.txt", b"Good morning.\n")},
        data={"source": "ENG", "target": "Hat"},
    )
    assert created.status_code == 202, created.text
    task = documents_client.get(f"/api/v1/tasks/{created.json()['task_id']}").json()
    assert (task["document"]["source"], task["document"]["target"]) == ("en", "ht")
    for field in ("created_at", "updated_at", "expires_at"):
        if task.get(field) is not None:
            assert datetime.fromisoformat(task[field]).utcoffset() is not None, task[field]
    listed = documents_client.get("/api/v1/tasks").json()["tasks"]
    assert listed and all(datetime.fromisoformat(t["created_at"]).tzinfo for t in listed)
    bad = documents_client.post(
        "/api/v1/documents", files={"file": ("a.txt", b"x")}, data={"target": "klingon"}
    )
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unsupported_language"
