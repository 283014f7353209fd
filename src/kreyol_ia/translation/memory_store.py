"""Imported memories and glossaries in the database, seen by every instance within seconds."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kreyol_ia.db import DatabaseManager, MemoryEntry
from kreyol_ia.db.clock import utcnow
from kreyol_ia.db.models import LearnedWord
from kreyol_ia.retry import retry_on_database_error
from kreyol_ia.translation.alignment import Limits, Table, learn
from kreyol_ia.translation.imports import ImportRow
from kreyol_ia.translation.phrasebook.lexicon import Entry


@dataclass(frozen=True, slots=True)
class ImportReport:
    """How many rows were added or replaced."""

    stored: int


class MemoryStore:
    """Reads imported entries per direction, re-reading only when the table changed."""

    def __init__(
        self, db: DatabaseManager, refresh_seconds: float = 2.0, limits: Limits | None = None
    ):
        self.db = db
        self.refresh_seconds = refresh_seconds
        self.limits = limits or Limits()
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._version: tuple[int, str, int, str] = (0, "", 0, "")
        self._cache: dict[tuple[str, str], list[Entry]] = {}
        self._learned: dict[tuple[str, str], dict[str, str]] = {}

    def store(self, kind: str, rows: Iterable[ImportRow]) -> ImportReport:
        """Insert or replace rows (same kind, pair and source text = same entry); a memory
        import then relearns the word tables of the pairs it touched."""
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
        if kind == "tm":
            for first, second in sorted({tuple(sorted(key[:2])) for key in latest}):
                self._relearn(first, second)
        self._checked_at = 0.0
        return ImportReport(len(values))

    def learned(self, source: str, target: str) -> tuple[str, dict[str, str]]:
        """(version, word → translation) aligned from the imported memories of a direction."""
        self._refresh()
        with self._lock:
            key = (source, target)
            if key not in self._learned:
                self._learned[key] = self._load_learned(source, target)
            return self._digest(), self._learned[key]

    @retry_on_database_error()
    def _relearn(self, first: str, second: str) -> None:
        """Replace both directions' tables, unless another import changed the memory meanwhile
        (that import relearns from a newer snapshot)."""
        with self.db.session() as session:
            mark = self._memory_mark(session, first, second)
            query = (
                select(MemoryEntry.source_lang, MemoryEntry.source_text, MemoryEntry.target_text)
                .where(MemoryEntry.kind == "tm", _pair_filter(MemoryEntry, first, second))
                .order_by(MemoryEntry.id.desc())  # newest first: they survive the bounds
                .limit(2 * self.limits.max_pairs)
            )
            rows = session.execute(query).all()
        pairs = [(s, t) if lang == first else (t, s) for lang, s, t in rows]
        forward, backward = learn(pairs, first, second, self.limits)
        with self.db.session() as session:
            if self.db.backend == "postgresql":
                session.execute(text("LOCK TABLE learned_words IN SHARE ROW EXCLUSIVE MODE"))
            session.execute(delete(LearnedWord).where(_pair_filter(LearnedWord, first, second)))
            if self._memory_mark(session, first, second) != mark:
                session.rollback()
                return
            built_at = utcnow()
            session.add_all(
                [
                    *_learned_rows(forward, first, second, built_at),
                    *_learned_rows(backward, second, first, built_at),
                ]
            )

    @staticmethod
    def _memory_mark(session: Session, first: str, second: str) -> tuple[int, str]:
        """Changes whenever a memory row of the pair is added or replaced."""
        count, latest = session.execute(
            select(func.count(), func.max(MemoryEntry.updated_at)).where(
                MemoryEntry.kind == "tm", _pair_filter(MemoryEntry, first, second)
            )
        ).one()
        return int(count), str(latest)

    def entries(self, source: str, target: str) -> tuple[str, list[Entry]]:
        """(version, entries) for a direction: glossary first, then memory; both ways readable."""
        self._refresh()
        with self._lock:
            key = (source, target)
            if key not in self._cache:
                self._cache[key] = self._load(source, target)
            return self._digest(), self._cache[key]

    def version(self) -> str:
        """Changes whenever imported entries or learned words change (polled, as ``entries``)."""
        self._refresh()
        return self._digest()

    def _digest(self) -> str:
        """Stable across processes and restarts (unlike ``hash``), so caches can be shared."""
        return hashlib.sha256("|".join(map(str, self._version)).encode()).hexdigest()[:16]

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
            words, built = session.execute(
                select(func.count(), func.max(LearnedWord.built_at))
            ).one()
        version = (int(count), str(latest), int(words), str(built))
        with self._lock:
            self._checked_at = now
            if version != self._version:
                self._version = version
                self._cache.clear()
                self._learned.clear()

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

    @retry_on_database_error()
    def _load_learned(self, source: str, target: str) -> dict[str, str]:
        query = select(LearnedWord.source_word, LearnedWord.target_word).where(
            LearnedWord.source_lang == source, LearnedWord.target_lang == target
        )
        with self.db.session() as session:
            return {s: t for s, t in session.execute(query.order_by(LearnedWord.source_word))}


def _pair_filter(
    model: type[MemoryEntry] | type[LearnedWord], first: str, second: str
) -> ColumnElement[bool]:
    """Rows of a language pair, either way round."""
    return ((model.source_lang == first) & (model.target_lang == second)) | (
        (model.source_lang == second) & (model.target_lang == first)
    )


def _learned_rows(table: Table, source: str, target: str, built_at: datetime) -> list[LearnedWord]:
    return [
        LearnedWord(
            source_lang=source,
            target_lang=target,
            source_word=word,
            target_word=found.word,
            count=found.count,
            probability=found.probability,
            built_at=built_at,
        )
        for word, found in table.items()
    ]
