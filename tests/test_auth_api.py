"""Account flows over HTTP: sign-up, sign-in, sessions, password change, API keys, admin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from tests.conftest import PASSWORD, bearer, derive, make_user

NEW_PASSWORD = "a different passphrase 42"
TRANSLATE = {"text": "Good morning", "source": "en", "target": "ht"}


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def auth(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def error_code(response) -> str:
    body = response.json()
    assert set(body["error"]) >= {"code", "message", "request_id"}, body
    return body["error"]["code"]


def register(client: TestClient, username: str, **extra: object):
    body = {"username": username, "email": f"{username}@example.org", "password": PASSWORD}
    return client.post("/api/v1/auth/register", json={**body, **extra})


@pytest.fixture
def app_client(request: pytest.FixtureRequest, settings: Settings) -> Iterator[TestClient]:
    """A client over an app built with ``derive(settings, **param)``."""
    with TestClient(
        create_app(derive(settings, **request.param)), raise_server_exceptions=False
    ) as test_client:
        yield test_client


# registration


def test_registration_is_open_in_development(client: TestClient) -> None:
    response = register(client, "newbie", full_name="New Bie")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["username"] == "newbie" and body["full_name"] == "New Bie"
    assert body["role"] == "user" and body["tier"] == "free"
    assert "password" not in response.text and "$argon2" not in response.text
    assert sign_in(client, "newbie")["token_type"] == "bearer"


def test_registration_refuses_duplicates_and_weak_passwords(client: TestClient) -> None:
    assert register(client, "newbie").status_code == 201
    again = register(client, "newbie")
    assert again.status_code == 409 and error_code(again) == "account_exists"
    same_email = client.post(
        "/api/v1/auth/register",
        json={"username": "other", "email": "NEWBIE@example.org", "password": PASSWORD},
    )
    # a taken e-mail looks exactly like a success (no enumeration), and creates nothing
    assert same_email.status_code == 201 and same_email.json()["username"] == "other"
    assert client.app.state.users.get_user("other") is None
    weak = register(client, "weakling", password="weakling-pass")
    assert weak.status_code == 422 and error_code(weak) == "weak_password"
    assert "username" in weak.json()["error"]["message"]


@pytest.mark.parametrize("app_client", [{"registration": "closed"}], indirect=True)
def test_closed_registration(app_client: TestClient) -> None:
    response = register(app_client, "newbie")
    assert response.status_code == 403
    assert error_code(response) == "registration_closed"
    make_user(app_client.app, "alice")  # operators can still create accounts
    assert sign_in(app_client, "alice")
    refused = app_client.post(
        "/api/v1/auth/token", data={"username": "newbie", "password": PASSWORD}
    )
    assert refused.status_code == 401


@pytest.mark.parametrize("app_client", [{"registration": "invite"}], indirect=True)
def test_invite_only_registration_codes_work_once(app_client: TestClient) -> None:
    assert error_code(register(app_client, "newbie")) == "registration_closed"
    assert register(app_client, "newbie", invite="inv_made_up_code").status_code == 403

    make_user(app_client.app, "root", role="admin")
    created = app_client.post(
        "/api/v1/admin/invites", json={"days": 2}, headers=bearer(app_client, "root")
    )
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    assert code.startswith("inv_")

    first = register(app_client, "newbie", invite=code)
    assert first.status_code == 201, first.text
    second = register(app_client, "latecomer", invite=code)
    assert second.status_code == 403 and error_code(second) == "registration_closed"
    assert sign_in(app_client, "newbie")


@pytest.mark.parametrize("app_client", [{"registration": "invite"}], indirect=True)
def test_ordinary_users_cannot_create_invites(app_client: TestClient) -> None:
    make_user(app_client.app, "alice")
    response = app_client.post(
        "/api/v1/admin/invites", json={}, headers=bearer(app_client, "alice")
    )
    assert response.status_code == 403 and error_code(response) == "insufficient_scope"


@pytest.mark.parametrize("app_client", [{"registration": "invite"}], indirect=True)
def test_a_refused_registration_does_not_burn_the_invite(app_client: TestClient) -> None:
    make_user(app_client.app, "root", role="admin")
    code = app_client.post(
        "/api/v1/admin/invites", json={}, headers=bearer(app_client, "root")
    ).json()["code"]
    weak = register(app_client, "newbie", invite=code, password="newbie-password")
    assert weak.status_code == 422 and error_code(weak) == "weak_password"
    retry = register(app_client, "newbie", invite=code)
    assert retry.status_code == 201, retry.text


# sign-in and the account


def test_sign_in_returns_a_pair_that_is_not_cached(client: TestClient) -> None:
    make_user(client.app, "alice")
    response = client.post("/api/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 1800
    assert body["access_token"] != body["refresh_token"]
    me = client.get("/api/v1/users/me", headers=auth(body))
    assert me.status_code == 200
    assert me.json()["username"] == "alice"
    assert me.json()["scopes"] == ["translate", "documents", "keys"]
    assert me.json()["last_login"] is not None


def test_me_needs_credentials(client: TestClient) -> None:
    response = client.get("/api/v1/users/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_change_password_ends_sessions(client: TestClient) -> None:
    make_user(client.app, "alice")
    old = sign_in(client, "alice")
    other_device = sign_in(client, "alice")

    wrong = client.post(
        "/api/v1/users/me/password",
        json={"current_password": "not my password", "new_password": NEW_PASSWORD},
        headers=auth(old),
    )
    assert wrong.status_code == 422 and error_code(wrong) == "wrong_password"
    assert sign_in(client, "alice")  # unchanged

    weak = client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "alice-alice-alice"},
        headers=auth(old),
    )
    assert weak.status_code == 422 and error_code(weak) == "weak_password"

    changed = client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=auth(old),
    )
    assert changed.status_code == 204, changed.text

    for tokens in (old, other_device):
        refreshed = client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
        assert refreshed.status_code == 401 and error_code(refreshed) == "invalid_token"
    refused = client.post("/api/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    assert refused.status_code == 401
    assert sign_in(client, "alice", NEW_PASSWORD)


def test_refresh_rotates_the_pair(client: TestClient) -> None:
    make_user(client.app, "alice")
    first = sign_in(client, "alice")
    response = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert client.get("/api/v1/users/me", headers=auth(second)).status_code == 200

    third = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert third.status_code == 200
    spent = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert spent.status_code == 401


def test_logout_ends_the_session(client: TestClient) -> None:
    make_user(client.app, "alice")
    tokens = sign_in(client, "alice")
    other = sign_in(client, "alice")
    response = client.post("/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 204
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert after.status_code == 401
    # another session of the same user is untouched
    still = client.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert still.status_code == 200
    garbage = client.post("/api/v1/auth/logout", json={"refresh_token": "x" * 40})
    assert garbage.status_code == 401 and error_code(garbage) == "invalid_token"


# API keys


def test_api_key_lifecycle(client: TestClient) -> None:
    make_user(client.app, "alice")
    headers = bearer(client, "alice")
    created = client.post(
        "/api/v1/keys", json={"name": "ci", "expires_in_days": 10}, headers=headers
    )
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    key = created.json()
    assert key["key"].startswith("ka_") and key["prefix"] == key["key"][:11]
    assert key["scopes"] == ["translate", "documents", "keys"]

    listed = client.get("/api/v1/keys", headers=headers)
    assert listed.status_code == 200
    (item,) = listed.json()
    assert item["id"] == key["id"] and item["active"] is True and "key" not in item
    assert key["key"] not in listed.text

    with_key = {"X-API-Key": key["key"]}
    assert client.post("/api/v1/translate", json=TRANSLATE, headers=with_key).status_code == 200
    me = client.get("/api/v1/users/me", headers=with_key)
    assert me.status_code == 200 and me.json()["username"] == "alice"
    used = client.get("/api/v1/keys", headers=headers).json()[0]
    assert used["last_used_at"] is not None

    narrow = client.post(
        "/api/v1/keys", json={"name": "translate only", "scopes": ["translate"]}, headers=headers
    )
    assert narrow.status_code == 201 and narrow.json()["scopes"] == ["translate"]
    narrow_key = {"X-API-Key": narrow.json()["key"]}
    listing = client.get("/api/v1/keys", headers=narrow_key)
    assert listing.status_code == 403 and error_code(listing) == "insufficient_scope"

    deleted = client.delete(f"/api/v1/keys/{key['id']}", headers=headers)
    assert deleted.status_code == 204
    after = client.get("/api/v1/keys", headers=headers).json()
    revoked = next(k for k in after if k["id"] == key["id"])
    assert revoked["active"] is False and revoked["revoked_at"] is not None
    assert client.get("/api/v1/users/me", headers=with_key).status_code == 401
    assert client.delete(f"/api/v1/keys/{key['id']}", headers=headers).status_code == 204
    assert client.delete("/api/v1/keys/987654", headers=headers).status_code == 404


# administration


def test_admin_lists_and_changes_accounts(client: TestClient) -> None:
    make_user(client.app, "root", role="admin")
    make_user(client.app, "alice")
    admin = bearer(client, "root")
    alice = sign_in(client, "alice")

    listed = client.get("/api/v1/admin/users", headers=admin)
    assert listed.status_code == 200
    assert [u["username"] for u in listed.json()] == ["alice", "root"]
    assert "$argon2" not in listed.text and "hashed" not in listed.text
    page = client.get("/api/v1/admin/users", params={"limit": 1, "offset": 1}, headers=admin)
    assert [u["username"] for u in page.json()] == ["root"]

    pro = client.patch("/api/v1/admin/users/alice", json={"tier": "pro"}, headers=admin)
    assert pro.status_code == 200 and pro.json()["tier"] == "pro"
    gold = client.patch("/api/v1/admin/users/alice", json={"tier": "gold"}, headers=admin)
    assert gold.status_code == 422 and error_code(gold) == "unknown_tier"
    bad_scope = client.patch("/api/v1/admin/users/alice", json={"scopes": ["root"]}, headers=admin)
    assert bad_scope.status_code == 422 and error_code(bad_scope) == "unknown_scope"
    missing = client.patch("/api/v1/admin/users/nobody", json={"tier": "pro"}, headers=admin)
    assert missing.status_code == 404
    assert client.get("/api/v1/users/me", headers=auth(alice)).json()["tier"] == "pro"

    disabled = client.patch("/api/v1/admin/users/alice", json={"disabled": True}, headers=admin)
    assert disabled.status_code == 200 and disabled.json()["disabled"] is True
    assert client.get("/api/v1/users/me", headers=auth(alice)).status_code == 401
    refresh = client.post("/api/v1/auth/refresh", json={"refresh_token": alice["refresh_token"]})
    assert refresh.status_code == 401
    refused = client.post("/api/v1/auth/token", data={"username": "alice", "password": PASSWORD})
    assert refused.status_code == 401

    enabled = client.patch("/api/v1/admin/users/alice", json={"disabled": False}, headers=admin)
    assert enabled.status_code == 200
    assert sign_in(client, "alice")


@pytest.mark.parametrize(
    "change", [{"disabled": True}, {"role": "user"}, {"role": "user", "tier": "pro"}]
)
def test_admins_cannot_lock_themselves_out(client: TestClient, change: dict) -> None:
    make_user(client.app, "root", role="admin")
    admin = bearer(client, "root")
    response = client.patch("/api/v1/admin/users/root", json=change, headers=admin)
    assert response.status_code == 422 and error_code(response) == "self_lockout"
    assert client.get("/api/v1/admin/users", headers=admin).status_code == 200
    # another admin may still be demoted
    make_user(client.app, "deputy", role="admin")
    demoted = client.patch("/api/v1/admin/users/deputy", json={"role": "user"}, headers=admin)
    assert demoted.status_code == 200 and demoted.json()["role"] == "user"


def test_admin_revokes_any_key(client: TestClient) -> None:
    make_user(client.app, "root", role="admin")
    make_user(client.app, "alice")
    key = client.post("/api/v1/keys", json={"name": "k"}, headers=bearer(client, "alice")).json()
    admin = bearer(client, "root")
    assert client.delete(f"/api/v1/admin/keys/{key['id']}", headers=admin).status_code == 204
    assert client.get("/api/v1/users/me", headers={"X-API-Key": key["key"]}).status_code == 401
    assert client.delete("/api/v1/admin/keys/424242", headers=admin).status_code == 404


def test_invite_codes_are_not_cached(client: TestClient) -> None:
    make_user(client.app, "root", role="admin")
    created = client.post("/api/v1/admin/invites", json={}, headers=bearer(client, "root"))
    assert created.status_code == 201
    assert created.headers.get("cache-control") == "no-store"


def test_guessing_the_current_password_is_throttled_like_sign_in(client: TestClient) -> None:
    """A stolen access token must not become an unlimited password oracle."""
    make_user(client.app, "alice")
    tokens = sign_in(client, "alice")
    limit = client.app.state.settings.login_max_failures_per_user
    for _ in range(limit):
        wrong = client.post(
            "/api/v1/users/me/password",
            json={"current_password": "a guess at it", "new_password": NEW_PASSWORD},
            headers=auth(tokens),
        )
        assert error_code(wrong) == "wrong_password"
    locked = client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=auth(tokens),
    )
    assert locked.status_code == 429
    assert locked.json()["error"]["details"]["retry_after"] > 0
    assert int(locked.headers["Retry-After"]) > 0
