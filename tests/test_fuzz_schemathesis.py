"""schemathesis over every operation of the live app: no 5xx, and every status and body documented.

``make test`` runs a small deterministic budget (``KREYOL_FUZZ_EXAMPLES``, default 6 per operation
and phase); ``make fuzz`` runs the same suite with thousands of cases. The app runs on PostgreSQL
and Redis as in production (``KREYOL_FUZZ_BACKEND=sqlite``: SQLite, in-process cache and limits).
Nothing is excluded: cases run as a signed-in admin (every scope), and /translate and /detect
once more with an API key.
The fixture's credentials are safe from the fuzzer: it cannot guess the refresh token (logout), the
password (password change) or the admin's own name to demote (refused as ``self_lockout``). What
would end the admin's session (``/auth/logout/all``) runs as its own user, signed in anew per case;
the API-key run's key is minted for that run, after the admin run's ``DELETE /admin/keys/{id}``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import migrate
from tests.conftest import bearer, fresh_postgres_database, make_user

EXAMPLES = int(os.environ.get("KREYOL_FUZZ_EXAMPLES", "6"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
CASES = {"run": 0}


def _document() -> dict[str, Any]:
    """The app's OpenAPI document (the routes do not depend on the backends)."""
    with tempfile.TemporaryDirectory(prefix="kreyol-openapi-") as directory:
        app = create_app(Settings(data_dir=Path(directory), _env_file=None))
        document = app.openapi()
        app.state.db.dispose()
    return document


# Loaded at import: schemathesis' fixture-backed (lazy) schema does not run on pytest 9.2.
schema = schemathesis.openapi.from_dict(_document())


@pytest.fixture(scope="module")
def fuzz_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """The real app, started (lifespan, job workers), on PostgreSQL and Redis as in production.

    ``KREYOL_FUZZ_BACKEND=sqlite`` runs it on SQLite with in-process cache and limits instead.
    """
    backends: dict[str, Any] = {}
    if os.environ.get("KREYOL_FUZZ_BACKEND", "postgresql") == "postgresql":
        backends["database_url"] = fresh_postgres_database(
            request.getfixturevalue("postgres_server")
        )
        backends["redis_url"] = request.getfixturevalue("redis_server").url
    app_settings = Settings(
        data_dir=tmp_path_factory.mktemp("fuzz"),
        registration="open",
        auth_rate_per_minute=100_000,
        auth_rate_per_hour=1_000_000,
        login_max_failures_per_ip=1_000_000,
        compat_file_wait_seconds=2,  # /translate_file's wait, under schemathesis' request timeout
        _env_file=None,
        **backends,
    )
    migrate.upgrade(app_settings.effective_database_url)
    app = create_app(app_settings)
    with TestClient(app, raise_server_exceptions=False):
        yield app


@pytest.fixture(scope="module")
def fuzz_client(fuzz_app: FastAPI) -> TestClient:
    """An HTTP client on the same app, for the fixtures' own sign-ins."""
    return TestClient(fuzz_app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def admin_headers(fuzz_client: TestClient) -> dict[str, str]:
    """A signed-in administrator (every scope); its first translation loads the lexicons.

    That load takes seconds, longer than schemathesis' 10 s request timeout on a busy machine.
    """
    make_user(fuzz_client.app, "fuzzadmin", role="admin")
    headers = bearer(fuzz_client, "fuzzadmin")
    for target in ("ht", "en", "fr"):
        body = {"text": "Good morning, friend.", "source": "auto", "target": target}
        fuzz_client.post("/api/v1/translate", json=body, headers=headers)
    return headers


@pytest.fixture(scope="module")
def leaver(fuzz_client: TestClient) -> str:
    """An account whose sessions the session-ending operations may end (signed in per case)."""
    return make_user(fuzz_client.app, "fuzzleaver")


@pytest.fixture
def api_key_headers(fuzz_client: TestClient, admin_headers: dict[str, str]) -> dict[str, str]:
    """A fresh translate-scoped API key (the admin run may have revoked earlier ones)."""
    response = fuzz_client.post(
        "/api/v1/keys",
        json={"name": "fuzz", "scopes": ["translate"]},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    return {"X-API-Key": response.json()["key"]}


@pytest.fixture(scope="module", autouse=True)
def report_cases(request: pytest.FixtureRequest, fuzz_app: FastAPI) -> Iterator[None]:
    """Print how many cases ran, for the budget to be checked against the time it took."""
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\nschemathesis: {CASES['run']} cases ({EXAMPLES} examples per phase)")


SESSION_ENDING = ["/api/v1/auth/logout/all"]


@schema.exclude(path=SESSION_ENDING).parametrize()
@FUZZ_SETTINGS
def test_every_operation_as_admin(
    case: schemathesis.Case, fuzz_app: FastAPI, admin_headers: dict[str, str]
) -> None:
    CASES["run"] += 1
    case.call_and_validate(app=fuzz_app, headers=admin_headers, checks=CHECKS)


@schema.include(path_regex=r"^/api/v1/(translate|detect)$").parametrize()
@FUZZ_SETTINGS
def test_translation_with_an_api_key(
    case: schemathesis.Case, fuzz_app: FastAPI, api_key_headers: dict[str, str]
) -> None:
    CASES["run"] += 1
    case.call_and_validate(app=fuzz_app, headers=api_key_headers, checks=CHECKS)


@schema.include(path=SESSION_ENDING).parametrize()
@FUZZ_SETTINGS
def test_session_ending_operations_with_their_own_user(
    case: schemathesis.Case, fuzz_app: FastAPI, fuzz_client: TestClient, leaver: str
) -> None:
    CASES["run"] += 1
    case.call_and_validate(app=fuzz_app, headers=bearer(fuzz_client, leaver), checks=CHECKS)


@pytest.fixture
def deepl_headers(fuzz_client: TestClient, admin_headers: dict[str, str]) -> dict[str, str]:
    """A fresh key as DeepL's clients send it (translate and documents scopes)."""
    response = fuzz_client.post(
        "/api/v1/keys",
        json={"name": "fuzz-deepl", "scopes": ["translate", "documents"]},
        headers=admin_headers,
    )
    assert response.status_code == 201, response.text
    return {"Authorization": f"DeepL-Auth-Key {response.json()['key']}"}


@schema.include(path_regex=r"^/v2/").parametrize()
@FUZZ_SETTINGS
def test_deepl_facade_with_its_own_key_header(
    case: schemathesis.Case, fuzz_app: FastAPI, deepl_headers: dict[str, str]
) -> None:
    CASES["run"] += 1
    case.call_and_validate(app=fuzz_app, headers=deepl_headers, checks=CHECKS)
