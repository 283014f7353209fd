"""Two API instances behind one PostgreSQL and one Redis behave as one service.

No per-process cache may outlive a revocation: every request re-reads the account and key
from the database, so the documented bound is zero.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kreyol_ia.db import migrate
from tests.conftest import PASSWORD, fresh_postgres_database
from tests.servers import ApiServer

# generous: two servers, PostgreSQL and Redis share two cores with the test run itself
HTTP = httpx.Client(timeout=30.0)


@pytest.fixture
def pair(tmp_path: Path, postgres_server, redis_server):
    url = fresh_postgres_database(postgres_server)
    migrate.upgrade(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update(
        {
            "KREYOL_DATA_DIR": str(tmp_path),
            "KREYOL_DATABASE_URL": url,
            "KREYOL_REDIS_URL": redis_server.url,
            "KREYOL_SECRET_KEY": "s" * 48,
            "KREYOL_LOG_LEVEL": "WARNING",
        }
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "kreyol_ia",
            "users",
            "create-admin",
            "--username",
            "root",
            "--email",
            "root@example.org",
        ],
        env={**env, "KREYOL_ADMIN_PASSWORD": PASSWORD},
        check=True,
        capture_output=True,
        timeout=120,
    )
    servers = [ApiServer(env).start(), ApiServer(env).start()]
    yield [s.url for s in servers]
    for server in servers:
        server.stop()


def _token(base: str, username: str) -> dict[str, str]:
    response = HTTP.post(
        f"{base}/api/v1/auth/token", data={"username": username, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _register(base: str, username: str) -> None:
    response = HTTP.post(
        f"{base}/api/v1/auth/register",
        json={"username": username, "email": f"{username}@example.org", "password": PASSWORD},
    )
    assert response.status_code == 201, response.text


def test_accounts_keys_limits_and_revocations_cross_instances(pair: list[str]) -> None:
    a, b = pair
    _register(a, "nadia")
    on_b = _token(b, "nadia")
    assert HTTP.get(f"{b}/api/v1/users/me", headers=on_b).json()["username"] == "nadia"

    key = HTTP.post(f"{a}/api/v1/keys", json={"name": "shared"}, headers=_token(a, "nadia"))
    key_headers = {"X-API-Key": key.json()["key"]}
    first = HTTP.post(f"{a}/api/v1/detect", json={"text": "Bonjou"}, headers=key_headers)
    second = HTTP.post(f"{b}/api/v1/detect", json={"text": "Bonjou"}, headers=key_headers)
    assert first.status_code == second.status_code == 200
    assert int(second.headers["RateLimit-Remaining"]) == (
        int(first.headers["RateLimit-Remaining"]) - 1
    )

    revoked = HTTP.delete(f"{a}/api/v1/keys/{key.json()['id']}", headers=_token(a, "nadia"))
    assert revoked.status_code == 204
    refused = HTTP.post(f"{b}/api/v1/detect", json={"text": "Bonjou"}, headers=key_headers)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_api_key"


def test_a_user_disabled_on_one_instance_is_refused_by_the_other(pair: list[str]) -> None:
    a, b = pair
    _register(a, "marc")
    marc_on_b = _token(b, "marc")
    assert HTTP.get(f"{b}/api/v1/users/me", headers=marc_on_b).status_code == 200
    disabled = HTTP.patch(
        f"{a}/api/v1/admin/users/marc", json={"disabled": True}, headers=_token(a, "root")
    )
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    refused = HTTP.get(f"{b}/api/v1/users/me", headers=marc_on_b)
    assert refused.status_code == 401
    again = HTTP.post(f"{b}/api/v1/auth/token", data={"username": "marc", "password": PASSWORD})
    assert again.status_code == 401
