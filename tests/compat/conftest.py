"""A live ``kreyol serve`` shared by the facade tests, with CLI helpers to make users and keys.

Facades are driven by their own, unmodified clients over real HTTP; accounts and keys are made
with the ``kreyol`` CLI, as an operator makes them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from tests.web.harness import LiveSite

OPERATOR_PASSWORD = "Toussaint-Louverture-1743"
LIVE_ENV = {
    "KREYOL_ALLOW_ANONYMOUS": "true",
    "KREYOL_AUTH_RATE_PER_MINUTE": "1000",
    "KREYOL_AUTH_RATE_PER_HOUR": "10000",
    "KREYOL_LOG_LEVEL": "INFO",  # the access log is written, so what it holds can be checked
}


class LiveAPI:
    """A started LiveSite and the operator's CLI commands on its database."""

    def __init__(self, site: LiveSite) -> None:
        self.site = site
        self.url = site.url

    def user(self, username: str, tier: str = "enterprise") -> str:
        """An ordinary account on ``tier``, made through the CLI."""
        self.site.kreyol(
            "users",
            "create-admin",
            "--username",
            username,
            "--email",
            f"{username}@example.org",
            "--tier",
            tier,
            KREYOL_ADMIN_PASSWORD=OPERATOR_PASSWORD,
        )
        self.site.kreyol("users", "set-role", username, "user")
        return username

    def key(self, username: str, name: str = "test", scopes: str = "") -> str:
        """A new key for ``username`` (a day's lifetime), as ``kreyol keys create`` prints it."""
        args = ["keys", "create", username, "--name", name, "--days", "1"]
        return self.site.kreyol(*args, *(["--scopes", scopes] if scopes else []))

    def newest_key_id(self, username: str) -> int:
        """The id of the user's most recent key, from ``kreyol keys list``."""
        rows = self.site.kreyol("keys", "list", username).splitlines()
        return max(int(row.split()[0]) for row in rows if row.split() and row.split()[0].isdigit())

    def revoke(self, key_id: int) -> None:
        self.site.kreyol("keys", "revoke", str(key_id))

    def log_text(self) -> str:
        """Everything the server wrote so far (its access log included)."""
        return self.site.log.read_text(encoding="utf-8", errors="replace")


def start_live_api(env: Mapping[str, str] | None = None) -> LiveAPI:
    """A fresh server with ``LIVE_ENV`` and ``env`` on top (stop it with ``.site.stop()``)."""
    return LiveAPI(LiveSite({**LIVE_ENV, **dict(env or {})}).start())


@pytest.fixture(scope="session")
def live_api(request: pytest.FixtureRequest) -> Iterator[LiveAPI]:
    """One server for the session: anonymous use on, sign-in limits out of the way."""
    api = start_live_api()
    yield api
    api.site.stop(dump_log=request.session.testsfailed > 0)


@pytest.fixture(scope="session")
def keyed_api(request: pytest.FixtureRequest) -> Iterator[LiveAPI]:
    """A second server where anonymous use is off: every request needs a key."""
    api = start_live_api({"KREYOL_ALLOW_ANONYMOUS": "false"})
    yield api
    api.site.stop(dump_log=request.session.testsfailed > 0)
