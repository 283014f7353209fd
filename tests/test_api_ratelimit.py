"""Rate limits over HTTP: headers, costs, 429s, tiers, resets, usage, client IPs, shared Redis."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from tests.conftest import PASSWORD, bearer, derive, make_user
from tests.servers import free_port

SENTENCE = "Good morning, how are you? "
FREE_POLICY = "10;w=60, 100;w=3600, 1000;w=86400"
HEADER_NAMES = ("Limit", "Remaining", "Reset")


def text_of(length: int) -> str:
    return (SENTENCE * (length // len(SENTENCE) + 1))[:length]


def translate(client: TestClient, text: str | list[str], **kwargs: object):
    return client.post(
        "/api/v1/translate", json={"text": text, "source": "en", "target": "ht"}, **kwargs
    )


def detect(client: TestClient, **kwargs: object):
    return client.post("/api/v1/detect", json={"text": "Bonjou, kijan ou ye?"}, **kwargs)


def remaining(response) -> int:
    return int(response.headers["RateLimit-Remaining"])


def assert_limited(response, window: str = "minute", left: int = 0) -> None:
    assert response.status_code == 429, response.text
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert remaining(response) == left
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert error["details"]["limit"] == window


def sign_in(client: TestClient, username: str):
    return client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})


@pytest.fixture
def admin(auth_client: TestClient) -> dict[str, str]:
    """An administrator's Authorization header, in the same app as alice."""
    make_user(auth_client.app, "root", role="admin")
    return bearer(auth_client, "root")


@pytest.fixture
def anonymous_app(settings: Settings):
    return create_app(derive(settings, allow_anonymous=True))


# headers and costs


@pytest.mark.parametrize("call", [translate, detect], ids=["translate", "detect"])
def test_rate_limit_headers_on_translation_routes(auth_client: TestClient, call) -> None:
    first = call(auth_client, "Good morning") if call is translate else call(auth_client)
    assert first.status_code == 200, first.text
    headers = first.headers
    assert headers["RateLimit-Limit"] == "10"
    assert headers["RateLimit-Remaining"] == "9"
    assert 1 <= int(headers["RateLimit-Reset"]) <= 60
    assert headers["RateLimit-Policy"] == FREE_POLICY
    for name in HEADER_NAMES:
        assert headers[f"X-RateLimit-{name}"] == headers[f"RateLimit-{name}"]
    second = call(auth_client, "Good morning") if call is translate else call(auth_client)
    assert remaining(second) == 8


def test_remaining_decreases_by_the_request_cost(auth_client: TestClient) -> None:
    long = translate(auth_client, text_of(2500))  # 1 + 2500 // 1000 = 3
    assert long.status_code == 200, long.text
    assert long.json()["characters"] == 2500
    assert remaining(long) == 7
    just_under = translate(auth_client, text_of(999))  # 1
    assert remaining(just_under) == 6
    at_boundary = translate(auth_client, text_of(1000))  # 2
    assert remaining(at_boundary) == 4
    batch = translate(auth_client, [text_of(600), text_of(600)])  # 1 + 1200 // 1000 = 2
    assert batch.status_code == 200, batch.text
    assert remaining(batch) == 2
    assert remaining(detect(auth_client)) == 1
    usage = auth_client.get("/api/v1/usage").json()
    assert usage["windows"]["minute"]["used"] == 9
    assert usage["windows"]["hour"]["used"] == 9


def test_a_costly_request_that_does_not_fit_is_refused_while_a_cheaper_one_fits(
    auth_client: TestClient,
) -> None:
    assert remaining(translate(auth_client, text_of(2500))) == 7
    assert remaining(translate(auth_client, text_of(2500))) == 4
    assert_limited(translate(auth_client, text_of(4000)), left=4)  # cost 5 > 4 left
    assert remaining(translate(auth_client, text_of(3000))) == 0  # cost 4 still fits


def test_a_request_costing_more_than_a_minute_allows_is_413_not_capped(
    auth_client: TestClient,
) -> None:
    refused = translate(auth_client, [text_of(6000), text_of(6000)])  # 13 units > 10 a minute
    assert refused.status_code == 413, refused.text
    error = refused.json()["error"]
    assert error["code"] == "request_too_large"
    assert error["details"] == {"cost": 13, "max_cost": 10, "max_characters": 9999}
    assert auth_client.get("/api/v1/usage").json()["windows"]["minute"]["used"] == 0
    largest = translate(auth_client, text_of(9999))  # 10 units: the whole minute, and no more
    assert largest.status_code == 200, largest.text
    assert remaining(largest) == 0


