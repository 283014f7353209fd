"""Attempted abuse of the auth layer over HTTP: every attempt fails safely with a 4xx envelope."""

from __future__ import annotations

import base64
import json
import logging
import secrets
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import jwt
import pytest
import redis
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import APIKey, User, migrate
from kreyol_ia.db.clock import utcnow
from tests.conftest import PASSWORD, bearer, derive, fresh_postgres_database, make_user

TRANSLATE = {"text": "Good morning", "source": "en", "target": "ht"}
ME = "/api/v1/users/me"


def envelope(response, status: int, code: str | None = None) -> dict:
    """Assert the status and the error envelope; return the error object."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) >= {"code", "message", "request_id"}, error
    assert isinstance(error["message"], str) and error["message"]
    assert error["request_id"] == response.headers["x-request-id"] != "-"
    if code is not None:
        assert error["code"] == code, error
    return error


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def login(client: TestClient, username: str, password: str = PASSWORD, **headers: str):
    return client.post(
        "/api/v1/auth/token",
        data={"username": username, "password": password},
        headers=headers or None,
    )


def new_key(client: TestClient, headers: dict[str, str], **body: object) -> dict:
    response = client.post("/api/v1/keys", json={"name": "k", **body}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def claims(settings: Settings, **changes: object) -> dict:
    """Well-formed access-token claims for alice; a value of None drops the claim."""
    now = int(time.time())
    base = {
        "sub": "alice",
        "scopes": "translate documents keys",
        "type": "access",
        "iat": now,
        "nbf": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
    }
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def forge(
    settings: Settings, secret: str | None = None, algorithm: str = "HS256", **changes: object
) -> str:
    key = secret if secret is not None else settings.resolved_secret_key()
    return jwt.encode(claims(settings, **changes), key, algorithm=algorithm)


def with_payload(token: str, **changes: object) -> str:
    """The same header and signature over a modified payload."""
    header, payload, signature = token.split(".")
    data = json.loads(unb64(payload))
    data.update(changes)
    return ".".join([header, b64(json.dumps(data).encode()), signature])


def as_bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def alice(client: TestClient) -> TestClient:
    """The anonymous client, with the accounts alice (user) and root (admin)."""
    make_user(client.app, "alice")
    make_user(client.app, "root", role="admin")
    return client


@dataclass
class Shared:
    """One app for the read-only attacks: alice (user), root (admin), tokens and a key."""

    client: TestClient
    settings: Settings
    alice: dict[str, str]
    root: dict[str, str]
    key: dict[str, str]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    """Built once per module: hashing passwords is what makes these tests slow."""
    configured = Settings(data_dir=tmp_path_factory.mktemp("shared"), _env_file=None)
    migrate.upgrade(configured.effective_database_url)
    with TestClient(create_app(configured), raise_server_exceptions=False) as client:
        make_user(client.app, "alice")
        make_user(client.app, "root", role="admin")
        alice_headers = bearer(client, "alice")
        key = {"X-API-Key": new_key(client, alice_headers)["key"]}
        yield Shared(client, configured, alice_headers, bearer(client, "root"), key)


# JWT forgery


def test_a_token_forged_with_the_server_secret_is_accepted(shared: Shared) -> None:
    """The control for the forgeries below: with the real key, the same claims pass."""
    response = shared.client.get(ME, headers=as_bearer(forge(shared.settings)))
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "alice"


def _alg_none(settings: Settings) -> str:
    header = b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{b64(json.dumps(claims(settings)).encode())}."


def _alg_none_admin(settings: Settings) -> str:
    header = b64(json.dumps({"alg": "None", "typ": "JWT"}).encode())
    body = claims(settings, sub="root", scopes="translate documents keys admin")
    return f"{header}.{b64(json.dumps(body).encode())}."


FORGERIES = {
    "alg none": _alg_none,
    "alg None, admin": _alg_none_admin,
    "other secret": lambda s: forge(s, secret=secrets.token_urlsafe(48)),
    "HS512 with the real secret": lambda s: forge(s, algorithm="HS512"),
    "HS384 with the real secret": lambda s: forge(s, algorithm="HS384"),
    "expired": lambda s: forge(s, iat=int(time.time()) - 3600, nbf=None, exp=int(time.time()) - 60),
    "nbf in the future": lambda s: forge(s, nbf=int(time.time()) + 120),
    "iat in the future": lambda s: forge(s, iat=int(time.time()) + 120, nbf=None),
    "wrong audience": lambda s: forge(s, aud="someone-else"),
    "wrong issuer": lambda s: forge(s, iss="evil-issuer"),
    "no expiry": lambda s: forge(s, exp=None),
    "no jti": lambda s: forge(s, jti=None),
    "no type": lambda s: forge(s, type=None),
    "refresh type": lambda s: forge(s, type="refresh", fam="x"),
    "sub not a string": lambda s: forge(s, sub=123),
    "unknown user": lambda s: forge(s, sub="ghost"),
    "empty": lambda s: "",
    "garbage": lambda s: "not.a.jwt",
    "an API key as a token": lambda s: "ka_" + secrets.token_urlsafe(32),
}


@pytest.mark.parametrize("name", list(FORGERIES))
def test_forged_tokens_are_refused(shared: Shared, name: str) -> None:
    response = shared.client.get(ME, headers=as_bearer(FORGERIES[name](shared.settings)))
    if name == "empty":  # "Bearer " with nothing: no credentials at all
        envelope(response, 401, "not_authenticated")
    else:
        envelope(response, 401, "invalid_token")
    assert response.headers["www-authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "changes",
    [{"sub": "root"}, {"scopes": "translate documents keys admin"}, {"exp": 4102444800}],
    ids=["other sub", "admin scope", "longer life"],
)
def test_a_tampered_payload_with_the_old_signature_is_refused(
    shared: Shared, changes: dict
) -> None:
    client = shared.client
    token = shared.alice["Authorization"].removeprefix("Bearer ")
    assert client.get(ME, headers=as_bearer(token)).status_code == 200
    tampered = with_payload(token, **changes)
    assert tampered != token
    envelope(client.get(ME, headers=as_bearer(tampered)), 401, "invalid_token")
    envelope(client.get("/api/v1/admin/users", headers=as_bearer(tampered)), 401, "invalid_token")


def test_scopes_in_a_token_never_exceed_the_account(shared: Shared) -> None:
    """Even a validly signed token claiming admin gets only what the account holds."""
    token = as_bearer(forge(shared.settings, scopes="translate documents keys admin"))
    assert shared.client.get(ME, headers=token).status_code == 200
    envelope(shared.client.get("/api/v1/admin/users", headers=token), 403, "insufficient_scope")


def test_a_refresh_token_is_not_an_access_token(alice: TestClient) -> None:
    tokens = sign_in(alice, "alice")
    envelope(alice.get(ME, headers=as_bearer(tokens["refresh_token"])), 401, "invalid_token")
    response = alice.post("/api/v1/auth/refresh", json={"refresh_token": tokens["access_token"]})
    envelope(response, 401, "invalid_token")
    # neither was spent by the attempts
    assert alice.get(ME, headers=as_bearer(tokens["access_token"])).status_code == 200
    again = alice.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.status_code == 200


def test_a_forged_refresh_token_is_refused(alice: TestClient, settings: Settings) -> None:
    """Validly signed but never issued (not in the database)."""
    token = forge(settings, type="refresh", fam="made-up")
    envelope(alice.post("/api/v1/auth/refresh", json={"refresh_token": token}), 401)
    other = forge(settings, secret=secrets.token_urlsafe(48), type="refresh", fam="x")
    envelope(alice.post("/api/v1/auth/refresh", json={"refresh_token": other}), 401)


def test_reusing_a_refresh_token_revokes_the_whole_family(alice: TestClient) -> None:
    first = sign_in(alice, "alice")
    unrelated = sign_in(alice, "alice")  # another device, another family
    rotated = alice.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert rotated.status_code == 200
    second = rotated.json()

    reuse = alice.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    envelope(reuse, 401, "invalid_token")
    assert reuse.headers["www-authenticate"] == "Bearer"
    newer = alice.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    envelope(newer, 401, "invalid_token")

    survivor = alice.post(
        "/api/v1/auth/refresh", json={"refresh_token": unrelated["refresh_token"]}
    )
    assert survivor.status_code == 200


# API keys


def _expire(client: TestClient, key_id: int) -> None:
    with client.app.state.db.session() as session:
        session.execute(
            update(APIKey)
            .where(APIKey.id == key_id)
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )


def test_revoked_expired_and_disabled_owner_keys_are_refused(alice: TestClient) -> None:
    user = bearer(alice, "alice")
    revoked, expired, orphan = (new_key(alice, user) for _ in range(3))
    for key in (revoked, expired, orphan):
        assert alice.get(ME, headers={"X-API-Key": key["key"]}).status_code == 200

    assert alice.delete(f"/api/v1/keys/{revoked['id']}", headers=user).status_code == 204
    _expire(alice, expired["id"])
    for key in (revoked, expired):
        for path in (ME, "/api/v1/keys"):
            response = alice.get(path, headers={"X-API-Key": key["key"]})
            envelope(response, 401, "invalid_api_key")
            assert response.headers["www-authenticate"] == "Bearer"
        response = alice.post(
            "/api/v1/translate", json=TRANSLATE, headers={"X-API-Key": key["key"]}
        )
        envelope(response, 401, "invalid_api_key")

    admin = bearer(alice, "root")
    assert alice.get(ME, headers={"X-API-Key": orphan["key"]}).status_code == 200
    patched = alice.patch("/api/v1/admin/users/alice", json={"disabled": True}, headers=admin)
    assert patched.status_code == 200
    envelope(alice.get(ME, headers={"X-API-Key": orphan["key"]}), 401, "invalid_api_key")


@pytest.mark.parametrize(
    "value",
    [
        "ka_" + "A" * 43,
        "ka_",
        "ka_" + "x" * 5000,
        "kb_" + "A" * 43,
        "ka_\u00e9" * 10,
        "' OR 1=1 --",
    ],
    ids=["unknown", "prefix only", "huge", "wrong prefix", "non-ascii", "sql"],
)
def test_made_up_api_keys_are_refused(shared: Shared, value: str) -> None:
    response = shared.client.get(ME, headers={"X-API-Key": value.encode("utf-8")})
    envelope(response, 401, "invalid_api_key")


def test_a_key_loses_translate_when_the_owner_does(alice: TestClient) -> None:
    key = new_key(alice, bearer(alice, "alice"))
    headers = {"X-API-Key": key["key"]}
    assert alice.post("/api/v1/translate", json=TRANSLATE, headers=headers).status_code == 200
    patched = alice.patch(
        "/api/v1/admin/users/alice",
        json={"scopes": ["documents", "keys"]},
        headers=bearer(alice, "root"),
    )
    assert patched.status_code == 200
    response = alice.post("/api/v1/translate", json=TRANSLATE, headers=headers)
    envelope(response, 403, "insufficient_scope")
    assert alice.get("/api/v1/keys", headers=headers).status_code == 200  # the rest remains


def test_revoking_another_users_key_looks_like_not_found(alice: TestClient) -> None:
    make_user(alice.app, "mallory")
    victim = new_key(alice, bearer(alice, "alice"))
    mallory = bearer(alice, "mallory")
    mallory_key = new_key(alice, mallory)

    envelope(alice.delete(f"/api/v1/keys/{victim['id']}", headers=mallory), 404, "not_found")
    missing = alice.delete("/api/v1/keys/999999", headers=mallory)
    assert (
        missing.json()["error"]["message"]
        == envelope(alice.delete(f"/api/v1/keys/{victim['id']}", headers=mallory), 404)["message"]
    )
    via_key = alice.delete(
        f"/api/v1/keys/{victim['id']}", headers={"X-API-Key": mallory_key["key"]}
    )
    envelope(via_key, 404, "not_found")

    assert alice.get(ME, headers={"X-API-Key": victim["key"]}).json()["username"] == "alice"
    listed = alice.get("/api/v1/keys", headers=mallory).json()
    assert [k["id"] for k in listed] == [mallory_key["id"]]


def test_keys_cannot_exceed_their_owner_or_their_creator(alice: TestClient) -> None:
    make_user(alice.app, "limited", scopes=["translate", "keys"])
    limited = bearer(alice, "limited")
    for scopes in (["documents"], ["admin"], ["translate", "admin"]):
        response = alice.post("/api/v1/keys", json={"name": "k", "scopes": scopes}, headers=limited)
        envelope(response, 403, "scope_not_allowed")
    unknown = alice.post("/api/v1/keys", json={"name": "k", "scopes": ["root"]}, headers=limited)
    assert 400 <= unknown.status_code < 500
    envelope(unknown, unknown.status_code)

    keys_only = new_key(alice, limited, scopes=["keys"])
    with_key = {"X-API-Key": keys_only["key"]}
    escalate = alice.post(
        "/api/v1/keys", json={"name": "k2", "scopes": ["translate"]}, headers=with_key
    )
    envelope(escalate, 403, "scope_not_allowed")
    # a key never passes 'keys' on, so a keys-only key has nothing left to give
    envelope(alice.post("/api/v1/keys", json={"name": "k3"}, headers=with_key), 422)
    assert len(alice.get("/api/v1/keys", headers=limited).json()) == 1

    admin_key = new_key(alice, bearer(alice, "alice"))
    assert "admin" not in admin_key["scopes"]


def test_an_api_key_cannot_change_the_password(alice: TestClient) -> None:
    key = new_key(alice, bearer(alice, "alice"))
    response = alice.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "stolen key new password"},
        headers={"X-API-Key": key["key"]},
    )
    envelope(response, 403, "session_required")
    assert sign_in(alice, "alice")


# administration


ADMIN_CALLS = [
    ("get", "/api/v1/admin/users", None),
    ("patch", "/api/v1/admin/users/alice", {"role": "admin"}),
    ("patch", "/api/v1/admin/users/root", {"disabled": True}),
    ("delete", "/api/v1/admin/keys/1", None),
    ("post", "/api/v1/admin/invites", {}),
    ("post", "/api/v1/admin/users/alice/limits/reset", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS)
def test_admin_routes_refuse_ordinary_users(
    shared: Shared, method: str, path: str, body: dict | None
) -> None:
    client = shared.client
    for headers in (shared.alice, shared.key):
        response = client.request(method, path, json=body, headers=headers)
        envelope(response, 403, "insufficient_scope")
    anonymous = client.request(method, path, json=body)
    envelope(anonymous, 401, "not_authenticated")
    assert anonymous.headers["www-authenticate"] == "Bearer"
    me = client.get(ME, headers=shared.alice).json()
    assert me["role"] == "user" and "admin" not in me["scopes"]
    assert client.get(ME, headers=shared.root).json()["disabled"] is False
    assert client.get("/api/v1/admin/users", headers=shared.root).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Basic YWxpY2U6cGFzc3dvcmQ="},
        {"Authorization": "Bearer"},
        {"Authorization": "bearer "},
        {"Authorization": ""},
    ],
    ids=["basic", "bearer without token", "lowercase empty", "empty"],
)
def test_other_authorization_schemes_are_not_credentials(
    shared: Shared, headers: dict[str, str]
) -> None:
    response = shared.client.get("/api/v1/admin/users", headers=headers)
    envelope(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


# login throttling


@pytest.fixture
def throttled(settings: Settings) -> Iterator[TestClient]:
    with TestClient(
        create_app(derive(settings, login_max_failures_per_user=3)),
        raise_server_exceptions=False,
    ) as test_client:
        make_user(test_client.app, "alice")
        make_user(test_client.app, "bob")
        yield test_client


def test_unknown_user_and_wrong_password_look_the_same(throttled: TestClient) -> None:
    unknown = login(throttled, "nobody-here", "whatever password")
    wrong = login(throttled, "alice", "whatever password")
    first, second = envelope(unknown, 401), envelope(wrong, 401)
    assert (first["code"], first["message"]) == (second["code"], second["message"])
    assert first["code"] == "invalid_credentials"
    assert unknown.headers["www-authenticate"] == wrong.headers["www-authenticate"]
    assert unknown.content.replace(first["request_id"].encode(), b"") == wrong.content.replace(
        second["request_id"].encode(), b""
    )


def test_failed_logins_lock_the_username_even_for_the_right_password(
    throttled: TestClient,
) -> None:
    for _ in range(3):
        envelope(login(throttled, "alice", "wrong password here"), 401, "invalid_credentials")
    for attempt in ("wrong password here", PASSWORD):
        locked = login(throttled, "alice", attempt)
        envelope(locked, 429, "too_many_attempts")
        assert 1 <= int(locked.headers["retry-after"]) <= 900
        assert "access_token" not in locked.text
    envelope(login(throttled, "ALICE", PASSWORD), 429)  # the lock ignores case
    assert sign_in(throttled, "bob")  # the same IP may still sign in as someone else


def test_a_success_clears_the_username_count(throttled: TestClient) -> None:
    for _ in range(2):
        envelope(login(throttled, "alice", "wrong password here"), 401)
    assert sign_in(throttled, "alice")
    for _ in range(2):
        envelope(login(throttled, "alice", "wrong password here"), 401)
    assert sign_in(throttled, "alice")


@pytest.mark.parametrize("through_redis", [True, False], ids=["redis", "memory"])
def test_the_lock_is_shared_between_instances_through_redis(
    request: pytest.FixtureRequest, settings: Settings, through_redis: bool
) -> None:
    changes: dict[str, object] = {"login_max_failures_per_user": 3}
    if through_redis:
        server = request.getfixturevalue("redis_server")
        with redis.Redis.from_url(server.url) as direct:
            direct.flushdb()
        changes["redis_url"] = server.url
    configured = derive(settings, **changes)
    username = f"u{uuid.uuid4().hex[:10]}"
    with (
        TestClient(create_app(configured), raise_server_exceptions=False) as first,
        TestClient(create_app(configured), raise_server_exceptions=False) as second,
    ):
        make_user(first.app, username)
        for _ in range(3):
            envelope(login(first, username, "wrong password here"), 401)
        envelope(login(first, username, PASSWORD), 429, "too_many_attempts")
        other = login(second, username, PASSWORD)
        if through_redis:
            envelope(other, 429, "too_many_attempts")
            assert int(other.headers["retry-after"]) >= 1
            with redis.Redis.from_url(server.url) as direct:
                stored = direct.hget(f"kreyol:login:account:{username}", "all")
            assert int(stored) == 3
        else:  # without Redis each process counts alone (the control for the Redis case)
            assert other.status_code == 200


def test_x_forwarded_for_is_ignored_from_untrusted_peers(settings: Settings) -> None:
    configured = derive(settings, login_max_failures_per_ip=3, login_max_failures_per_user=100)
    assert configured.trusted_proxies == []
    with TestClient(create_app(configured), raise_server_exceptions=False) as client:
        make_user(client.app, "alice")
        for i in range(3):
            spoofed = {"X-Forwarded-For": f"203.0.113.{i}", "X-Real-IP": f"198.51.100.{i}"}
            envelope(login(client, f"user{i}", "wrong password here", **spoofed), 401)
        locked = login(client, "alice", PASSWORD, **{"X-Forwarded-For": "192.0.2.99"})
        envelope(locked, 429, "too_many_attempts")
        assert "retry-after" in locked.headers


def test_x_forwarded_for_is_honoured_only_behind_a_trusted_proxy(settings: Settings) -> None:
    """The control: behind a trusted proxy the forwarded address is the one counted."""
    configured = derive(
        settings,
        login_max_failures_per_ip=3,
        login_max_failures_per_user=100,
        trusted_proxies=["10.0.0.0/8"],
    )
    app = create_app(configured)
    with TestClient(app, raise_server_exceptions=False, client=("10.1.2.3", 40000)) as proxied:
        make_user(app, "alice")
        for i in range(4):  # four different clients: nobody reaches three failures
            envelope(login(proxied, f"u{i}", "wrong", **{"X-Forwarded-For": f"203.0.113.{i}"}), 401)
        # a client prepending made-up hops is still counted by the hop the proxy added
        for i in range(3):
            chain = {"X-Forwarded-For": f"198.51.100.{i}, 192.0.2.7"}
            envelope(login(proxied, f"v{i}", "wrong", **chain), 401)
        locked = login(proxied, "alice", PASSWORD, **{"X-Forwarded-For": "1.1.1.1, 192.0.2.7"})
        envelope(locked, 429, "too_many_attempts")
        fine = login(proxied, "alice", PASSWORD, **{"X-Forwarded-For": "203.0.113.50"})
        assert fine.status_code == 200


# secrets never leak


def test_secrets_never_reach_the_logs(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    new_password = "another secret phrase 77"
    with TestClient(
        create_app(derive(settings, log_level="DEBUG")), raise_server_exceptions=False
    ) as client:
        caplog.set_level(logging.DEBUG)
        caplog.set_level(logging.DEBUG, logger="httpx")
        registered = client.post(
            "/api/v1/auth/register",
            json={"username": "alice", "email": "alice@example.org", "password": PASSWORD},
        )
        assert registered.status_code == 201
        envelope(login(client, "alice", "a wrong guess of a password"), 401)
        tokens = sign_in(client, "alice")
        headers = as_bearer(tokens["access_token"])
        key = new_key(client, headers)
        assert (
            client.post(
                "/api/v1/translate", json=TRANSLATE, headers={"X-API-Key": key["key"]}
            ).status_code
            == 200
        )
        refreshed = client.post(
            "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        ).json()
        envelope(
            client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}),
            401,
        )
        # the reuse ended the session, the winner's new access token included
        envelope(client.get("/api/v1/users/me", headers=as_bearer(refreshed["access_token"])), 401)
        changed = client.post(
            "/api/v1/users/me/password",
            json={"current_password": PASSWORD, "new_password": new_password},
            headers=as_bearer(sign_in(client, "alice")["access_token"]),
        )
        assert changed.status_code == 204
        too_long = client.post(
            "/api/v1/users/me/password",
            json={"current_password": new_password, "new_password": "p" * 200 + PASSWORD},
            headers=as_bearer(sign_in(client, "alice", new_password)["access_token"]),
        )
        envelope(too_long, 422, "validation_error")
        assert PASSWORD not in too_long.text and new_password not in too_long.text
        with client.app.state.db.session() as session:
            key_hash = session.scalar(select(APIKey.hashed_key))
            password_hash = session.get(User, "alice").hashed_password

    assert caplog.records, "nothing was captured: the check below would prove nothing"
    assert any("/api/v1/auth/token" in r.getMessage() for r in caplog.records)
    leaks = [
        PASSWORD,
        new_password,
        "a wrong guess of a password",
        key["key"],
        key["key"][3:],
        key_hash,
        password_hash,
        tokens["access_token"],
        tokens["refresh_token"],
        refreshed["access_token"],
        refreshed["refresh_token"],
    ]
    for record in caplog.records:
        text = " ".join(
            [record.getMessage(), repr(record.args), record.exc_text or "", str(record.__dict__)]
        )
        for secret in leaks:
            assert secret not in text, f"{record.name}: {record.getMessage()[:120]}"
    for secret in leaks:
        assert secret not in caplog.text


def test_no_response_shows_a_key_or_a_hash_after_creation(alice: TestClient) -> None:
    user = bearer(alice, "alice")
    admin = bearer(alice, "root")
    key = new_key(alice, user)
    with alice.app.state.db.session() as session:
        key_hash = session.scalar(select(APIKey.hashed_key).where(APIKey.id == key["id"]))
    assert key_hash and key_hash != key["key"]
    responses = [
        alice.get("/api/v1/keys", headers=user),
        alice.get("/api/v1/keys", headers={"X-API-Key": key["key"]}),
        alice.get(ME, headers=user),
        alice.get(ME, headers={"X-API-Key": key["key"]}),
        alice.get("/api/v1/admin/users", headers=admin),
        alice.patch("/api/v1/admin/users/alice", json={"tier": "basic"}, headers=admin),
    ]
    for response in responses:
        assert response.status_code == 200, response.text
        for secret in (key["key"], key["key"][11:], key_hash, "$argon2", "$2b$", PASSWORD):
            assert secret not in response.text
        assert "hashed" not in response.text


# malformed input


def test_oversize_passwords_are_refused(shared: Shared) -> None:
    client = shared.client
    huge = "Zq9!" * 40  # 160 characters
    response = client.post(
        "/api/v1/auth/register",
        json={"username": "bigpass", "email": "bigpass@example.org", "password": huge},
    )
    envelope(response, 422, "validation_error")
    assert huge not in response.text
    changed = client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": huge},
        headers=shared.alice,
    )
    envelope(changed, 422, "validation_error")
    signin = login(client, "alice", huge)
    envelope(signin, signin.status_code)
    assert 400 <= signin.status_code < 500
    assert sign_in(client, "alice")


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("/api/v1/auth/register", b"username=alice&password=x"),
        ("/api/v1/auth/register", b'{"username": "a",'),
        ("/api/v1/auth/refresh", b"\xff\xfe not utf-8"),
        ("/api/v1/keys", b"[[[[[[[[[["),
    ],
)
def test_non_json_bodies_are_refused(shared: Shared, path: str, content: bytes) -> None:
    response = shared.client.post(
        path, content=content, headers={"Content-Type": "application/json", **shared.alice}
    )
    envelope(response, 422, "malformed_json")


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x" * 10_000},
        {"name": ""},
        {"name": "k", "expires_in_days": 0},
        {"name": "k", "expires_in_days": 10**9},
        {"name": "k", "scopes": "translate"},
        {"name": "k", "owner": "root"},
    ],
    ids=["huge name", "empty name", "zero days", "huge days", "scopes not a list", "extra"],
)
def test_bad_key_requests_are_refused(shared: Shared, body: dict) -> None:
    client = shared.client
    before = client.get("/api/v1/keys", headers=shared.alice).json()
    response = client.post("/api/v1/keys", json=body, headers=shared.alice)
    envelope(response, 422, "validation_error")
    assert client.get("/api/v1/keys", headers=shared.alice).json() == before


@pytest.mark.parametrize(
    "extra", [{"role": "admin"}, {"scopes": ["admin"]}, {"tier": "enterprise"}, {"disabled": False}]
)
def test_registration_ignores_no_privileged_field(shared: Shared, extra: dict) -> None:
    body = {"username": "sneaky", "email": "sneaky@example.org", "password": PASSWORD, **extra}
    envelope(shared.client.post("/api/v1/auth/register", json=body), 422, "validation_error")
    listed = shared.client.get("/api/v1/admin/users", headers=shared.root).json()
    assert "sneaky" not in [user["username"] for user in listed]


@pytest.mark.parametrize("key_id", ["abc", "1.5", "1e3", "%00", "-"])
def test_bad_key_ids_are_refused(shared: Shared, key_id: str) -> None:
    client = shared.client
    response = client.delete(f"/api/v1/keys/{key_id}", headers=shared.alice)
    envelope(response, 422, "validation_error")
    response = client.delete(f"/api/v1/admin/keys/{key_id}", headers=shared.root)
    envelope(response, 422, "validation_error")


@pytest.mark.parametrize("path", ["/api/v1/keys/{}", "/api/v1/admin/keys/{}"])
def test_out_of_range_key_ids_are_refused_without_a_server_error(shared: Shared, path: str) -> None:
    """Ids beyond 64 bits once reached SQLite (OverflowError → 500)."""
    headers = shared.root
    for key_id in (0, -1, 2**63, 10**30):
        response = shared.client.delete(path.format(key_id), headers=headers)
        assert 400 <= response.status_code < 500, response.text
        assert envelope(response, response.status_code)["code"] in {
            "not_found",
            "validation_error",
        }
    envelope(shared.client.delete(path.format(2**63 - 1), headers=headers), 404, "not_found")


def test_malformed_sign_in_forms_are_refused(shared: Shared) -> None:
    client = shared.client
    envelope(client.post("/api/v1/auth/token", data={"username": "alice"}), 422)
    envelope(
        client.post("/api/v1/auth/token", json={"username": "alice", "password": PASSWORD}), 422
    )
    envelope(
        client.post(
            "/api/v1/auth/token",
            data={"username": "alice", "password": PASSWORD, "grant_type": "client_credentials"},
        ),
        422,
    )


@pytest.fixture(scope="module")
def on_postgres(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The API over a fresh PostgreSQL database, with alice signed in."""
    url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    migrate.upgrade(url)
    configured = Settings(data_dir=tmp_path_factory.mktemp("pg"), database_url=url, _env_file=None)
    with TestClient(create_app(configured), raise_server_exceptions=False) as client:
        make_user(client.app, "alice")
        yield client, bearer(client, "alice")


NUL_INPUTS = {
    "sign-in username": (
        "/api/v1/auth/token",
        {"data": {"username": "al\x00ice", "password": PASSWORD}},
        401,
    ),
    "register full name": (
        "/api/v1/auth/register",
        {
            "json": {
                "username": "nul",
                "email": "nul@example.org",
                "password": PASSWORD,
                "full_name": "N\x00",
            }
        },
        422,
    ),
    "key name": ("/api/v1/keys", {"json": {"name": "n\x00l"}}, 422),
}


@pytest.mark.parametrize("case", list(NUL_INPUTS))
def test_nul_characters_are_a_client_error_on_postgres(on_postgres, case: str) -> None:
    client, headers = on_postgres
    path, body, refusal = NUL_INPUTS[case]
    response = client.post(path, headers=headers, **body)
    assert response.status_code < 500, response.text  # refused (or accepted), never a 5xx
    if response.status_code >= 400:
        assert response.status_code in {refusal, 422}
        envelope(response, response.status_code)
    assert client.get(ME, headers=headers).status_code == 200  # the database is fine
