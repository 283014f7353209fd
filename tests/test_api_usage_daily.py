"""Usage per day (zero-filled, own rows only) and the request-size and reset fields of /usage."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from kreyol_ia.db import DatabaseManager, UsageStat
from kreyol_ia.db.clock import utcnow
from tests.conftest import bearer, make_user


def add_usage(db: DatabaseManager, day: date, endpoint: str, user: str, req: int, chars: int):
    """A usage row on any day (record_usage only writes today's)."""
    with db.session() as session:
        session.add(
            UsageStat(date=day, endpoint=endpoint, username=user, requests=req, characters=chars)
        )


def test_usage_by_day_groups_endpoints_per_day_on_each_backend(db: DatabaseManager) -> None:
    today = utcnow().date()
    add_usage(db, today - timedelta(days=2), "translate", "alice", 2, 50)
    add_usage(db, today - timedelta(days=2), "documents", "alice", 1, 10)
    add_usage(db, today - timedelta(days=9), "translate", "alice", 4, 4)
    add_usage(db, today - timedelta(days=2), "translate", "bob", 7, 700)
    db.record_usage("translate", "alice", characters=5)

    assert db.usage_by_day("alice", today - timedelta(days=5)) == {
        today - timedelta(days=2): (3, 60),
        today: (1, 5),
    }
    assert db.usage_by_day("carol", today - timedelta(days=5)) == {}


def test_daily_usage_is_zero_filled_and_only_the_callers(client: TestClient) -> None:
    make_user(client.app, "alice")
    make_user(client.app, "bob")
    db = client.app.state.db
    today = utcnow().date()
    add_usage(db, today - timedelta(days=3), "translate", "alice", 2, 50)
    add_usage(db, today - timedelta(days=3), "documents", "alice", 1, 10)
    add_usage(db, today - timedelta(days=1), "translate", "bob", 9, 900)
    add_usage(db, today - timedelta(days=7), "translate", "alice", 5, 5)  # outside 7 days

    response = client.get("/api/v1/usage/daily?days=7", headers=bearer(client, "alice"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["username"] == "alice"
    expected = [(today - timedelta(days=6 - n)).isoformat() for n in range(7)]
    assert [day["date"] for day in body["days"]] == expected
    counts = {day["date"]: (day["requests"], day["characters"]) for day in body["days"]}
    assert counts.pop((today - timedelta(days=3)).isoformat()) == (3, 60)
    assert set(counts.values()) == {(0, 0)}  # bob's day is not alice's


def test_a_translation_shows_up_today_and_the_default_is_30_days(
    auth_client: TestClient,
) -> None:
    text = "Good morning"
    translated = auth_client.post(
        "/api/v1/translate", json={"text": text, "source": "en", "target": "ht"}
    )
    assert translated.status_code == 200, translated.text
    days = auth_client.get("/api/v1/usage/daily").json()["days"]
    assert len(days) == 30
    assert days[-1] == {
        "date": utcnow().date().isoformat(),
        "requests": 1,
        "characters": len(text),
    }
    assert all(day["requests"] == 0 for day in days[:-1])


def test_daily_usage_with_an_api_key(auth_client: TestClient) -> None:
    key = auth_client.post("/api/v1/keys", json={"name": "dashboard"}).json()["key"]
    response = auth_client.get(
        "/api/v1/usage/daily?days=1", headers={"Authorization": "", "X-API-Key": key}
    )
    assert response.status_code == 200, response.text
    assert response.json()["username"] == "alice" and len(response.json()["days"]) == 1


@pytest.mark.parametrize("days", ["0", "367", "-1", "many"])
def test_days_out_of_range_are_a_validation_error(auth_client: TestClient, days: str) -> None:
    response = auth_client.get(f"/api/v1/usage/daily?days={days}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"


def test_366_days_is_allowed(auth_client: TestClient) -> None:
    response = auth_client.get("/api/v1/usage/daily?days=366")
    assert response.status_code == 200 and len(response.json()["days"]) == 366


def test_daily_usage_needs_credentials(client: TestClient) -> None:
    response = client.get("/api/v1/usage/daily")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("tier", "expected"), [("free", 10 * 1000 - 1), ("enterprise", 20_000)])
def test_usage_names_the_largest_request_and_when_windows_reset(
    client: TestClient, tier: str, expected: int
) -> None:
    make_user(client.app, "alice", tier=tier)
    before = utcnow().replace(microsecond=0)
    body = client.get("/api/v1/usage", headers=bearer(client, "alice")).json()
    assert body["max_request_characters"] == expected
    assert set(body["windows"]) == {"minute", "hour", "day"}
    for window in body["windows"].values():
        resets_at = datetime.fromisoformat(window["resets_at"])
        assert resets_at.utcoffset() == timedelta(0)
        assert before <= resets_at - timedelta(seconds=window["reset"]) <= utcnow()


def test_the_largest_request_is_accepted_and_one_more_character_is_not(
    auth_client: TestClient,
) -> None:
    limit = auth_client.get("/api/v1/usage").json()["max_request_characters"]
    request = {"source": "en", "target": "ht"}
    text = ("a " * limit)[:limit]
    fits = auth_client.post("/api/v1/translate", json={**request, "text": text})
    assert fits.status_code == 200, fits.text
    too_big = auth_client.post("/api/v1/translate", json={**request, "text": text + "a"})
    assert too_big.status_code == 413, too_big.text
    assert too_big.json()["error"]["code"] == "request_too_large"
