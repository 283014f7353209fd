"""Platform hardening over HTTP: security headers, hosts, operator detail, Redis roles, modes."""

from __future__ import annotations

import logging
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from fastapi import Response
from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from tests.conftest import IN_CI, bearer, derive, make_user
from tests.servers import free_port, wait_for_port

PRODUCTION_SECRET = "Zr8q-Lw3vT9xK2pN7bY4cH6mJ1sD5fG0aE8uR3tQ"
METRICS_TOKEN = "metrics-token-for-prometheus-0123456789"


def _production(settings: Settings, **changes: object) -> Settings:
    return derive(settings, mode="production", secret_key=PRODUCTION_SECRET, **changes)


# --- security headers -----------------------------------------------------------------------


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for response in (
        client.get("/health"),
        client.get("/no/such/route"),
        client.post("/api/v1/auth/register", json={}),
    ):
        headers = response.headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-frame-options"] == "DENY"
        assert headers["cross-origin-opener-policy"] == "same-origin"
        assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert "strict-transport-security" not in headers


def test_docs_load_only_from_this_server(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        policy = client.get(path).headers["content-security-policy"]
        assert "http" not in policy  # no CDN: every source is 'self' (or data:/blob:)
        assert "script-src 'self';" in policy
        assert "frame-ancestors 'none'" in policy


def test_hsts_only_over_https(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as secure:
        assert (
            secure.get("/health")
            .headers["strict-transport-security"]
            .startswith("max-age=31536000")
        )
    off = create_app(derive(settings, hsts_max_age=0))
    with TestClient(off, base_url="https://testserver") as secure:
        assert "strict-transport-security" not in secure.get("/health").headers


def test_a_route_s_own_header_is_kept(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/probe/sandboxed")
    def sandboxed() -> Response:
        return Response("x", headers={"Content-Security-Policy": "sandbox"})

    with TestClient(app) as client:
        response = client.get("/probe/sandboxed")
    assert response.headers.get_list("content-security-policy") == ["sandbox"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_unhandled_error_s_500_carries_the_security_headers(settings: Settings) -> None:
    app = create_app(settings)

    @app.get("/probe/broken")
    def broken() -> None:
        raise RuntimeError("a bug")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/probe/broken")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "a bug" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        response.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    )
    assert response.headers["x-request-id"] == response.json()["error"]["request_id"]


# --- trailing slashes and Host ----------------------------------------------------------------


def test_a_trailing_slash_is_a_json_404_not_a_redirect_to_the_host(client: TestClient) -> None:
    for path in ("/health/", "/api/v1/keys/", "/api/v1/usage/"):
        response = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
        assert "location" not in response.headers
        assert "evil.example" not in str(response.headers) + response.text


def test_allowed_hosts_refuse_other_host_headers(settings: Settings) -> None:
    app = create_app(derive(settings, allowed_hosts="api.example.org,*.kreyol.example"))
    with TestClient(app, base_url="http://api.example.org") as client:
        assert client.get("/health").status_code == 200
        assert client.get("/health", headers={"Host": "api.example.org:8443"}).status_code == 200
        assert client.get("/health", headers={"Host": "eu.kreyol.example"}).status_code == 200
        refused = client.get("/health", headers={"Host": "evil.example"})
        assert refused.status_code == 400
        assert refused.json()["error"]["code"] == "invalid_host"
        assert refused.headers["x-content-type-options"] == "nosniff"
        assert client.get("/health", headers={"Host": "kreyol.example.evil"}).status_code == 400


# --- /ready and /metrics ----------------------------------------------------------------------


def test_production_ready_is_minimal_unless_an_operator_asks(settings: Settings) -> None:
    app = create_app(_production(settings, metrics_token=METRICS_TOKEN))
    with TestClient(app) as client:
        make_user(app, "root", role="admin")
        make_user(app, "alice")
        assert client.get("/ready").json() == {"status": "ready"}
        assert client.get("/ready", headers=bearer(client, "alice")).json() == {"status": "ready"}
        forged = {"Authorization": "Bearer not-the-token"}
        assert client.get("/ready", headers=forged).json() == {"status": "ready"}
        detailed = {"status": "ready", "checks": {"database": "ok"}}
        as_admin = client.get("/ready", headers=bearer(client, "root"))
        assert as_admin.json() == detailed
        with_token = client.get("/ready", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert with_token.json() == detailed


def test_production_not_ready_says_only_not_ready(tmp_path: Path) -> None:
    unmigrated = Settings(
        data_dir=tmp_path, mode="production", secret_key=PRODUCTION_SECRET, _env_file=None
    )
    with TestClient(create_app(unmigrated)) as client:
        response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "not_ready"}


def test_production_metrics_need_the_token_or_an_admin(settings: Settings) -> None:
    app = create_app(_production(settings, metrics_token=METRICS_TOKEN))
    with TestClient(app) as client:
        make_user(app, "root", role="admin")
        make_user(app, "alice")
        anonymous = client.get("/metrics")
        assert anonymous.status_code == 401
        assert anonymous.json()["error"]["code"] == "not_authenticated"
        wrong = client.get("/metrics", headers={"Authorization": "Bearer metrics-token-guess"})
        assert wrong.status_code == 401
        assert client.get("/metrics", headers=bearer(client, "alice")).status_code == 403
        token = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert token.status_code == 200
        assert "kreyol" in token.text or "python_info" in token.text
        assert client.get("/metrics", headers=bearer(client, "root")).status_code == 200


def test_development_metrics_are_open_until_a_token_is_set(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/metrics").status_code == 200
    with TestClient(create_app(derive(settings, metrics_token=METRICS_TOKEN))) as client:
        assert client.get("/metrics").status_code == 401
        assert client.get("/ready").json() == {"status": "ready"}


def test_health_stays_public_and_minimal(settings: Settings) -> None:
    with TestClient(create_app(_production(settings))) as client:
        assert client.get("/health").json() == {"status": "ok"}


# --- Redis: the state store must not evict ----------------------------------------------------


@contextmanager
def _redis(*flags: str) -> Iterator[str]:
    """A throwaway redis-server started with ``flags``; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("redis-server is not installed (CI=true: servers are required)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    directory = tempfile.mkdtemp(prefix="kreyol-redis-policy-")
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            directory,
            *flags,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(directory, ignore_errors=True)


def _startup_records(settings: Settings, caplog: pytest.LogCaptureFixture) -> list[str]:
    caplog.clear()
    with (
        caplog.at_level(logging.INFO, logger="kreyol_ia.redis_conn"),
        TestClient(create_app(settings)) as client,
    ):
        assert client.get("/health").status_code == 200
    return [f"{r.levelname} {r.getMessage()}" for r in caplog.records if "maxmemory" in r.message]


@pytest.mark.parametrize("policy", ["allkeys-lru", "volatile-lru", "volatile-ttl"])
def test_an_evicting_state_redis_is_warned_about(
    settings: Settings, caplog: pytest.LogCaptureFixture, policy: str
) -> None:
    with _redis("--maxmemory", "64mb", "--maxmemory-policy", policy) as url:
        records = _startup_records(derive(settings, redis_url=url), caplog)
    assert len(records) == 1
    assert records[0].startswith("WARNING") and f"maxmemory-policy={policy}" in records[0]


def test_a_noeviction_state_redis_is_not_warned_about(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with _redis("--maxmemory-policy", "noeviction") as url:
        assert _startup_records(derive(settings, redis_url=url), caplog) == []


def test_a_redis_without_config_is_reported_unchecked(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with _redis("--rename-command", "CONFIG", "", "--maxmemory-policy", "allkeys-lru") as url:
        records = _startup_records(derive(settings, redis_url=url), caplog)
    assert records == ["INFO could not check the Redis maxmemory-policy (ResponseError)"]


def test_the_cache_and_the_security_state_use_their_own_redis(settings: Settings) -> None:
    with (
        _redis("--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru") as cache_url,
        _redis("--maxmemory-policy", "noeviction") as state_url,
    ):
        app = create_app(derive(settings, redis_url=state_url, cache_redis_url=cache_url))
        with TestClient(app) as client:
            make_user(app, "alice")
            headers = bearer(client, "alice")
            body = {"text": "good morning", "source": "en", "target": "ht"}
            assert client.post("/api/v1/translate", json=body, headers=headers).status_code == 200
        cache_keys = [k.decode() for k in redis.Redis.from_url(cache_url).keys("*")]
        state_keys = [k.decode() for k in redis.Redis.from_url(state_url).keys("*")]
    assert cache_keys and all(key.startswith("kreyol:cache") for key in cache_keys)
    assert any(key.startswith("kreyol:rl") for key in state_keys)
    assert not any(key.startswith("kreyol:cache") for key in state_keys)


# --- SQLite file permissions ------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_sqlite_database_and_its_directory_are_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "var"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env["KREYOL_DATA_DIR"] = str(data_dir)
    subprocess.run(
        [sys.executable, "-m", "kreyol_ia", "db", "upgrade"],
        env=env,
        check=True,
        capture_output=True,
    )
    assert _mode(data_dir) == 0o700
    assert _mode(data_dir / "kreyol.db") == 0o600
    settings = Settings(data_dir=data_dir, _env_file=None)
    with TestClient(create_app(settings)) as client:
        make_user(client.app, "alice")
        assert client.get("/ready").status_code == 200
        for name in ("kreyol.db", "kreyol.db-wal", "kreyol.db-shm"):
            assert _mode(data_dir / name) == 0o600, name


def test_an_existing_world_readable_database_is_tightened(settings: Settings) -> None:
    database = settings.data_dir / "kreyol.db"
    database.chmod(0o644)
    with TestClient(create_app(settings)) as client:
        assert client.get("/ready").status_code == 200
    assert _mode(database) == 0o600


# --- the OpenAPI document declares the errors -------------------------------------------------


# tag → the facade's error body
FACADE_ERRORS = {"DeepL compatible": "DeepLError", "LibreTranslate compatible": "LTError"}


def test_every_operation_declares_its_errors_with_the_envelope(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    assert set(document["components"]["schemas"]["ErrorEnvelope"]["properties"]) == {"error"}
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            facade = FACADE_ERRORS.get(operation["tags"][0]) if operation.get("tags") else None
            if facade is not None:  # its own wire format: every error status, its own body
                model = {"$ref": f"#/components/schemas/{facade}"}
                assert {"400", "413", "500", "503"} <= set(responses), (method, path)
                for status in (s for s in responses if s >= "400"):
                    schema = responses[status]["content"]["application/json"]["schema"]
                    # a Content-Length over the limit is refused before any route sees it
                    allowed = {"anyOf": [model, envelope]} if status == "413" else model
                    assert schema == allowed, (method, path, status)
                continue
            expected = {"422", "500", "503"}
            if operation.get("security"):
                expected |= {"401", "403"}
            if "{" in path:
                expected.add("404")
            assert expected <= set(responses), (method, path)
            for status in expected - ({"503"} if path == "/ready" else set()):
                schema = responses[status]["content"]["application/json"]["schema"]
                assert schema == envelope, (method, path, status)
    token = document["paths"]["/api/v1/auth/token"]["post"]["responses"]
    assert {"401", "429"} <= set(token)