def test_after_the_free_minute_limit_the_next_request_is_refused(auth_client: TestClient) -> None:
    for _ in range(2):
        assert translate(auth_client, "Good morning").status_code == 200
    for _ in range(8):
        assert detect(auth_client).status_code == 200
    before = auth_client.get("/api/v1/usage").json()
    assert before["today"] == {"requests": 2, "characters": 24}
    refused = translate(auth_client, "Thank you very much")
    assert_limited(refused)
    assert refused.headers["RateLimit-Limit"] == "10"
    assert "translations" not in refused.json()
    assert_limited(detect(auth_client))
    after = auth_client.get("/api/v1/usage").json()
    assert after["today"] == before["today"]  # nothing was translated for the refused request
    assert after["windows"]["minute"]["used"] == 10


# administration


def test_moving_a_user_to_pro_raises_the_limit_at_once(
    auth_client: TestClient, admin: dict[str, str]
) -> None:
    for _ in range(10):
        detect(auth_client)
    assert_limited(detect(auth_client))
    changed = auth_client.patch("/api/v1/admin/users/alice", json={"tier": "pro"}, headers=admin)
    assert changed.status_code == 200, changed.text
    response = detect(auth_client)
    assert response.status_code == 200, response.text
    assert response.headers["RateLimit-Limit"] == "60"
    assert remaining(response) == 49
    assert response.headers["RateLimit-Policy"] == "60;w=60, 2000;w=3600, 20000;w=86400"
    usage = auth_client.get("/api/v1/usage").json()
    assert usage["tier"] == "pro"
    assert usage["windows"]["minute"]["limit"] == 60


def test_an_admin_resets_a_user_windows(auth_client: TestClient, admin: dict[str, str]) -> None:
    for _ in range(10):
        detect(auth_client)
    assert_limited(detect(auth_client))
    forbidden = auth_client.post("/api/v1/admin/users/alice/limits/reset")
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "insufficient_scope"
    assert_limited(detect(auth_client))  # the refused reset changed nothing
    missing = auth_client.post("/api/v1/admin/users/nobody/limits/reset", headers=admin)
    assert missing.status_code == 404
    done = auth_client.post("/api/v1/admin/users/alice/limits/reset", headers=admin)
    assert done.status_code == 204
    usage = auth_client.get("/api/v1/usage").json()["windows"]
    assert {name: window["used"] for name, window in usage.items()} == {
        "minute": 0,
        "hour": 0,
        "day": 0,
    }
    response = detect(auth_client)
    assert response.status_code == 200
    assert remaining(response) == 9


# the caller's usage


def test_usage_shows_windows_tier_and_totals_without_charging(auth_client: TestClient) -> None:
    assert translate(auth_client, text_of(1500)).status_code == 200
    assert translate(auth_client, "Good morning").status_code == 200
    for _ in range(20):
        usage = auth_client.get("/api/v1/usage")
        assert usage.status_code == 200
    body = usage.json()
    assert body["username"] == "alice"
    assert body["tier"] == "free"
    assert {name: (w["limit"], w["used"]) for name, w in body["windows"].items()} == {
        "minute": (10, 3),
        "hour": (100, 3),
        "day": (1000, 3),
    }
    assert body["windows"]["minute"]["remaining"] == 7
    assert 1 <= body["windows"]["minute"]["reset"] <= 60
    assert body["today"] == {"requests": 2, "characters": 1512}
    assert body["month"] == body["today"]
    assert remaining(detect(auth_client)) == 6


def test_usage_needs_a_signed_in_caller(client: TestClient) -> None:
    response = client.get("/api/v1/usage")
    assert response.status_code == 401
    assert "RateLimit-Limit" not in response.headers


# anonymous callers and client addresses


def test_anonymous_callers_are_limited_per_ip_with_the_free_tier(anonymous_app) -> None:
    with TestClient(anonymous_app) as anonymous:
        first = translate(anonymous, "Good morning")
        assert first.status_code == 200, first.text
        assert first.headers["RateLimit-Policy"] == FREE_POLICY
        assert remaining(first) == 9
        for _ in range(9):
            assert detect(anonymous).status_code == 200
        assert_limited(detect(anonymous))
        spoofed = detect(anonymous, headers={"X-Forwarded-For": "203.0.113.7"})
        assert_limited(spoofed)  # no trusted proxy: the header is ignored
        other_peer = TestClient(anonymous_app, client=("198.51.100.4", 40000))
        assert remaining(detect(other_peer)) == 9
        make_user(anonymous_app, "alice")
        signed_in = detect(anonymous, headers=bearer(anonymous, "alice"))
        assert signed_in.status_code == 200  # users are limited as users, not by address
        assert remaining(signed_in) == 9


def test_forwarded_for_is_ignored_for_a_non_ip_peer_even_when_everything_is_trusted(
    settings: Settings,
) -> None:
    """TestClient's peer is "testclient": not an address, so never a trusted proxy."""
    app = create_app(derive(settings, allow_anonymous=True, trusted_proxies=["0.0.0.0/0", "::/0"]))
    with TestClient(app) as anonymous:
        for index in range(10):
            response = detect(anonymous, headers={"X-Forwarded-For": f"203.0.113.{index}"})
            assert response.status_code == 200
        assert_limited(detect(anonymous, headers={"X-Forwarded-For": "203.0.113.200"}))


