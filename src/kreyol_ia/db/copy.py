"""Copying a whole database (SQLite → PostgreSQL): batches, verification, safe to re-run.

The target is migrated to the current schema first; rows are upserted in primary-key order, so
a second run converges instead of duplicating; afterwards every table's row count and the
digest of its primary keys must match the source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, Table, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.types import DateTime

from kreyol_ia.db import migrate
from kreyol_ia.db.clock import as_utc
from kreyol_ia.db.engine import build_engine
from kreyol_ia.db.models import Base

Progress = Callable[[str, int, int], None]


class CopyRefused(RuntimeError):
    """The copy would be unsafe (target not empty, source not migrated)."""


@dataclass(frozen=True, slots=True)
class TableReport:
    """Rows copied and whether counts and keys match afterwards."""

    table: str
    source_rows: int
    target_rows: int
    keys_match: bool


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _count(engine: Engine, table: Table) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def _batches(engine: Engine, table: Table, size: int) -> Iterator[list[dict[str, Any]]]:
    order = list(table.primary_key.columns)
    with engine.connect() as connection:
        result = connection.execution_options(stream_results=True).execute(
            select(table).order_by(*order)
        )
        while rows := result.mappings().fetchmany(size):
            yield [_portable(table, dict(row)) for row in rows]


def _portable(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """SQLite hands back naive datetimes; they were stored as UTC."""
    for column in table.columns:
        value = row.get(column.name)
        if isinstance(column.type, DateTime) and isinstance(value, datetime):
            row[column.name] = as_utc(value)
    return row


def _key_digest(engine: Engine, table: Table) -> str:
    digest = hashlib.sha256()
    columns = list(table.primary_key.columns)
    with engine.connect() as connection:
        for row in connection.execute(select(*columns).order_by(*columns)):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _upsert(engine: Engine, table: Table, rows: list[dict[str, Any]]) -> None:
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(rows)
    keys = [c.name for c in table.primary_key.columns]
    others = {c.name: statement.excluded[c.name] for c in table.columns if c.name not in keys}
    statement = statement.on_conflict_do_update(index_elements=keys, set_=others)
    with engine.begin() as connection:
        connection.execute(statement)


def _reset_sequences(engine: Engine) -> None:
    """PostgreSQL sequences must continue after the copied integer ids."""
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        for table in _tables():
            for column in table.primary_key.columns:
                if column.autoincrement is True or (
                    column.autoincrement == "auto" and column.type.python_type is int
                ):
                    highest = select(func.max(column)).scalar_subquery()
                    connection.execute(
                        select(
                            func.setval(
                                func.pg_get_serial_sequence(table.name, column.name),
                                func.coalesce(highest, 0) + 1,
                                False,
                            )
                        )
                    )


def copy_database(
    source_url: str,
    target_url: str,
    force: bool = False,
    batch_size: int = 1000,
    progress: Progress | None = None,
) -> list[TableReport]:
    """Copy every table; refuse a non-empty target unless ``force`` (then the source wins)."""
    source, target = build_engine(source_url), build_engine(target_url)
    try:
        if migrate.current_revision(source) != migrate.head_revision():
            raise CopyRefused(
                "the source is not at the current schema: run 'kreyol db upgrade' on it first"
            )
        migrate.upgrade(target_url)
        occupied = [t.name for t in _tables() if _count(target, t)]
        if occupied and not force:
            raise CopyRefused(
                f"the target already has rows in {', '.join(occupied)}; "
                "re-run with --force to overwrite them with the source's"
            )
        reports = []
        for table in _tables():
            total = _count(source, table)
            done = 0
            for rows in _batches(source, table, batch_size):
                _upsert(target, table, rows)
                done += len(rows)
                if progress is not None:
                    progress(table.name, done, total)
            reports.append(
                TableReport(
                    table.name,
                    total,
                    _count(target, table),
                    _key_digest(source, table) == _key_digest(target, table),
                )
            )
        _reset_sequences(target)
        return reports
    finally:
        source.dispose()
        target.dispose()
