"""A fault behind a facade (a bug, the database down) answers in that facade's own error shape,
with the same status and logging as the native API, and leaks nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from kreyol_ia.api import create_app
from kreyol_ia.auth import APIKeyCreate
from kreyol_ia.compat.deepl import text as deepl_text
from kreyol_ia.compat.libretranslate import text as lt_text
from kreyol_ia.config import Settings
from tests.conftest import derive, make_user

SECRET_PATH = "/etc/kreyol/secret"


def _crash(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError(f"could not read {SECRET_PATH}")


def _database_down(*_args: object, **_kwargs: object) -> None:
    raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))


@pytest.fixture
def facades(settings: Settings) -> Iterator[tuple[TestClient, str]]:
    """A client on an app with anonymous use on, and a DeepL key for alice."""
    app = create_app(derive(settings, allow_anonymous=True))
    with TestClient(app, raise_server_exceptions=False) as client:
        make_user(app, "alice")
        key = app.state.users.create_api_key("alice", APIKeyCreate(name="faults")).key
        yield client, key


@pytest.mark.parametrize(
    ("fault", "status", "code"),
    [(_crash, 500, "internal_error"), (_database_down, 503, "database_unavailable")],
)
def test_faults_come_in_each_facades_shape(
    facades: tuple[TestClient, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    fault: Callable[..., None],
    status: int,
    code: str,
) -> None:
    client, key = facades
    monkeypatch.setattr(lt_text, "translate_texts", fault)
    monkeypatch.setattr(deepl_text, "translate_texts", fault)
    lt = client.post("/translate", json={"q": "Good morning", "source": "en", "target": "ht"})
    deepl = client.post(
        "/v2/translate",
        headers={"Authorization": f"DeepL-Auth-Key {key}"},
        json={"text": ["Good morning"], "target_lang": "HT"},
    )
    assert lt.status_code == deepl.status_code == status
    assert set(lt.json()) == {"error"} and isinstance(lt.json()["error"], str)
    assert deepl.json()["detail"] == code and isinstance(deepl.json()["message"], str)
    for answer in (lt, deepl):
        assert SECRET_PATH not in answer.text and "Traceback" not in answer.text
        assert answer.headers["X-Request-ID"]
        assert ("Retry-After" in answer.headers) == (status == 503)
    if status == 500:
        assert sum("unhandled error" in record.message for record in caplog.records) == 2