def test_forwarded_for_is_honoured_only_from_a_trusted_peer(settings: Settings) -> None:
    app = create_app(derive(settings, allow_anonymous=True, trusted_proxies=["10.0.0.0/8"]))
    proxy = TestClient(app, client=("10.1.2.3", 40000))
    for _ in range(10):
        assert detect(proxy, headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 200
    assert_limited(detect(proxy, headers={"X-Forwarded-For": "203.0.113.1"}))
    # a different client behind the same proxy has its own windows
    assert remaining(detect(proxy, headers={"X-Forwarded-For": "203.0.113.2"})) == 9
    # a spoofed left-most hop does not help: the right-most untrusted hop is the client
    spoofed = detect(proxy, headers={"X-Forwarded-For": "203.0.113.2, 203.0.113.1"})
    assert_limited(spoofed)
    # the proxy itself, without the header, is one more client
    assert remaining(detect(proxy)) == 9
    untrusted = TestClient(app, client=("192.0.2.10", 40000))
    for _ in range(10):
        assert detect(untrusted, headers={"X-Forwarded-For": "203.0.113.3"}).status_code == 200
    assert_limited(detect(untrusted, headers={"X-Forwarded-For": "203.0.113.99"}))
    assert remaining(detect(proxy, headers={"X-Forwarded-For": "203.0.113.3"})) == 9


# sign-in and sign-up


def test_sign_in_has_its_own_per_ip_limit(settings: Settings) -> None:
    app = create_app(derive(settings, auth_rate_per_minute=3))
    make_user(app, "alice")
    with TestClient(app) as web:
        token = sign_in(web, "alice")
        assert token.status_code == 200
        wrong = web.post("/api/v1/auth/token", data={"username": "alice", "password": "nope"})
        assert wrong.status_code == 401
        assert sign_in(web, "alice").status_code == 200
        refused = sign_in(web, "alice")  # the right password, but the 4th attempt this minute
        assert_limited(refused)
        assert "access_token" not in refused.json()
        register = web.post(
            "/api/v1/auth/register",
            json={"username": "bob", "email": "bob@example.org", "password": PASSWORD},
        )
        assert_limited(register)
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        assert remaining(detect(web, headers=headers)) == 9  # a separate budget
    elsewhere = TestClient(app, client=("198.51.100.9", 40000))
    assert sign_in(elsewhere, "alice").status_code == 200


# several processes sharing one Redis


@pytest.fixture
def shared_settings(settings: Settings, redis_server) -> Settings:
    return derive(settings, redis_url=redis_server.url, auth_rate_per_minute=1000)


def test_two_app_instances_sharing_redis_share_a_user_windows(shared_settings: Settings) -> None:
    first_app, second_app = create_app(shared_settings), create_app(shared_settings)
    username = f"u{uuid.uuid4().hex[:12]}"
    make_user(first_app, username)
    # a peer of its own, so the shared sign-in window of other tests' "testclient" is untouched
    peer = (f"198.18.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}", 40000)
    with (
        TestClient(first_app, client=peer) as first,
        TestClient(second_app, client=peer) as second,
    ):
        headers = bearer(first, username)
        for _ in range(6):
            assert detect(first, headers=headers).status_code == 200
        answers = [detect(second, headers=headers) for _ in range(4)]
        assert [remaining(a) for a in answers] == [3, 2, 1, 0]
        assert_limited(detect(first, headers=headers))
        assert_limited(detect(second, headers=headers))
        usage = second.get("/api/v1/usage", headers=headers).json()
        assert usage["windows"]["minute"]["used"] == 10
        make_user(first_app, "root", role="admin")
        reset = first.post(
            f"/api/v1/admin/users/{username}/limits/reset", headers=bearer(first, "root")
        )
        assert reset.status_code == 204
        assert remaining(detect(second, headers=headers)) == 9


def test_an_unreachable_redis_degrades_to_memory_without_errors(settings: Settings) -> None:
    before = REGISTRY.get_sample_value("kreyol_ratelimit_fallbacks_total") or 0.0
    dead = derive(settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    app = create_app(dead)
    make_user(app, "carol")
    with TestClient(app, raise_server_exceptions=False) as web:
        headers = bearer(web, "carol")
        answers = [detect(web, headers=headers) for _ in range(11)]
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert remaining(answers[9]) == 0
    assert (REGISTRY.get_sample_value("kreyol_ratelimit_fallbacks_total") or 0.0) == before + 1


# metrics


def test_metrics_answer_in_the_prometheus_text_format(client: TestClient) -> None:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    fallbacks = families["kreyol_ratelimit_fallbacks"]
    assert fallbacks.type == "counter"
    (sample,) = [s for s in fallbacks.samples if s.name == "kreyol_ratelimit_fallbacks_total"]
    assert sample.value == REGISTRY.get_sample_value("kreyol_ratelimit_fallbacks_total")
