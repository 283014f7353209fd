"""DatabaseManager: the seed's task and statistics API over one engine and session factory."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kreyol_ia.config import Settings
from kreyol_ia.db.clock import utcnow
from kreyol_ia.db.engine import build_engine, build_session_factory
from kreyol_ia.db.models import TASK_STATUSES, Task, UsageStat
from kreyol_ia.retry import retry_on_database_error

_UNSET: Any = object()


class DatabaseManager:
    """Owns the engine; every unit of work runs in one short session."""

    def __init__(self, url: str | Settings | None = None, settings: Settings | None = None):
        if isinstance(url, Settings):
            settings, url = url, None
        self.settings = settings or Settings()
        self.url = url or self.settings.effective_database_url
        self.engine = build_engine(self.url, self.settings)
        self._sessions = build_session_factory(self.engine)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success and rolled back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def ping(self) -> None:
        """Raise if the database cannot answer a trivial query."""
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @retry_on_database_error()
    def create_task(
        self, task_type: str, input_data: dict[str, Any] | None = None, owner: str | None = None
    ) -> str:
        """Record a new pending task and return its id."""
        task_id = uuid.uuid4().hex
        with self.session() as session:
            session.add(
                Task(
                    task_id=task_id,
                    task_type=task_type,
                    status="pending",
                    input_data=input_data,
                    owner=owner,
                )
            )
        return task_id

    @retry_on_database_error()
    def update_task(
        self,
        task_id: str,
        status: str | None = None,
        result_data: dict[str, Any] | None = _UNSET,
        error_message: str | None = _UNSET,
    ) -> bool:
        """Change a task's status, result or error; False when the task does not exist."""
        if status is not None and status not in TASK_STATUSES:
            raise ValueError(f"unknown task status {status!r}; expected one of {TASK_STATUSES}")
        with self.session() as session:
            task = session.get(Task, task_id)
            if task is None:
                return False
            if status is not None:
                task.status = status
            if result_data is not _UNSET:
                task.result_data = result_data
            if error_message is not _UNSET:
                task.error_message = error_message
            task.updated_at = utcnow()
        return True

    @retry_on_database_error()
    def get_task(self, task_id: str, owner: str | None = None) -> dict[str, Any] | None:
        """One task as a dict; with ``owner`` another user's task is simply absent."""
        with self.session() as session:
            task = session.get(Task, task_id)
            if task is None or (owner is not None and task.owner != owner):
                return None
            return _task_dict(task)

    @retry_on_database_error()
    def list_tasks(
        self, limit: int = 50, status: str | None = None, owner: str | None = None, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Newest tasks first, optionally filtered by status and owner."""
        query = select(Task).order_by(Task.created_at.desc(), Task.task_id).limit(limit)
        if offset:
            query = query.offset(offset)
        if status is not None:
            query = query.where(Task.status == status)
        if owner is not None:
            query = query.where(Task.owner == owner)
        with self.session() as session:
            return [_task_dict(task) for task in session.scalars(query)]

    @retry_on_database_error()
    def get_statistics(self) -> dict[str, Any]:
        """Task counts per status and all-time usage totals."""
        with self.session() as session:
            by_status = dict(
                session.execute(select(Task.status, func.count()).group_by(Task.status)).all()
            )
            requests, characters = session.execute(
                select(
                    func.coalesce(func.sum(UsageStat.requests), 0),
                    func.coalesce(func.sum(UsageStat.characters), 0),
                )
            ).one()
        counts = {status: int(by_status.get(status, 0)) for status in TASK_STATUSES}
        return {
            "total_tasks": sum(counts.values()),
            "tasks_by_status": counts,
            "total_requests": int(requests),
            "total_characters": int(characters),
        }

    @retry_on_database_error()
    def cleanup_old_tasks(self, days: int = 30) -> int:
        """Delete finished (completed or failed) tasks older than ``days``; return how many."""
        cutoff = utcnow() - timedelta(days=days)
        with self.session() as session:
            result = session.execute(
                delete(Task).where(
                    Task.status.in_(("completed", "failed")), Task.updated_at < cutoff
                )
            )
            return int(result.rowcount or 0)

    @retry_on_database_error()
    def record_usage(
        self, endpoint: str, username: str, requests: int = 1, characters: int = 0
    ) -> None:
        """Add to today's usage row for (endpoint, user) with one atomic upsert."""
        insert = pg_insert if self.backend == "postgresql" else sqlite_insert
        statement = insert(UsageStat).values(
            date=utcnow().date(),
            endpoint=endpoint,
            username=username,
            requests=requests,
            characters=characters,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["date", "endpoint", "username"],
            set_={
                "requests": UsageStat.requests + statement.excluded.requests,
                "characters": UsageStat.characters + statement.excluded.characters,
            },
        )
        with self.session() as session:
            session.execute(statement)

    @retry_on_database_error()
    def usage_since(self, username: str, since: date) -> dict[str, int]:
        """Requests and characters of one user from ``since`` (inclusive) to today."""
        with self.session() as session:
            requests, characters = session.execute(
                select(
                    func.coalesce(func.sum(UsageStat.requests), 0),
                    func.coalesce(func.sum(UsageStat.characters), 0),
                ).where(UsageStat.username == username, UsageStat.date >= since)
            ).one()
        return {"requests": int(requests), "characters": int(characters)}

    @retry_on_database_error()
    def usage_by_day(self, username: str, since: date) -> dict[date, tuple[int, int]]:
        """(requests, characters) per day of one user from ``since``, summed over endpoints."""
        query = (
            select(
                UsageStat.date,
                func.sum(UsageStat.requests),
                func.sum(UsageStat.characters),
            )
            .where(UsageStat.username == username, UsageStat.date >= since)
            .group_by(UsageStat.date)
        )
        with self.session() as session:
            rows = session.execute(query).all()
        return {day: (int(requests), int(characters)) for day, requests, characters in rows}


def _task_dict(task: Task) -> dict[str, Any]:
    return {
        "task_id": task.task_id,
        "task_type": task.task_type,
        "status": task.status,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
        "input_data": task.input_data,
        "result_data": task.result_data,
        "error_message": task.error_message,
        "owner": task.owner,
    }
