"""Database: the migration builds exactly the models' schema, and the seed's task API works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text, update
from sqlalchemy.exc import IntegrityError

from kreyol_ia.db import DatabaseManager, Task, User, migrate
from kreyol_ia.db.clock import utcnow
from kreyol_ia.db.models import Base

TABLES = {"users", "api_keys", "refresh_tokens", "tasks", "usage_stats", "alembic_version"}


def test_migration_creates_every_table_and_matches_the_models(database_url: str) -> None:
    migrate.upgrade(database_url)
    engine = create_engine(database_url)
    try:
        inspector = inspect(engine)
        assert set(inspector.get_table_names()) >= TABLES
        key_indexes = {index["name"] for index in inspector.get_indexes("api_keys")}
        assert {"idx_api_keys_username", "idx_api_keys_hashed_key"} <= key_indexes
        with engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert diff == []
        assert migrate.current_revision(engine) == migrate.head_revision()
    finally:
        engine.dispose()


def test_downgrade_to_base_and_upgrade_again(database_url: str) -> None:
    migrate.upgrade(database_url)
    migrate.downgrade(database_url, "base")
    engine = create_engine(database_url)
    assert "users" not in inspect(engine).get_table_names()
    engine.dispose()
    migrate.upgrade(database_url)
    engine = create_engine(database_url)
    assert "users" in inspect(engine).get_table_names()
    engine.dispose()


def test_upgrade_is_idempotent(database_url: str) -> None:
    migrate.upgrade(database_url)
    migrate.upgrade(database_url)


def _user(db: DatabaseManager, name: str = "alice") -> None:
    with db.session() as session:
        session.add(User(username=name, email=f"{name}@example.org", hashed_password="x"))


def test_task_lifecycle(db: DatabaseManager) -> None:
    _user(db)
    task_id = db.create_task("document", {"file": "a.txt"}, owner="alice")
    task = db.get_task(task_id)
    assert task is not None
    assert task["status"] == "pending"
    assert task["input_data"] == {"file": "a.txt"}
    assert db.update_task(task_id, status="processing")
    assert db.update_task(task_id, status="completed", result_data={"segments": 3})
    task = db.get_task(task_id)
    assert task["status"] == "completed"
    assert task["result_data"] == {"segments": 3}
    assert task["updated_at"] >= task["created_at"]
    assert db.update_task("missing", status="failed") is False
    with pytest.raises(ValueError, match="unknown task status"):
        db.update_task(task_id, status="exploded")


def test_tasks_are_scoped_to_their_owner(db: DatabaseManager) -> None:
    _user(db, "alice")
    _user(db, "bob")
    mine = db.create_task("document", owner="alice")
    db.create_task("document", owner="bob")
    assert db.get_task(mine, owner="bob") is None
    assert db.get_task(mine, owner="alice") is not None
    assert [t["task_id"] for t in db.list_tasks(owner="alice")] == [mine]


def test_list_tasks_filters_and_limits(db: DatabaseManager) -> None:
    ids = [db.create_task("document") for _ in range(5)]
    db.update_task(ids[0], status="failed", error_message="corrupt file")
    assert len(db.list_tasks(limit=3)) == 3
    failed = db.list_tasks(status="failed")
    assert [t["task_id"] for t in failed] == [ids[0]]
    assert failed[0]["error_message"] == "corrupt file"


def test_statistics_and_usage(db: DatabaseManager) -> None:
    _user(db)
    first = db.create_task("document")
    db.create_task("document")
    db.update_task(first, status="completed")
    db.record_usage("translate", "alice", characters=120)
    db.record_usage("translate", "alice", characters=30)
    stats = db.get_statistics()
    assert stats["total_tasks"] == 2
    assert stats["tasks_by_status"] == {"pending": 1, "processing": 0, "completed": 1, "failed": 0}
    assert stats["total_requests"] == 2
    assert stats["total_characters"] == 150
    assert db.usage_since("alice", utcnow().date()) == {"requests": 2, "characters": 150}


def test_cleanup_removes_only_old_finished_tasks(db: DatabaseManager) -> None:
    old_done, old_pending, new_done = (db.create_task("document") for _ in range(3))
    db.update_task(old_done, status="completed")
    db.update_task(new_done, status="completed")
    with db.session() as session:
        session.execute(
            update(Task)
            .where(Task.task_id.in_([old_done, old_pending]))
            .values(updated_at=utcnow() - timedelta(days=40))
        )
    assert db.cleanup_old_tasks(days=30) == 1
    assert db.get_task(old_done) is None
    assert db.get_task(old_pending) is not None
    assert db.get_task(new_done) is not None


def test_foreign_keys_are_enforced(db: DatabaseManager) -> None:
    with pytest.raises(IntegrityError):
        db.create_task("document", owner="nobody")


def test_duplicate_email_is_refused(db: DatabaseManager) -> None:
    _user(db, "alice")
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(User(username="other", email="alice@example.org", hashed_password="x"))


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    migrate.upgrade(url)
    manager = DatabaseManager(url)
    with manager.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    manager.dispose()


def test_postgres_pool_settings_apply(postgres_server, tmp_path) -> None:
    from kreyol_ia.config import Settings

    settings = Settings(
        database_url=postgres_server.url,
        db_pool_size=3,
        db_max_overflow=2,
        db_pool_recycle=60,
        data_dir=tmp_path,
        _env_file=None,
    )
    manager = DatabaseManager(settings)
    assert manager.backend == "postgresql"
    assert manager.engine.pool.size() == 3
    assert manager.engine.pool._max_overflow == 2
    assert manager.engine.pool._recycle == 60
    assert manager.engine.pool._pre_ping is True
    manager.ping()
    manager.dispose()
