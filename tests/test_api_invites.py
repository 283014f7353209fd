"""Administrators list and revoke invitations; the codes themselves are never shown again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import Invite
from kreyol_ia.db.clock import utcnow
from tests.conftest import PASSWORD, bearer, derive, make_user


@pytest.fixture
def invite_client(settings: Settings) -> Iterator[TestClient]:
    """An invite-only server signed in as the administrator ``root``."""
    app = create_app(derive(settings, registration="invite"))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        make_user(app, "root", role="admin")
        test_client.headers.update(bearer(test_client, "root"))
        yield test_client


def invite(client: TestClient, days: int = 7) -> dict:
    created = client.post("/api/v1/admin/invites", json={"days": days})
    assert created.status_code == 201, created.text
    return created.json()


def register(client: TestClient, username: str, code: str) -> int:
    body = {"username": username, "email": f"{username}@example.org", "password": PASSWORD}
    return client.post("/api/v1/auth/register", json={**body, "invite": code}).status_code


def code_of(response) -> str:
    return response.json()["error"]["code"]


def test_list_shows_status_newest_first_and_never_the_codes(invite_client: TestClient) -> None:
    used, expired, active = invite(invite_client), invite(invite_client), invite(invite_client)
    assert register(invite_client, "newbie", used["code"]) == 201
    with invite_client.app.state.db.session() as session:
        session.execute(
            update(Invite)
            .where(Invite.code_hash.startswith(expired["id"]))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )

    listed = invite_client.get("/api/v1/admin/invites")
    assert listed.status_code == 200, listed.text
    for created in (used, expired, active):
        assert created["code"] not in listed.text
        assert len(created["id"]) == 16 and created["id"] in listed.text
    by_id = {item["id"]: item for item in listed.json()}
    assert by_id[used["id"]]["status"] == "used" and by_id[used["id"]]["used_by"] == "newbie"
    assert by_id[used["id"]]["used_at"] is not None
    assert by_id[expired["id"]]["status"] == "expired"
    assert by_id[active["id"]] | {"created_at": None, "expires_at": None} == {
        "id": active["id"],
        "created_by": "root",
        "created_at": None,
        "expires_at": None,
        "used_by": None,
        "used_at": None,
        "status": "active",
    }
    times = [item["created_at"] for item in listed.json()]
    assert times == sorted(times, reverse=True)


def test_list_pages_with_limit_and_offset(invite_client: TestClient) -> None:
    ids = [invite(invite_client)["id"] for _ in range(3)]
    first = invite_client.get("/api/v1/admin/invites?limit=2").json()
    rest = invite_client.get("/api/v1/admin/invites?limit=2&offset=2").json()
    assert len(first) == 2 and len(rest) == 1
    assert sorted(item["id"] for item in first + rest) == sorted(ids)
    assert invite_client.get("/api/v1/admin/invites?limit=0").status_code == 422


def test_revoking_an_unused_invite_makes_it_useless(invite_client: TestClient) -> None:
    created = invite(invite_client)
    revoked = invite_client.delete(f"/api/v1/admin/invites/{created['id']}")
    assert revoked.status_code == 204, revoked.text
    assert created["id"] not in invite_client.get("/api/v1/admin/invites").text
    assert register(invite_client, "newbie", created["code"]) == 403
    again = invite_client.delete(f"/api/v1/admin/invites/{created['id']}")
    assert again.status_code == 404 and code_of(again) == "not_found"


def test_a_used_invite_cannot_be_revoked(invite_client: TestClient) -> None:
    created = invite(invite_client)
    assert register(invite_client, "newbie", created["code"]) == 201
    refused = invite_client.delete(f"/api/v1/admin/invites/{created['id']}")
    assert refused.status_code == 409 and code_of(refused) == "invite_used"
    listed = invite_client.get("/api/v1/admin/invites").json()
    assert [item["status"] for item in listed] == ["used"]


@pytest.mark.parametrize(
    "invite_id",
    ["0123456789abcdef", "0123456789ABCDEF", "0123", "0123456789abcdef0", "not-hex-at-all!!"],
)
def test_unknown_or_malformed_ids_are_not_found(invite_client: TestClient, invite_id: str) -> None:
    invite(invite_client)
    response = invite_client.delete(f"/api/v1/admin/invites/{invite_id}")
    assert response.status_code == 404 and code_of(response) == "not_found"
    assert len(invite_client.get("/api/v1/admin/invites").json()) == 1


def test_an_id_prefix_of_a_real_invite_does_not_revoke_it(invite_client: TestClient) -> None:
    created = invite(invite_client)
    response = invite_client.delete(f"/api/v1/admin/invites/{created['id'][:15]}")
    assert response.status_code == 404
    assert register(invite_client, "newbie", created["code"]) == 201


def test_ordinary_users_can_neither_list_nor_revoke(invite_client: TestClient) -> None:
    created = invite(invite_client)
    make_user(invite_client.app, "alice")
    alice = bearer(invite_client, "alice")
    listed = invite_client.get("/api/v1/admin/invites", headers=alice)
    assert listed.status_code == 403 and code_of(listed) == "insufficient_scope"
    revoked = invite_client.delete(f"/api/v1/admin/invites/{created['id']}", headers=alice)
    assert revoked.status_code == 403 and code_of(revoked) == "insufficient_scope"
    anonymous = invite_client.get("/api/v1/admin/invites", headers={"Authorization": ""})
    assert anonymous.status_code == 401
    assert register(invite_client, "newbie", created["code"]) == 201  # still valid
