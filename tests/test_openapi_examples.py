"""Swagger's forms are pre-filled with real examples, never the bare "string" placeholder."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

PREFIXES = ("/api/v1/auth", "/api/v1/admin", "/api/v1/users", "/api/v1/keys")


def _resolve(schema: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        if path.startswith(PREFIXES)
        for method, operation in item.items()
    ]


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_every_request_field_has_an_example(spec: dict[str, Any]) -> None:
    missing, bodies = [], 0
    for method, path, operation in _operations(spec):
        for content in operation.get("requestBody", {}).get("content", {}).values():
            bodies += 1
            schema = _resolve(content["schema"], spec)
            for name, field in schema["properties"].items():
                uploaded = "contentMediaType" in field or field.get("format") == "binary"
                if not uploaded and not field.get("examples"):  # a file gets a file chooser
                    missing.append(f"{method.upper()} {path}: {name}")
    assert bodies >= 8
    assert missing == []


def test_every_string_or_optional_parameter_has_an_example(spec: dict[str, Any]) -> None:
    missing, seen = [], 0
    for method, path, operation in _operations(spec):
        for parameter in operation.get("parameters", []):
            seen += 1
            schema = parameter["schema"]
            wants = schema.get("type") == "string" or "default" in schema
            if wants and not (parameter.get("examples") or schema.get("examples")):
                missing.append(f"{method.upper()} {path}: {parameter['name']}")
    assert seen >= 5
    assert missing == [], missing


def test_the_sign_in_form_still_signs_in_and_checks_grant_type(client: TestClient) -> None:
    from tests.conftest import PASSWORD, make_user

    make_user(client.app, "marie")
    form = {"username": "marie", "password": PASSWORD, "grant_type": "password"}
    assert client.post("/api/v1/auth/token", data=form).status_code == 200
    wrong = client.post("/api/v1/auth/token", data={**form, "grant_type": "client_credentials"})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["code"] == "validation_error"
