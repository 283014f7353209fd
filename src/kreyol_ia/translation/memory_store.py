"""Imported memories and glossaries in the database, seen by every instance within seconds."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from kreyol_ia.db import DatabaseManager, MemoryEntry
from kreyol_ia.db.clock import utcnow
from kreyol_ia.retry import retry_on_database_error
from kreyol_ia.translation.imports import ImportRow
from kreyol_ia.translation.phrasebook.lexicon import Entry


@dataclass(frozen=True, slots=True)
class ImportReport:
    """How many rows were added or replaced."""

    stored: int


class MemoryStore:
    """Reads imported entries per direction, re-reading only when the table changed."""

    def __init__(self, db: DatabaseManager, refresh_seconds: float = 2.0):
        self.db = db
        self.refresh_seconds = refresh_seconds
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._version: tuple[int, str] = (0, "")
        self._cache: dict[tuple[str, str], list[Entry]] = {}

    def store(self, kind: str, rows: Iterable[ImportRow]) -> ImportReport:
        """Insert or replace rows (same kind, pair and source text = same entry)."""
        insert = pg_insert if self.db.backend == "postgresql" else sqlite_insert
        latest = {(r.source_lang, r.target_lang, r.source_text): r for r in rows}
        values = [
            {
                "kind": kind,
                "source_lang": r.source_lang,
                "target_lang": r.target_lang,
                "source_text": r.source_text,
                "target_text": r.target_text,
                "domain": r.domain,
                "updated_at": utcnow(),
            }
            for r in latest.values()
        ]
        if not values:
            return ImportReport(0)
        with self.db.session() as session:
            for start in range(0, len(values), 500):
                statement = insert(MemoryEntry).values(values[start : start + 500])
                statement = statement.on_conflict_do_update(
                    index_elements=["kind", "source_lang", "target_lang", "source_text"],
                    set_={
                        "target_text": statement.excluded.target_text,
                        "domain": statement.excluded.domain,
                        "updated_at": statement.excluded.updated_at,
                    },
                )
                session.execute(statement)
        self._checked_at = 0.0
        return ImportReport(len(values))

    def entries(self, source: str, target: str) -> tuple[str, list[Entry]]:
        """(version, entries) for a direction: glossary first, then memory; both ways readable."""
        self._refresh()
        with self._lock:
            key = (source, target)
            if key not in self._cache:
                self._cache[key] = self._load(source, target)
            return self._digest(), self._cache[key]

    def version(self) -> str:
        """Changes whenever imported entries are added or replaced (polled, as ``entries``)."""
        self._refresh()
        return self._digest()

    def _digest(self) -> str:
        """Stable across processes and restarts (unlike ``hash``), so caches can be shared."""
        count, latest = self._version
        return hashlib.sha256(f"{count}|{latest}".encode()).hexdigest()[:16]

    def glossary(self, source: str, target: str) -> list[Entry]:
        """Only the glossary terms of a direction."""
        return [e for e in self.entries(source, target)[1] if e.origin == "glossary"]

    @retry_on_database_error()
    def counts(self) -> dict[str, int]:
        """Rows per kind, for the CLI and the engines listing."""
        with self.db.session() as session:
            rows = session.execute(
                select(MemoryEntry.kind, func.count()).group_by(MemoryEntry.kind)
            ).all()
        return {kind: int(count) for kind, count in rows}

    @retry_on_database_error()
    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < self.refresh_seconds:
            return
        with self.db.session() as session:
            count, latest = session.execute(
                select(func.count(), func.max(MemoryEntry.updated_at))
            ).one()
        version = (int(count), str(latest))
        with self._lock:
            self._checked_at = now
            if version != self._version:
                self._version = version
                self._cache.clear()

    @retry_on_database_error()
    def _load(self, source: str, target: str) -> list[Entry]:
        query = select(MemoryEntry).where(
            ((MemoryEntry.source_lang == source) & (MemoryEntry.target_lang == target))
            | ((MemoryEntry.source_lang == target) & (MemoryEntry.target_lang == source))
        )
        with self.db.session() as session:
            rows = list(session.scalars(query))
        rows.sort(key=lambda r: (r.kind != "glossary", r.source_lang != source, r.id))
        return [
            Entry(r.source_text, r.target_text, r.domain, r.kind)
            if r.source_lang == source
            else Entry(r.target_text, r.source_text, r.domain, r.kind)
            for r in rows
        ]
