"""Importing translation memories and glossaries over HTTP, as an administrator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from tests.conftest import bearer, derive, make_user

URL = "/api/v1/admin/imports"
SENTENCE = "The pharmacy closes at noon on Sunday."
IMPORTED = "Famasi a fèmen a midi dimanch (tès enpòtasyon)."


@pytest.fixture
def admin_client(client: TestClient) -> TestClient:
    make_user(client.app, "root", role="admin")
    client.headers.update(bearer(client, "root"))
    return client


def upload(client: TestClient, name: str, data: bytes, **form: str):
    return client.post(URL, files={"file": (name, data)}, data={"kind": "tm", **form})


def translate(client: TestClient, text: str) -> str:
    response = client.post("/api/v1/translate", json={"text": text, "source": "en", "target": "ht"})
    assert response.status_code == 200, response.text
    return response.json()["translations"][0]["translation"]


def test_an_imported_tsv_entry_changes_the_translation_at_once(admin_client: TestClient) -> None:
    before = translate(admin_client, SENTENCE)
    assert before != IMPORTED
    response = upload(admin_client, "memory.tsv", f"en\tht\n{SENTENCE}\t{IMPORTED}\n".encode())
    assert response.status_code == 200, response.text
    assert response.json() == {"kind": "tm", "stored": 1, "rejected": 0, "problems": []}
    assert translate(admin_client, SENTENCE) == IMPORTED


def test_tmx_import(admin_client: TestClient) -> None:
    tmx = (
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="en"/>'
        f'<body><tu><tuv xml:lang="en-US"><seg>{SENTENCE}</seg></tuv>'
        f'<tuv xml:lang="ht"><seg>{IMPORTED}</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>Alone.</seg></tuv></tu></body></tmx>'
    )
    response = upload(admin_client, "memory.tmx", tmx.encode())
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == 1 and response.json()["rejected"] == 1
    assert response.json()["problems"] == [
        {"where": "tu 2", "message": "needs a Kreyòl (ht) variant and an en or fr one"}
    ]
    assert translate(admin_client, SENTENCE) == IMPORTED


def test_csv_with_quoted_commas_and_the_pair_given_in_the_form(
    admin_client: TestClient,
) -> None:
    sentence = "Wash your hands, then eat."
    target = "Lave men ou, epi manje (tès)."
    data = f'"{sentence}","{target}"\n'.encode()
    response = upload(admin_client, "memory.csv", data, source="ENG", target="hat")
    assert response.status_code == 200, response.text
    assert response.json()["stored"] == 1
    assert translate(admin_client, sentence) == target


def test_bad_lines_are_listed_and_the_good_ones_stored(admin_client: TestClient) -> None:
    data = b"en\tht\nWater.\tDlo.\nonly one column\n\tMesi.\nFood.\tManje.\n"
    response = upload(admin_client, "memory.tsv", data, kind="glossary")
    assert response.status_code == 200, response.text
    assert response.json() == {
        "kind": "glossary",
        "stored": 2,
        "rejected": 2,
        "problems": [
            {"where": "line 3", "message": "expected 2 or 3 tab-separated columns"},
            {"where": "line 4", "message": "empty source or target"},
        ],
    }
    assert admin_client.app.state.translation.memory.counts() == {"glossary": 2}


def test_problems_are_capped_but_all_counted(admin_client: TestClient) -> None:
    data = b"en\tht\nWater.\tDlo.\n" + b"no tab here\n" * 1500
    body = upload(admin_client, "memory.tsv", data).json()
    assert body["stored"] == 1 and body["rejected"] == 1500 and len(body["problems"]) == 1000


def test_a_file_with_nothing_readable_is_import_empty(admin_client: TestClient) -> None:
    response = upload(admin_client, "memory.tsv", b"en\tht\ncaf\xe9\tkafe\n")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_empty"
    assert error["details"] == [
        {"where": "file", "message": "not UTF-8 (invalid continuation byte at byte 9)"}
    ]
    empty = upload(admin_client, "memory.tsv", b"")
    assert empty.status_code == 422 and empty.json()["error"]["code"] == "import_empty"


def test_a_file_without_a_language_pair_is_import_empty(admin_client: TestClient) -> None:
    response = upload(admin_client, "memory.tsv", b"Water.\tDlo.\n")
    assert response.status_code == 422
    (problem,) = response.json()["error"]["details"]
    assert problem["where"] == "line 1" and "unknown language pair" in problem["message"]


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"kind": "dictionary"}, "validation_error"),
        ({"source": "de", "target": "ht"}, "unsupported_language"),
        ({"source": "x" * 9}, "validation_error"),
    ],
)
def test_bad_form_fields_are_422(admin_client: TestClient, form: dict, code: str) -> None:
    response = upload(admin_client, "memory.tsv", b"Water.\tDlo.\n", **form)
    assert response.status_code == 422 and response.json()["error"]["code"] == code


def test_kind_is_required(admin_client: TestClient) -> None:
    response = admin_client.post(URL, files={"file": ("m.tsv", b"en\tht\nA.\tB.\n")})
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


@pytest.fixture
def small_upload_client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(derive(settings, max_upload_bytes=1024))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        make_user(app, "root", role="admin")
        test_client.headers.update(bearer(test_client, "root"))
        yield test_client


def test_a_file_over_the_upload_limit_is_413(small_upload_client: TestClient) -> None:
    data = b"en\tht\n" + b"Water.\tDlo.\n" * 100
    response = upload(small_upload_client, "memory.tsv", data)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert small_upload_client.app.state.translation.memory.counts() == {}
    fits = upload(small_upload_client, "memory.tsv", data[:1000].rpartition(b"\n")[0])
    assert fits.status_code == 200, fits.text


def test_the_body_limit_lets_an_upload_past_the_json_limit(settings: Settings) -> None:
    app = create_app(derive(settings, max_body_bytes=1024, max_upload_bytes=64 * 1024))
    with TestClient(app, raise_server_exceptions=False) as client:
        make_user(app, "root", role="admin")
        client.headers.update(bearer(client, "root"))
        lines = b"".join(f"Word {n}.\tMo {n}.\n".encode() for n in range(2000))
        response = upload(client, "memory.tsv", b"en\tht\n" + lines)
        assert response.status_code == 200, response.text
        assert response.json()["stored"] == 2000


def test_ordinary_users_and_anonymous_callers_cannot_import(client: TestClient) -> None:
    make_user(client.app, "alice")
    data = f"en\tht\n{SENTENCE}\t{IMPORTED}\n".encode()
    refused = client.post(
        URL, files={"file": ("m.tsv", data)}, data={"kind": "tm"}, headers=bearer(client, "alice")
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "insufficient_scope"
    anonymous = client.post(URL, files={"file": ("m.tsv", data)}, data={"kind": "tm"})
    assert anonymous.status_code == 401
    assert client.app.state.translation.memory.counts() == {}


def test_a_server_without_a_memory_store_says_so(
    admin_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admin_client.app.state.translation, "memory", None)
    response = upload(admin_client, "memory.tsv", b"en\tht\nWater.\tDlo.\n")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "memory_unavailable"


def test_the_new_error_statuses_are_declared(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"401", "403", "409", "413", "422"} <= set(paths[URL]["post"]["responses"])
    revoke = paths["/api/v1/admin/invites/{invite_id}"]["delete"]["responses"]
    assert {"204", "403", "404", "409"} <= set(revoke)
    assert {"401", "422"} <= set(paths["/api/v1/usage/daily"]["get"]["responses"])
