"""Users' own glossaries over /api/v1: ownership, bounds, and their use by /translate and jobs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from tests.conftest import bearer, derive, make_user

CLINIC = {
    "name": "Clinic",
    "source": "en",
    "target": "ht",
    "terms": [
        {"source": "nurse", "target": "enfimyè klinik"},
        {"source": "clinic", "target": "dispansè"},
    ],
}


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(
        derive(settings, max_glossaries_per_user=2, max_glossary_terms=3, jobs_in_process=False)
    )
    with TestClient(app, raise_server_exceptions=False) as client:
        make_user(app, "alice", tier="enterprise")
        make_user(app, "bob", tier="enterprise")
        yield client


def _as(client: TestClient, username: str) -> dict[str, str]:
    return bearer(client, username)


def test_create_list_read_and_delete(app_client: TestClient) -> None:
    alice = _as(app_client, "alice")
    made = app_client.post("/api/v1/glossaries", json=CLINIC, headers=alice)
    assert made.status_code == 201, made.text
    glossary = made.json()
    assert (glossary["source"], glossary["target"], glossary["entry_count"]) == ("en", "ht", 2)
    listed = app_client.get("/api/v1/glossaries", headers=alice).json()["glossaries"]
    assert [g["glossary_id"] for g in listed] == [glossary["glossary_id"]]
    terms = app_client.get(f"/api/v1/glossaries/{glossary['glossary_id']}/terms", headers=alice)
    assert terms.json()["terms"][0] == {"source": "nurse", "target": "enfimyè klinik"}
    gone = app_client.delete(f"/api/v1/glossaries/{glossary['glossary_id']}", headers=alice)
    assert gone.status_code == 204
    again = app_client.get(f"/api/v1/glossaries/{glossary['glossary_id']}", headers=alice)
    assert again.status_code == 404 and again.json()["error"]["code"] == "glossary_not_found"


def test_tsv_entries_are_accepted(app_client: TestClient) -> None:
    body = {"name": "TSV", "source": "FR", "target": "ht", "entries": "vaccin\tvaksen\n\n"}
    made = app_client.post("/api/v1/glossaries", json=body, headers=_as(app_client, "alice"))
    assert made.status_code == 201 and made.json()["source"] == "fr"


@pytest.mark.parametrize(
    ("change", "status", "code"),
    [
        ({"source": "en", "target": "fr"}, 422, "unsupported_pair"),
        (
            {"terms": [{"source": "a", "target": "b"}, {"source": "A", "target": "c"}]},
            422,
            "duplicate_term",
        ),
        ({"terms": [{"source": " ", "target": "b"}]}, 422, "invalid_terms"),
        ({"terms": [{"source": "a\tb", "target": "b"}]}, 422, "invalid_terms"),
        ({"terms": []}, 422, "empty_glossary"),
        ({"terms": [{"source": f"w{i}", "target": "x"} for i in range(4)]}, 413, "too_many_terms"),
        ({"entries": "a\tb"}, 422, "invalid_terms"),  # both terms and entries
    ],
)
def test_bad_glossaries_are_refused(
    app_client: TestClient, change: dict[str, object], status: int, code: str
) -> None:
    response = app_client.post(
        "/api/v1/glossaries", json={**CLINIC, **change}, headers=_as(app_client, "alice")
    )
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_each_owner_is_capped(app_client: TestClient) -> None:
    alice = _as(app_client, "alice")
    for _ in range(2):
        assert app_client.post("/api/v1/glossaries", json=CLINIC, headers=alice).status_code == 201
    third = app_client.post("/api/v1/glossaries", json=CLINIC, headers=alice)
    assert third.status_code == 409 and third.json()["error"]["code"] == "too_many_glossaries"
    bob = _as(app_client, "bob")
    assert app_client.post("/api/v1/glossaries", json=CLINIC, headers=bob).status_code == 201


def test_another_users_glossary_is_invisible_and_unusable(app_client: TestClient) -> None:
    made = app_client.post("/api/v1/glossaries", json=CLINIC, headers=_as(app_client, "alice"))
    glossary_id = made.json()["glossary_id"]
    bob = _as(app_client, "bob")
    assert app_client.get(f"/api/v1/glossaries/{glossary_id}", headers=bob).status_code == 404
    assert app_client.delete(f"/api/v1/glossaries/{glossary_id}", headers=bob).status_code == 404
    used = app_client.post(
        "/api/v1/translate",
        json={"text": "The nurse.", "source": "en", "target": "ht", "glossary_id": glossary_id},
        headers=bob,
    )
    assert used.status_code == 404


def test_translate_uses_the_glossary(app_client: TestClient) -> None:
    alice = _as(app_client, "alice")
    glossary_id = app_client.post("/api/v1/glossaries", json=CLINIC, headers=alice).json()[
        "glossary_id"
    ]
    body = {"text": "The nurse is at the clinic.", "source": "en", "target": "ht"}
    plain = app_client.post("/api/v1/translate", json=body, headers=alice).json()
    used = app_client.post(
        "/api/v1/translate", json={**body, "glossary_id": glossary_id}, headers=alice
    ).json()
    text = used["translations"][0]["translation"]
    assert "dispansè" not in plain["translations"][0]["translation"].lower()
    assert "Enfimyè klinik" in text and "dispansè a" in text  # the determiner follows the term
    auto = app_client.post(
        "/api/v1/translate",
        json={**body, "source": "auto", "glossary_id": glossary_id},
        headers=alice,
    )
    assert auto.status_code == 422 and auto.json()["error"]["code"] == "source_required"
    other_way = app_client.post(
        "/api/v1/translate",
        json={"text": "Bonjour.", "source": "fr", "target": "ht", "glossary_id": glossary_id},
        headers=alice,
    )
    assert other_way.status_code == 422 and other_way.json()["error"]["code"] == "glossary_mismatch"


def test_a_queued_job_keeps_its_glossary_after_deletion(app_client: TestClient) -> None:
    alice = _as(app_client, "alice")
    glossary_id = app_client.post("/api/v1/glossaries", json=CLINIC, headers=alice).json()[
        "glossary_id"
    ]
    submitted = app_client.post(
        "/api/v1/documents",
        files={"file": ("note.txt", b"The nurse is at the clinic.\n", "text/plain")},
        data={"source": "en", "target": "ht", "glossary_id": glossary_id},
        headers=alice,
    )
    assert submitted.status_code == 202, submitted.text
    app_client.delete(f"/api/v1/glossaries/{glossary_id}", headers=alice)
    jobs = app_client.app.state.jobs
    task_id = submitted.json()["task_id"]
    assert jobs.claim(task_id, "w1") and jobs.run(task_id, "w1") == "completed"
    result = app_client.get(f"/api/v1/tasks/{task_id}/result", headers=alice)
    assert "dispansè a" in result.text and "Enfimyè klinik" in result.text


def test_glossaries_need_an_account(app_client: TestClient) -> None:
    assert app_client.get("/api/v1/glossaries").status_code == 401


def test_migration_0007_upgrades_and_downgrades(database_url: str) -> None:
    from sqlalchemy import create_engine, inspect

    from kreyol_ia.db import migrate

    migrate.upgrade(database_url)
    engine = create_engine(database_url)
    try:
        assert {"glossaries", "glossary_terms"} <= set(inspect(engine).get_table_names())
        migrate.downgrade(database_url, "0006")
        assert "glossaries" not in inspect(engine).get_table_names()
        migrate.upgrade(database_url)
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()
