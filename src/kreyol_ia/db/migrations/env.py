"""Alembic environment: runs online against the URL set by ``kreyol_ia.db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine, create_engine, pool
from sqlalchemy.engine import make_url

from kreyol_ia.db.engine import build_engine
from kreyol_ia.db.models import Base

config = context.config
target_metadata = Base.metadata


def _migration_engine(url: str) -> Engine:
    """SQLite keeps its pragmas (foreign keys); servers get a one-off connection."""
    if make_url(url).get_backend_name() == "sqlite":
        return build_engine(url)
    return create_engine(url, poolclass=pool.NullPool)


def run_migrations_online() -> None:
    """Migrate inside one transaction on a dedicated connection."""
    engine = _migration_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
