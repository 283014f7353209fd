"""Document jobs: submit, claim, translate segment by segment with resume, deliver, expire.

Job state lives only in the database. A worker claims a job with one conditional UPDATE
(pending, or processing with a stale heartbeat); each translated unit is a ``task_segments``
row keyed by (task, position), so a resumed job skips finished units and two workers can never
store the same unit twice. While a job runs, a heartbeat thread renews its claim every third
of the stale limit, however long a batch takes: only a dead worker's job is taken over, so
``attempts`` counts crashes, never slowness. A worker that loses its claim stops at its next batch.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager, Task, TaskSegment
from kreyol_ia.db.clock import utcnow
from kreyol_ia.documents.extract import extract
from kreyol_ia.documents.heartbeat import Heartbeat
from kreyol_ia.documents.model import (
    DocumentError,
    DocumentSummary,
    ExtractedDocument,
    ParseLimits,
)
from kreyol_ia.documents.quality import add_quality
from kreyol_ia.documents.sandbox import ParseSandbox
from kreyol_ia.documents.storage import DocumentStore, safe_filename
from kreyol_ia.retry import retry_on_database_error
from kreyol_ia.translation.phrasebook.lexicon import Entry
from kreyol_ia.translation.service import TextOutcome, TranslationError, TranslationService

logger = logging.getLogger(__name__)
TASK_TYPE = "document"
MISMATCH_MIN_CHARACTERS = 30
MISMATCH_CONFIDENCE = 0.95


@dataclass(frozen=True, slots=True)
class Submitted:
    """A freshly accepted job."""

    task_id: str
    pages: int
    units: int


class LostClaim(Exception):
    """Another worker took the job over (this one was considered dead)."""


def parse_limits(settings: Settings) -> ParseLimits:
    """The structural and resource limits of a parse, from the settings."""
    return ParseLimits(
        max_pages=settings.max_document_pages,
        max_characters=settings.max_document_chars,
        cpu_seconds=settings.parse_cpu_seconds,
        wall_seconds=settings.parse_timeout_seconds,
        memory_bytes=settings.parse_memory_mb * 1024 * 1024,
    )


class JobService:
    """Everything the API, the CLI and the workers do with document jobs."""

    def __init__(self, db: DatabaseManager, translation: TranslationService, settings: Settings):
        self.db = db
        self.translation = translation
        self.settings = settings
        self.store = DocumentStore(settings.data_dir / "documents")
        self.limits = parse_limits(settings)
        self.sandbox = ParseSandbox(settings.parse_workers, self.limits)

    # submission and reading

    def prepare(self, filename: str, data: bytes) -> DocumentSummary:
        """Read the file now in the sandbox, so a bad one is a clear, bounded 422 at upload."""
        return self.sandbox.parse(filename, data)

    def detect_source(self, document: DocumentSummary) -> str:
        """The language of a document, from its first 2,000 characters of text."""
        return self.translation.detect(" ".join(document.units)[:2000]).language

    def mismatched_source(self, document: DocumentSummary, source: str) -> str | None:
        """Another supported language the text confidently is, or None (short texts never are)."""
        sample = " ".join(document.units)[:2000]
        if len(sample) < MISMATCH_MIN_CHARACTERS:
            return None
        found = self.translation.detect(sample)
        if found.language == source or found.confidence < MISMATCH_CONFIDENCE:
            return None
        return found.language

    def queue(
        self,
        owner: str | None,
        filename: str,
        data: bytes,
        document: DocumentSummary,
        source: str,
        target: str,
        engine: str | None = None,
        callback_url: str | None = None,
        terms: list[tuple[str, str]] | None = None,
    ) -> Submitted:
        """Store the upload and record the pending job (``source`` already resolved).

        ``terms``: the caller's glossary, copied into the job so deleting it later loses nothing.
        """
        task_id = uuid.uuid4().hex
        self.store.save_upload(task_id, data)
        with self.db.session() as session:
            session.add(
                Task(
                    task_id=task_id,
                    task_type=TASK_TYPE,
                    status="pending",
                    owner=owner,
                    progress_total=len(document.units),
                    input_data={
                        "filename": safe_filename(filename),
                        "format": document.format,
                        "source": source,
                        "target": target,
                        "engine": engine,
                        "callback_url": callback_url,
                        "pages": document.pages,
                        "size": len(data),
                        "characters": document.characters,
                        "terms": [list(pair) for pair in terms or []],
                    },
                )
            )
        return Submitted(task_id, document.pages, len(document.units))

    @retry_on_database_error()
    def get(self, task_id: str, owner: str | None) -> dict[str, Any] | None:
        """A job as the API shows it; another owner's job is simply absent."""
        with self.db.session() as session:
            task = session.get(Task, task_id)
            if (
                task is None
                or task.task_type != TASK_TYPE
                or (owner is not None and task.owner != owner)
            ):
                return None
            return _public(task)

    @retry_on_database_error()
    def list(
        self, owner: str | None, status: str | None, limit: int, offset: int
    ) -> list[dict[str, Any]]:
        """The owner's jobs, newest first."""
        query = (
            select(Task)
            .where(Task.task_type == TASK_TYPE)
            .order_by(Task.created_at.desc(), Task.task_id)
            .limit(limit)
            .offset(offset)
        )
        if owner is not None:
            query = query.where(Task.owner == owner)
        if status is not None:
            query = query.where(Task.status == status)
        with self.db.session() as session:
            return [_public(task) for task in session.scalars(query)]

    def result(self, task_id: str, owner: str | None) -> tuple[bytes, str, str] | None:
        """(bytes, download name, media type) of a completed job."""
        job = self.get(task_id, owner)
        if job is None or job["status"] != "completed":
            return None
        path = self.store.result_path(task_id)
        if path is None:
            return None
        result = job["result"] or {}
        return (
            path.read_bytes(),
            result.get("filename", "translated"),
            result.get("media_type", "application/octet-stream"),
        )

    def delete(self, task_id: str, owner: str | None) -> bool:
        """Remove a job, its segments and its files."""
        if self.get(task_id, owner) is None:
            return False
        with self.db.session() as session:
            session.execute(delete(Task).where(Task.task_id == task_id))
        self.store.delete(task_id)
        return True

    @retry_on_database_error()
    def cleanup_expired(self) -> int:
        """Delete finished jobs past their retention time, with their files."""
        now = utcnow()
        with self.db.session() as session:
            expired = list(
                session.scalars(
                    select(Task.task_id).where(
                        Task.task_type == TASK_TYPE,
                        Task.expires_at.is_not(None),
                        Task.expires_at < now,
                    )
                )
            )
            if expired:
                session.execute(delete(Task).where(Task.task_id.in_(expired)))
        for task_id in expired:
            self.store.delete(task_id)
        return len(expired)

    # execution

    @retry_on_database_error()
    def candidates(self, limit: int = 10) -> list[str]:
        """Jobs a worker may claim: pending ones, and processing ones whose worker went quiet."""
        stale = utcnow() - timedelta(seconds=self.settings.job_stale_seconds)
        with self.db.session() as session:
            return list(
                session.scalars(
                    select(Task.task_id)
                    .where(
                        Task.task_type == TASK_TYPE,
                        or_(
                            Task.status == "pending",
                            (Task.status == "processing") & (Task.heartbeat_at < stale),
                        ),
                    )
                    .order_by(Task.created_at)
                    .limit(limit)
                )
            )

    @retry_on_database_error()
    def claim(self, task_id: str, worker_id: str) -> bool:
        """Take a job with one conditional UPDATE: exactly one worker can win it."""
        now = utcnow()
        stale = now - timedelta(seconds=self.settings.job_stale_seconds)
        with self.db.session() as session:
            won = session.execute(
                update(Task)
                .where(
                    Task.task_id == task_id,
                    or_(
                        Task.status == "pending",
                        (Task.status == "processing") & (Task.heartbeat_at < stale),
                    ),
                )
                .values(
                    status="processing",
                    worker_id=worker_id,
                    heartbeat_at=now,
                    attempts=Task.attempts + 1,
                    updated_at=now,
                )
            ).rowcount
        return won == 1

    def run(self, task_id: str, worker_id: str) -> str:
        """Process a claimed job to completion or failure; returns the final status."""
        job = self.get(task_id, None)
        if job is None:
            return "missing"
        if job["attempts"] > self.settings.job_max_attempts:
            return self._fail(task_id, worker_id, "The job stopped its worker repeatedly.")
        options = job["input"]
        try:
            with Heartbeat(
                lambda: self.renew(task_id, worker_id), self.settings.job_stale_seconds / 3, task_id
            ) as heartbeat:
                document = extract(
                    options["filename"], self.store.read_upload(task_id), limits=self.limits
                )
                translations = self._translate(task_id, worker_id, document, options, heartbeat)
                output = document.rebuild(
                    translations, self._hints(document, options), options["target"]
                )
                if heartbeat.lost.is_set():
                    raise LostClaim(task_id)
        except LostClaim:
            logger.warning("job %s was taken over by another worker", task_id)
            return "lost"
        except (DocumentError, TranslationError) as exc:
            return self._fail(task_id, worker_id, exc.message)
        except FileNotFoundError:
            return self._fail(task_id, worker_id, "The uploaded file has expired.")
        self.store.save_result(task_id, output)
        return self._complete(task_id, worker_id, document, options, len(output))

    def _translate(
        self,
        task_id: str,
        worker_id: str,
        document: ExtractedDocument,
        options: dict[str, Any],
        heartbeat: Heartbeat,
    ) -> list[str]:
        done = self._finished(task_id)
        todo = [i for i in range(len(document.units)) if i not in done]
        batch_size = self.settings.job_batch_segments
        for start in range(0, len(todo), batch_size):
            if heartbeat.lost.is_set():
                raise LostClaim(task_id)
            positions = todo[start : start + batch_size]
            outcomes = self.translation.translate(
                [document.units[i] for i in positions],
                options["source"],
                options["target"],
                options.get("engine"),
                use_cache=self.settings.cache_documents,
                terms=_terms(options),
            )
            self._store(
                task_id,
                worker_id,
                dict(zip(positions, (o.text for o in outcomes), strict=True)),
                outcomes,
            )
        finished = self._finished(task_id)
        return [finished[i] for i in range(len(document.units))]

    def _hints(self, document: ExtractedDocument, options: dict[str, Any]) -> list[str]:
        """Formatted spans translated alone (not stored: short, and only to place formatting)."""
        size = self.settings.job_batch_segments
        return [
            outcome.text
            for start in range(0, len(document.hints), size)
            for outcome in self.translation.translate(
                document.hints[start : start + size],
                options["source"],
                options["target"],
                options.get("engine"),
                use_cache=self.settings.cache_documents,
                terms=_terms(options),
            )
        ]

    @retry_on_database_error()
    def renew(self, task_id: str, worker_id: str) -> bool:
        """Push the heartbeat of a job this worker still holds; False once it lost the claim."""
        with self.db.session() as session:
            return _hold(session, task_id, worker_id, heartbeat_at=utcnow())

    @retry_on_database_error()
    def _finished(self, task_id: str) -> dict[int, str]:
        with self.db.session() as session:
            rows = session.execute(
                select(TaskSegment.position, TaskSegment.translation).where(
                    TaskSegment.task_id == task_id
                )
            )
            return {position: translation for position, translation in rows}

    @retry_on_database_error()
    def _store(
        self,
        task_id: str,
        worker_id: str,
        translated: dict[int, str],
        outcomes: Sequence[TextOutcome] = (),
    ) -> None:
        """Record a batch only while still holding the claim; never overwrite a stored unit.

        The batch's match kinds and unknown words join the job's running ``quality``.
        """
        insert = pg_insert if self.db.backend == "postgresql" else sqlite_insert
        now = utcnow()
        with self.db.session() as session:
            if not _hold(session, task_id, worker_id, heartbeat_at=now, updated_at=now):
                raise LostClaim(task_id)
            session.execute(
                insert(TaskSegment)
                .values(
                    [
                        {
                            "task_id": task_id,
                            "position": p,
                            "translation": t,
                            "worker_id": worker_id,
                        }
                        for p, t in translated.items()
                    ]
                )
                .on_conflict_do_nothing(index_elements=["task_id", "position"])
            )
            count = session.scalar(
                select(func.count()).select_from(TaskSegment).where(TaskSegment.task_id == task_id)
            )
            stored = session.scalar(select(Task.result_data).where(Task.task_id == task_id))
            session.execute(
                update(Task)
                .where(Task.task_id == task_id)
                .values(
                    progress_done=count,
                    result_data={"quality": add_quality((stored or {}).get("quality"), outcomes)},
                )
            )

    @retry_on_database_error()
    def _complete(
        self,
        task_id: str,
        worker_id: str,
        document: ExtractedDocument,
        options: dict[str, Any],
        size: int,
    ) -> str:
        stem = options["filename"].rsplit(".", 1)[0]
        name = f"{stem}.{options['target']}{document.suffix}"
        expires = utcnow() + timedelta(hours=self.settings.document_retention_hours)
        with self.db.session() as session:
            stored = session.scalar(select(Task.result_data).where(Task.task_id == task_id))
            session.execute(
                update(Task)
                .where(Task.task_id == task_id, Task.worker_id == worker_id)
                .values(
                    status="completed",
                    expires_at=expires,
                    updated_at=utcnow(),
                    result_data={
                        "filename": name,
                        "media_type": document.media_type,
                        "size": size,
                        "quality": add_quality((stored or {}).get("quality"), []),
                    },
                )
            )
        return "completed"

    @retry_on_database_error()
    def _fail(self, task_id: str, worker_id: str, reason: str) -> str:
        expires = utcnow() + timedelta(hours=self.settings.document_retention_hours)
        with self.db.session() as session:
            session.execute(
                update(Task)
                .where(Task.task_id == task_id)
                .values(
                    status="failed",
                    error_message=reason,
                    expires_at=expires,
                    updated_at=utcnow(),
                    worker_id=worker_id,
                )
            )
        return "failed"


def _terms(options: dict[str, Any]) -> list[Entry]:
    """The glossary copied into the job at submission (none for older jobs)."""
    return [Entry(s, t, "user", "glossary") for s, t in options.get("terms") or []]


def _public(task: Task) -> dict[str, Any]:
    return {
        "task_id": task.task_id,
        "status": task.status,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "progress": {"done": task.progress_done, "total": task.progress_total},
        "error": task.error_message,
        "input": task.input_data or {},
        "result": task.result_data,
        "attempts": task.attempts,
        "expires_at": task.expires_at,
        "owner": task.owner,
    }


def _hold(session: Session, task_id: str, worker_id: str, **values: Any) -> bool:
    """Update the job only while this worker still holds its claim; whether it does."""
    held = session.execute(
        update(Task)
        .where(Task.task_id == task_id, Task.worker_id == worker_id, Task.status == "processing")
        .values(**values)
    ).rowcount
    return held == 1
