"""Service routes, the error envelope, request ids and the body-size limit, over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import migrate
from tests.conftest import derive


class Echo(BaseModel):
    text: str


def _app_with_probe_routes(settings: Settings):
    """The real app plus two routes that exist only to drive the error paths."""
    app = create_app(settings)

    @app.post("/probe/echo")
    def echo(body: Echo) -> dict[str, str]:
        return {"text": body.text}

    @app.get("/probe/crash")
    def crash() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    return app


@pytest.fixture
def probe(settings: Settings):
    with TestClient(_app_with_probe_routes(settings), raise_server_exceptions=False) as client:
        yield client


def _assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    return error


def test_service_info_names_the_service_and_its_limits(client: TestClient) -> None:
    body = client.get("/api/v1/service").json()
    assert body["name"] == "Kreyòl IA"
    assert body["version"]
    assert isinstance(body["engines"], list)
    assert body["max_text_chars"] == client.app.state.settings.max_text_chars
    assert {f["extension"] for f in body["document_formats"]} >= {".docx", ".pdf", ".txt"}
    assert body["registration"] in {"open", "invite", "closed"}


def test_root_is_the_web_page_not_json(client: TestClient) -> None:
    response = client.get("/")
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!doctype html>")


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok"}


def test_ready_reports_an_unmigrated_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, _env_file=None)
    with TestClient(create_app(settings)) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["status"] == "not_ready"
    assert "not migrated" in response.json()["checks"]["database"]


def test_ready_checks_redis(settings: Settings, redis_server) -> None:
    good = derive(settings, redis_url=redis_server.url)
    with TestClient(create_app(good)) as client:
        assert client.get("/ready").json()["checks"] == {"database": "ok", "redis": "ok"}
    from tests.servers import free_port

    bad = derive(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    with TestClient(create_app(bad)) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not_ready",
        "checks": {"database": "ok", "redis": "unreachable"},
    }


def test_docs_and_openapi(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert client.get("/redoc").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/service", "/health", "/ready"} <= set(paths)
    assert "/" not in paths  # the web page is not part of the API


def test_request_id_is_generated_or_adopted(client: TestClient) -> None:
    generated = client.get("/health").headers["X-Request-ID"]
    assert len(generated) == 32
    assert (
        client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"]
        == "abc-123"
    )
    forged = client.get("/health", headers={"X-Request-ID": "bad id\r\nSet-Cookie: x"})
    assert forged.headers["X-Request-ID"] != "bad id"
    assert len(forged.headers["X-Request-ID"]) == 32


def test_unknown_route_and_method_use_the_envelope(client: TestClient) -> None:
    _assert_envelope(client.get("/nowhere"), 404, "not_found")
    _assert_envelope(client.delete("/health"), 405, "method_not_allowed")


def test_malformed_json_is_a_422_with_code(probe: TestClient) -> None:
    response = probe.post(
        "/probe/echo", content=b'{"text": ', headers={"Content-Type": "application/json"}
    )
    _assert_envelope(response, 422, "malformed_json")


def test_bad_utf8_is_a_422(probe: TestClient) -> None:
    response = probe.post(
        "/probe/echo", content=b'{"text": "\xff\xfe"}', headers={"Content-Type": "application/json"}
    )
    _assert_envelope(response, 422, "malformed_json")


def test_schema_errors_name_the_field_without_echoing_input(probe: TestClient) -> None:
    response = probe.post("/probe/echo", json={"text": ["hunter2-password"]})
    error = _assert_envelope(response, 422, "validation_error")
    assert error["details"][0]["loc"] == ["body", "text"]
    assert "hunter2" not in response.text


def test_oversized_body_by_content_length(probe: TestClient, settings: Settings) -> None:
    big = b'{"text": "' + b"a" * settings.max_body_bytes + b'"}'
    response = probe.post("/probe/echo", content=big, headers={"Content-Type": "application/json"})
    _assert_envelope(response, 413, "payload_too_large")


def test_oversized_streamed_body_without_length(probe: TestClient, settings: Settings) -> None:
    def chunks():
        yield b'{"text": "'
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"a" * 65536
        yield b'"}'

    response = probe.post(
        "/probe/echo", content=chunks(), headers={"Content-Type": "application/json"}
    )
    _assert_envelope(response, 413, "payload_too_large")


def test_body_at_the_limit_is_accepted(probe: TestClient, settings: Settings) -> None:
    text = "a" * (settings.max_body_bytes - 20)
    assert probe.post("/probe/echo", json={"text": text}).status_code == 200


def test_unexpected_errors_leak_nothing(
    probe: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = probe.get("/probe/crash")
    _assert_envelope(response, 500, "internal_error")
    assert "passwd" not in response.text
    assert "Traceback" not in response.text
    assert any("unhandled error" in record.message for record in caplog.records)


def test_cors_closed_by_default_and_open_when_configured(settings: Settings) -> None:
    preflight = {"Origin": "https://ngo.example", "Access-Control-Request-Method": "POST"}
    with TestClient(create_app(settings)) as client:
        assert "access-control-allow-origin" not in client.options("/", headers=preflight).headers
    opened = derive(settings, cors_origins=["https://ngo.example"])
    with TestClient(create_app(opened)) as client:
        headers = client.options("/", headers=preflight).headers
        assert headers["access-control-allow-origin"] == "https://ngo.example"


def test_postgres_backend_is_ready(postgres_server, tmp_path: Path) -> None:
    from tests.conftest import fresh_postgres_database

    url = fresh_postgres_database(postgres_server)
    migrate.upgrade(url)
    settings = Settings(database_url=url, data_dir=tmp_path, _env_file=None)
    with TestClient(create_app(settings)) as client:
        assert client.get("/ready").json()["checks"] == {"database": "ok"}
