"""Every ```sql block of docs/POSTGRESQL.md runs on a real PostgreSQL, in order."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kreyol_ia.db import migrate

DOC = Path(__file__).resolve().parents[1] / "docs" / "POSTGRESQL.md"


def _blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _statements(block: str) -> list[str]:
    return [s.strip() for s in block.split(";") if s.strip()]


def test_the_documented_sql_runs_and_the_app_role_is_least_privileged(postgres_server) -> None:
    suffix = uuid.uuid4().hex[:8]
    blocks = [
        b.replace("kreyol_owner", f"owner_{suffix}")
        .replace("kreyol_app", f"app_{suffix}")
        .replace("DATABASE kreyol", f"DATABASE kreyol_{suffix}")
        for b in _blocks()
    ]
    assert len(blocks) >= 6
    admin = create_engine(postgres_server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for statement in _statements(blocks[0]):
            connection.execute(text(statement))
    admin.dispose()
    database = make_url(postgres_server.url).set(database=f"kreyol_{suffix}")
    superuser = create_engine(database, isolation_level="AUTOCOMMIT")
    with superuser.connect() as connection:
        for statement in _statements(blocks[1]):
            connection.execute(text(statement))
        connection.execute(text(f"GRANT CREATE ON SCHEMA public TO owner_{suffix}"))
    owner_url = database.set(username=f"owner_{suffix}").render_as_string(hide_password=False)
    migrate.upgrade(owner_url)
    app = create_engine(database.set(username=f"app_{suffix}"))
    with app.connect() as connection:
        connection.execute(
            text(
                "INSERT INTO usage_stats (date, endpoint, username, requests, characters) "
                "VALUES (CURRENT_DATE, 'translate', 'x', 1, 1)"
            )
        )
        connection.commit()
        for block in blocks[2:]:
            for statement in _statements(block):
                assert connection.execute(text(statement)).fetchall() is not None
        refused = None
        try:
            connection.execute(text("DROP TABLE usage_stats"))
        except Exception as exc:
            refused = exc
        assert refused is not None and "must be owner" in str(refused)
    app.dispose()
    superuser.dispose()
