"""The ``kreyol`` command line: serve, database and version (more groups join as features land)."""

from __future__ import annotations

import typer
import uvicorn
from rich.console import Console

from kreyol_ia import __version__
from kreyol_ia.config import ConfigError, get_settings
from kreyol_ia.db import migrate

app = typer.Typer(
    help="Kreyòl IA: Haitian Creole ⇄ English/French translation service.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console()
err_console = Console(stderr=True)


@app.command()
def version() -> None:
    """Print the version."""
    console.print(f"kreyol-ia {__version__}")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: int = typer.Option(1, min=1, help="Worker processes."),
) -> None:
    """Run the HTTP API with uvicorn."""
    settings = get_settings()
    try:
        settings.resolved_secret_key()
    except ConfigError as exc:
        err_console.print(f"[red]Refusing to start:[/red] {exc}")
        raise typer.Exit(code=2) from exc
    console.print(f"Kreyòl IA {__version__} on http://{host}:{port}  (API docs: /docs)")
    uvicorn.run(
        "kreyol_ia.api.app:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
    )


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Create or migrate the schema to the newest revision."""
    url = get_settings().effective_database_url
    migrate.upgrade(url, revision)
    console.print(f"database at revision {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, or 'base'.")) -> None:
    """Step the schema back to an older revision."""
    migrate.downgrade(get_settings().effective_database_url, revision)
    console.print(f"database at revision {revision}")
