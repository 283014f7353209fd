"""Abuse suite, authentication and authorisation (audit issue 11): every finding over HTTP.

The concurrency races (refresh reuse, sign-in reservation, mutual demotion) are in
``test_auth_races.py``, against a live server on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.config import ConfigError, Settings
from kreyol_ia.db import migrate
from kreyol_ia.documents.callbacks import verify_signature
from kreyol_ia.documents.worker import JobWorker
from tests.conftest import PASSWORD, bearer, derive, make_user
from tests.hooks import callback_receiver, wait_for_delivery

RATE_HEADERS = (
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
    "ratelimit-policy",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
)


def code(response, status: int) -> str:
    """The envelope's code, after checking the status."""
    assert response.status_code == status, response.text
    return response.json()["error"]["code"]


def tokens(client: TestClient, username: str, password: str = PASSWORD, **headers: str) -> dict:
    response = client.post(
        "/api/v1/auth/token", data={"username": username, "password": password}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


def auth(access: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access}"}


@pytest.fixture
def root(client: TestClient) -> dict[str, str]:
    """The sole administrator's Authorization header (alice and bob are ordinary users)."""
    make_user(client.app, "root", role="admin")
    make_user(client.app, "alice")
    make_user(client.app, "bob")
    return bearer(client, "root")


@pytest.fixture
def on_backend(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """The API on SQLite and on PostgreSQL."""
    migrate.upgrade(database_url)
    settings = Settings(data_dir=tmp_path, database_url=database_url, _env_file=None)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


# 1. demotion takes the admin power from the account, its tokens and its keys at once


def test_demotion_removes_admin_from_the_user_tokens_and_keys(
    client: TestClient, root: dict[str, str]
) -> None:
    promoted = client.patch("/api/v1/admin/users/bob", json={"role": "admin"}, headers=root)
    assert "admin" in promoted.json()["scopes"]
    bob = auth(tokens(client, "bob")["access_token"])
    key = client.post("/api/v1/keys", json={"name": "ops"}, headers=bob).json()
    assert "admin" in key["scopes"]
    as_key = {"X-API-Key": key["key"]}
    assert client.get("/api/v1/admin/users", headers=as_key).status_code == 200

    demoted = client.patch("/api/v1/admin/users/bob", json={"role": "user"}, headers=root)
    assert demoted.status_code == 200 and "admin" not in demoted.json()["scopes"]
    assert code(client.get("/api/v1/admin/users", headers=bob), 401) == "invalid_token"
    assert code(client.get("/api/v1/admin/users", headers=as_key), 403) == "insufficient_scope"
    again = client.patch("/api/v1/admin/users/bob", json={"role": "admin"}, headers=as_key)
    assert code(again, 403) == "insufficient_scope"
    listed = client.get("/api/v1/keys", headers=as_key).json()
    assert all("admin" not in k["scopes"] for k in listed)
    fresh = auth(tokens(client, "bob")["access_token"])
    assert code(client.get("/api/v1/admin/users", headers=fresh), 403) == "insufficient_scope"
    me = client.get("/api/v1/users/me", headers=fresh).json()
    assert me["role"] == "user" and "admin" not in me["scopes"]
    # re-promotion does not revive the power the old key lost
    client.patch("/api/v1/admin/users/bob", json={"role": "admin"}, headers=root)
    assert code(client.get("/api/v1/admin/users", headers=as_key), 403) == "insufficient_scope"


def test_the_admin_power_is_a_role_not_a_scope(client: TestClient, root: dict[str, str]) -> None:
    granted = client.patch("/api/v1/admin/users/alice", json={"scopes": ["admin"]}, headers=root)
    assert code(granted, 422) == "admin_is_a_role"
    alice = auth(tokens(client, "alice")["access_token"])
    assert code(client.get("/api/v1/admin/users", headers=alice), 403) == "insufficient_scope"


def test_the_last_administrator_stays_through_the_cli(tmp_path: Path) -> None:
    from tests.servers import kreyol_env

    env = kreyol_env(tmp_path)
    settings = Settings(data_dir=tmp_path, _env_file=None)
    migrate.upgrade(settings.effective_database_url)
    app = create_app(settings)
    make_user(app, "root", role="admin")
    make_user(app, "bob", role="admin")
    import subprocess
    import sys

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kreyol_ia", "users", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    assert cli("set-role", "BOB", "user").returncode == 0
    for args in (("disable", "Root"), ("set-role", "root", "user")):
        refused = cli(*args)
        assert refused.returncode == 1 and "last_admin" in refused.stderr, refused.stderr
    with TestClient(app) as client:
        assert client.get("/api/v1/admin/users", headers=bearer(client, "root")).status_code == 200


# 4. access tokens end with their session


def test_access_tokens_end_with_logout_password_change_and_disable(
    on_backend: TestClient,
) -> None:
    client = on_backend
    make_user(client.app, "root", role="admin")
    make_user(client.app, "alice")
    admin = bearer(client, "root")
    first, second = tokens(client, "alice"), tokens(client, "alice")
    me = "/api/v1/users/me"
    # signing out of one session ends its access token, not the other session's
    logout = client.post("/api/v1/auth/logout", json={"refresh_token": first["refresh_token"]})
    assert logout.status_code == 204
    assert code(client.get(me, headers=auth(first["access_token"])), 401) == "invalid_token"
    assert client.get(me, headers=auth(second["access_token"])).status_code == 200
    # a password change ends every session
    changed = client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=auth(second["access_token"]),
    )
    assert changed.status_code == 204
    assert code(client.get(me, headers=auth(second["access_token"])), 401) == "invalid_token"
    # disabling, then enabling again, does not bring old access tokens back
    third = tokens(client, "alice", "a brand new passphrase")
    for disabled in (True, False):
        answer = client.patch(
            "/api/v1/admin/users/ALICE", json={"disabled": disabled}, headers=admin
        )
        assert answer.status_code == 200
    assert code(client.get(me, headers=auth(third["access_token"])), 401) == "invalid_token"
    # sign out everywhere
    fourth, fifth = (tokens(client, "alice", "a brand new passphrase") for _ in range(2))
    ended = client.post("/api/v1/auth/logout/all", headers=auth(fourth["access_token"]))
    assert ended.status_code == 204
    for session in (fourth, fifth):
        assert client.get(me, headers=auth(session["access_token"])).status_code == 401
        again = client.post(
            "/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}
        )
        assert again.status_code == 401


def test_refresh_reuse_ends_the_thiefs_and_the_owners_access(on_backend: TestClient) -> None:
    client = on_backend
    make_user(client.app, "alice")
    stolen = tokens(client, "alice")
    rotated = client.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    assert rotated.status_code == 200
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    assert code(replay, 401) == "invalid_token"
    for access in (stolen["access_token"], rotated.json()["access_token"]):
        assert client.get("/api/v1/users/me", headers=auth(access)).status_code == 401
    newest = rotated.json()["refresh_token"]
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": newest}).status_code == 401


# 7. no lockout switch: per (account, IP), a much higher per-account limit, and an unlock


@pytest.fixture(params=["memory", "redis"])
def proxied(request: pytest.FixtureRequest, settings: Settings) -> Iterator[TestClient]:
    shared = {}
    if request.param == "redis":
        url = request.getfixturevalue("redis_server").url
        redis.Redis.from_url(url).flushdb()
        shared = {"redis_url": url}
    configured = derive(
        settings,
        **shared,
        login_max_failures_per_user=3,
        login_max_failures_per_account=7,
        login_max_failures_per_ip=1000,
        trusted_proxies=["10.0.0.0/8"],
        auth_rate_per_minute=1000,
    )
    app = create_app(configured)
    with TestClient(app, raise_server_exceptions=False, client=("10.1.2.3", 4000)) as test_client:
        make_user(app, "root", role="admin")
        make_user(app, "alice")
        yield test_client


def attempt(
    client: TestClient, ip: str, password: str = "a wrong guess of it", user: str = "alice"
):
    return client.post(
        "/api/v1/auth/token",
        data={"username": user, "password": password},
        headers={"X-Forwarded-For": ip},
    )


def test_an_attacker_locks_only_himself_and_an_admin_can_unlock(proxied: TestClient) -> None:
    root = bearer(proxied, "root")
    for _ in range(3):
        assert attempt(proxied, "203.0.113.9").status_code == 401
    assert code(attempt(proxied, "203.0.113.9", PASSWORD), 429) == "too_many_attempts"
    assert attempt(proxied, "198.51.100.4", PASSWORD).status_code == 200  # the owner, elsewhere
    # many addresses reach the slower per-account limit (7): new addresses then wait...
    for ip in ("192.0.2.1", "192.0.2.2"):
        for _ in range(3):
            attempt(proxied, ip)
    locked = attempt(proxied, "198.51.100.77", PASSWORD)
    assert code(locked, 429) == "too_many_attempts" and int(locked.headers["retry-after"]) >= 1
    # ...but the owner's known address still gets in with the right password
    assert attempt(proxied, "198.51.100.4", PASSWORD).status_code == 200
    assert attempt(proxied, "198.51.100.4").status_code == 401  # a wrong one is still counted
    # ...and an administrator unlocks the account for everyone (any case of its name)
    unlocked = proxied.post("/api/v1/admin/users/ALICE/unlock", headers=root)
    assert unlocked.status_code == 204
    assert attempt(proxied, "198.51.100.77", PASSWORD).status_code == 200
    assert code(proxied.post("/api/v1/admin/users/nobody/unlock", headers=root), 404)
    alice = bearer(proxied, "alice")
    assert code(proxied.post("/api/v1/admin/users/root/unlock", headers=alice), 403)


def test_the_cli_unlocks_through_redis(settings: Settings, redis_server, tmp_path: Path) -> None:
    from tests.servers import kreyol, kreyol_env

    configured = derive(settings, redis_url=redis_server.url, login_max_failures_per_user=2)
    carol = f"carol{uuid.uuid4().hex[:8]}"
    with TestClient(create_app(configured), raise_server_exceptions=False) as client:
        make_user(client.app, carol)
        for _ in range(2):
            assert attempt(client, "", user=carol).status_code == 401
        assert attempt(client, "", PASSWORD, carol).status_code == 429
        env = kreyol_env(settings.data_dir, KREYOL_REDIS_URL=redis_server.url)
        assert carol in kreyol(env, "users", "unlock", carol.upper())
        assert attempt(client, "", PASSWORD, carol).status_code == 200


# low findings


def test_a_failed_registration_gives_the_invite_back(database_url: str, tmp_path: Path) -> None:
    migrate.upgrade(database_url)
    settings = Settings(
        data_dir=tmp_path, database_url=database_url, registration="invite", _env_file=None
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        make_user(client.app, "root", role="admin")
        invite = client.post("/api/v1/admin/invites", json={}, headers=bearer(client, "root"))
        body = {"username": "newbie", "email": "n@example.org", "password": PASSWORD}
        bad = client.post(
            "/api/v1/auth/register",
            json={**body, "full_name": "New\x00Bie", "invite": invite.json()["code"]},
        )
        assert code(bad, 422) == "validation_error"
        good = client.post("/api/v1/auth/register", json={**body, "invite": invite.json()["code"]})
        assert good.status_code == 201, good.text


def test_admin_routes_and_limit_resets_ignore_case(
    client: TestClient, root: dict[str, str]
) -> None:
    changed = client.patch("/api/v1/admin/users/ALICE", json={"tier": "pro"}, headers=root)
    assert changed.status_code == 200 and changed.json()["tier"] == "pro"
    alice = bearer(client, "alice")
    text = {"text": "Good morning.", "source": "en", "target": "ht"}
    remaining = [
        int(
            client.post("/api/v1/translate", json=text, headers=alice).headers[
                "ratelimit-remaining"
            ]
        )
        for _ in range(2)
    ]
    assert remaining[1] < remaining[0]
    reset = client.post("/api/v1/admin/users/Alice/limits/reset", headers=root)
    assert reset.status_code == 204
    after = client.post("/api/v1/translate", json=text, headers=alice)
    assert int(after.headers["ratelimit-remaining"]) == remaining[0]
    self_demotion = client.patch("/api/v1/admin/users/ROOT", json={"role": "user"}, headers=root)
    assert code(self_demotion, 422) == "self_lockout"


def test_keys_minted_by_a_key_die_with_it(client: TestClient, root: dict[str, str]) -> None:
    alice = bearer(client, "alice")
    parent = client.post(
        "/api/v1/keys", json={"name": "ci", "scopes": ["translate", "keys"]}, headers=alice
    ).json()
    child = client.post("/api/v1/keys", json={"name": "job"}, headers={"X-API-Key": parent["key"]})
    assert child.status_code == 201 and child.json()["scopes"] == ["translate"]
    grandchild = client.post(
        "/api/v1/keys",
        json={"name": "deeper", "scopes": ["keys"]},
        headers={"X-API-Key": parent["key"]},
    )
    assert code(grandchild, 403) == "scope_not_allowed"
    as_child = {"X-API-Key": child.json()["key"]}
    assert client.get("/api/v1/users/me", headers=as_child).status_code == 200
    assert client.delete(f"/api/v1/keys/{parent['id']}", headers=alice).status_code == 204
    assert code(client.get("/api/v1/users/me", headers=as_child), 401) == "invalid_api_key"


def test_key_requests_are_bounded(settings: Settings) -> None:
    app = create_app(derive(settings, max_keys_per_user=3, api_key_max_days=90))
    with TestClient(app, raise_server_exceptions=False) as client:
        make_user(app, "alice")
        alice = bearer(client, "alice")
        empty = client.post("/api/v1/keys", json={"name": "k", "scopes": []}, headers=alice)
        assert code(empty, 422) == "validation_error"
        forever = client.post(
            "/api/v1/keys", json={"name": "k", "expires_in_days": None}, headers=alice
        )
        expires = datetime.fromisoformat(forever.json()["expires_at"])
        assert abs(expires - (datetime.now(UTC) + timedelta(days=90))) < timedelta(hours=1)
        too_long = client.post(
            "/api/v1/keys", json={"name": "k", "expires_in_days": 91}, headers=alice
        )
        assert code(too_long, 422) == "invalid_key_request"
        for _ in range(2):
            assert client.post("/api/v1/keys", json={"name": "k"}, headers=alice).status_code == 201
        capped = client.post("/api/v1/keys", json={"name": "k"}, headers=alice)
        assert code(capped, 409) == "too_many_keys"
        first = client.get("/api/v1/keys", headers=alice).json()[0]["id"]
        client.delete(f"/api/v1/keys/{first}", headers=alice)
        assert client.post("/api/v1/keys", json={"name": "k"}, headers=alice).status_code == 201


def test_registration_does_not_reveal_emails(client: TestClient) -> None:
    make_user(client.app, "alice")
    body = {"email": "ALICE@example.org", "password": PASSWORD}
    clash = client.post("/api/v1/auth/register", json={"username": "mallory", **body})
    new = client.post(
        "/api/v1/auth/register", json={**body, "username": "newbie", "email": "n@example.org"}
    )
    assert clash.status_code == new.status_code == 201
    assert set(clash.json()) == set(new.json()) and clash.json()["role"] == "user"
    refused = client.post("/api/v1/auth/token", data={"username": "mallory", "password": PASSWORD})
    assert refused.status_code == 401  # nothing was created
    taken = client.post("/api/v1/auth/register", json={"username": "ALICE", **body})
    assert code(taken, 409) == "account_exists"  # usernames are public, e-mails are not


@pytest.mark.parametrize("name", ["anonymous", "Anonymous", "admin", "ROOT", "system"])
def test_reserved_names_cannot_be_registered(client: TestClient, name: str) -> None:
    body = {"username": name, "email": f"{name}@example.org", "password": PASSWORD}
    assert code(client.post("/api/v1/auth/register", json=body), 422) == "reserved_username"


def test_huge_offsets_are_a_client_error(client: TestClient, root: dict[str, str]) -> None:
    huge = client.get("/api/v1/admin/users", params={"offset": 2**63}, headers=root)
    assert code(huge, 422) == "validation_error"
    edge = client.get("/api/v1/admin/users", params={"offset": 2**63 - 1}, headers=root)
    assert edge.status_code == 200 and edge.json() == []


@pytest.mark.parametrize("secret", ["a" * 32, " " * 40, "ab" * 32, "0123456789" * 3])
def test_weak_production_secrets_are_refused(tmp_path: Path, secret: str) -> None:
    settings = Settings(mode="production", secret_key=secret, data_dir=tmp_path, _env_file=None)
    with pytest.raises(ConfigError, match=r"secrets\.token_urlsafe") as refused:
        create_app(settings)
    assert "\n" not in str(refused.value) and secret not in str(refused.value)


def test_callbacks_are_signed_with_the_owners_rotatable_secret(settings: Settings) -> None:
    app = create_app(derive(settings, jobs_in_process=False, callback_allow_private=True))
    with callback_receiver() as (url, received), TestClient(app) as client:
        make_user(app, "alice", tier="enterprise")
        alice = bearer(client, "alice")
        first = client.post("/api/v1/users/me/callback-secret", headers=alice)
        assert first.status_code == 200 and first.headers["cache-control"] == "no-store"
        second = client.post("/api/v1/users/me/callback-secret", headers=alice)
        old, new = first.json()["secret"], second.json()["secret"]
        assert old != new and len(new) >= 32
        key = client.post("/api/v1/keys", json={"name": "k"}, headers=alice).json()["key"]
        by_key = client.post("/api/v1/users/me/callback-secret", headers={"X-API-Key": key})
        assert code(by_key, 403) == "session_required"
        uploaded = client.post(
            "/api/v1/documents",
            files={"file": ("n.txt", b"Good morning.\n")},
            data={"source": "en", "target": "ht", "callback_url": url},
            headers=alice,
        )
        assert uploaded.status_code == 202, uploaded.text
        assert JobWorker(app.state.jobs, name="w").run_once() == "completed"
        body, timestamp, signature = wait_for_delivery(received)
    assert json.loads(body)["status"] == "completed"
    assert verify_signature(new.encode(), int(timestamp), body, signature)
    assert not verify_signature(old.encode(), int(timestamp), body, signature)
    server_wide = app.state.settings.resolved_callback_secret()
    assert not verify_signature(server_wide, int(timestamp), body, signature)


def test_sign_in_and_sign_up_answers_carry_rate_headers(settings: Settings) -> None:
    configured = derive(settings, auth_rate_per_minute=6, cors_origins=["https://app.example"])
    with TestClient(create_app(configured), raise_server_exceptions=False) as client:
        make_user(client.app, "alice")
        origin = {"Origin": "https://app.example"}
        answers = [
            client.post("/api/v1/auth/token", data={"username": "alice", "password": PASSWORD}),
            client.post("/api/v1/auth/token", data={"username": "alice", "password": "nope"}),
            client.post("/api/v1/auth/token", data={"username": "alice"}),
            client.post("/api/v1/auth/register", content=b"{not json", headers=origin),
            client.post("/api/v1/auth/register", json={"username": "x"}),
        ]
        assert [a.status_code for a in answers] == [200, 401, 422, 422, 422]
        for answer in answers:
            assert all(name in answer.headers for name in RATE_HEADERS), answer.headers
        remaining = [int(a.headers["ratelimit-remaining"]) for a in answers]
        assert remaining == sorted(remaining, reverse=True) and remaining[-1] == 1
        exposed = answers[3].headers["access-control-expose-headers"].lower()
        assert all(name in exposed for name in RATE_HEADERS)
        client.post("/api/v1/auth/register", content=b"garbage")  # malformed bodies pay too
        limited = client.post(
            "/api/v1/auth/token", data={"username": "alice", "password": PASSWORD}
        )
        assert code(limited, 429) == "rate_limited" and "retry-after" in limited.headers
