"""Where the CLI's database lives, and making sure it is migrated before a command uses it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from kreyol_ia.cli.errors import CliError
from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager, migrate


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def check_data_dir(settings: Settings) -> None:
    """Refuse the default relative ``var`` when it is not here: a new empty database would hide
    the real one (the CLI was run outside the project folder)."""
    if settings.database_url or "data_dir" in settings.model_fields_set:
        return
    if not settings.data_dir.is_dir():
        raise CliError(
            f"no data directory {Path.cwd() / settings.data_dir} here: run from the project folder"
            " (after `make run` or `kreyol db upgrade`) or set KREYOL_DATA_DIR",
            code=2,
        )


def migrates_itself(settings: Settings, url: str) -> bool:
    """The local single-machine case: SQLite in development mode migrates automatically."""
    return make_url(url).get_backend_name() == "sqlite" and settings.mode == "development"


def ready_database(settings: Settings) -> DatabaseManager:
    """A DatabaseManager on a schema at the code's head revision, or a one-line refusal."""
    check_data_dir(settings)
    url = settings.effective_database_url
    db = DatabaseManager(url, settings)
    try:
        problem = migrate.schema_problem(db.engine)
        current = migrate.current_revision(db.engine) if problem else None
    except OperationalError as exc:
        db.dispose()
        first = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
        raise CliError(f"cannot reach the database {shown_url(url)}: {first}") from exc
    if problem is None:
        return db
    known = current is None or migrate.is_known_revision(current)
    if known and migrates_itself(settings, url):
        migrate.upgrade(url)
        return db
    db.dispose()
    raise CliError(f"{problem} ({shown_url(url)})")
