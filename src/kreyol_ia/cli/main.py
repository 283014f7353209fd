"""The ``kreyol`` command line: serve, database, translation, memories, models, cache, jobs."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
import uvicorn
from rich.console import Console

from kreyol_ia import __version__
from kreyol_ia.cache import RedisCache, TranslationCache
from kreyol_ia.cli.database import check_data_dir, ready_database, shown_url
from kreyol_ia.cli.errors import DEBUG_ENV, CliError, GuardedTyper, set_debug
from kreyol_ia.config import get_settings
from kreyol_ia.db import migrate
from kreyol_ia.translation.factory import build_translation_service
from kreyol_ia.translation.languages import normalise_code
from kreyol_ia.translation.service import TranslationError, TranslationService

app = GuardedTyper(
    help="Kreyòl IA: Haitian Creole ⇄ English/French translation service.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)


@app.callback()
def main(
    debug: bool = typer.Option(
        False, "--debug", envvar=DEBUG_ENV, help="Show the traceback of any error."
    ),
) -> None:
    """Kreyòl IA: Haitian Creole ⇄ English/French translation service."""
    set_debug(debug)


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
    """Run the HTTP API with uvicorn (SQLite in development is migrated first)."""
    settings = get_settings()
    try:
        check_data_dir(settings)
        settings.resolved_secret_key()
        ready_database(settings).dispose()
    except CliError as exc:
        raise CliError(f"refusing to start: {exc.message}", exc.code) from exc
    if workers > 1 and not settings.redis_dsn:
        err_console.print(
            f"WARNING: --workers {workers} without KREYOL_REDIS_URL: rate limits, sign-in"
            f" throttles and the cache are kept per process, so the effective limit is"
            f" {workers}× each tier's; set KREYOL_REDIS_URL to share them",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"Kreyòl IA {__version__} on http://{host}:{port}  (web page: /, API docs: /docs)"
    )
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
    """Create or migrate the schema to the newest revision (creates the data directory)."""
    url = get_settings().effective_database_url
    migrate.upgrade(url, revision)
    console.print(f"database {shown_url(url)} at revision {revision}")


@db_app.command("downgrade")
def db_downgrade(
    revision: str = typer.Argument(..., help="Target revision, or 'base'."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Step the schema back to an older revision; 'base' drops every table."""
    settings = get_settings()
    check_data_dir(settings)
    url = settings.effective_database_url
    if not migrate.is_known_revision(revision) and revision != "base":
        raise CliError(f"unknown revision {revision!r}; the newest is {migrate.head_revision()}", 2)
    loss = "drop EVERY table and its data" if revision == "base" else "drop newer tables/columns"
    if not yes and not typer.confirm(f"This may {loss} in {shown_url(url)}. Continue?"):
        raise CliError("nothing changed", 1)
    migrate.downgrade(url, revision)
    console.print(f"database {shown_url(url)} at revision {revision}")


tm_app = typer.Typer(help="Translation memories imported by the operator.", no_args_is_help=True)
glossary_app = typer.Typer(
    help="Glossaries: terms every engine must respect.", no_args_is_help=True
)
app.add_typer(tm_app, name="tm")
app.add_typer(glossary_app, name="glossary")


def _local_service() -> TranslationService:
    settings = get_settings()
    return build_translation_service(settings, ready_database(settings))


def _read_input(text: str | None, file: Path | None) -> str:
    if file is not None:
        return file.read_text(encoding="utf-8")
    if text is not None and text != "-":
        return text
    if sys.stdin.isatty():
        raise typer.BadParameter("give TEXT, --file, or pipe text on standard input")
    return sys.stdin.read()


def _output(translation: str, content: str, argument: bool) -> str:
    """The translation ending with exactly the input's trailing newlines (one for an argument)."""
    trailing = content[len(content.rstrip("\r\n")) :]
    return translation.rstrip("\r\n") + (trailing or ("\n" if argument else ""))


@app.command("translate")
def translate_command(
    text: str | None = typer.Argument(None, help="Text to translate ('-' or nothing: stdin)."),
    source: str = typer.Option("auto", "--from", "-f", help="en, fr, ht or auto."),
    target: str = typer.Option(..., "--to", "-t", help="en, fr or ht."),
    file: Path | None = typer.Option(None, "--file", help="Read the text from a file."),
    engine: str = typer.Option("auto", help="auto, phrasebook or neural."),
    details: bool | None = typer.Option(
        None,
        help="Show each segment's engine and match kind on stderr"
        " (default: on for TEXT, off for --file and stdin).",
    ),
) -> None:
    """Translate text locally, with the same service the API uses."""
    content = _read_input(text, file)
    argument = file is None and text not in (None, "-")
    source, target = normalise_code(source), normalise_code(target)
    try:
        outcome = _local_service().translate([content], source, target, engine)[0]
    except TranslationError as exc:
        err_console.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(code=2) from exc
    sys.stdout.write(_output(outcome.text, content, argument))
    if details if details is not None else argument:
        for seg in outcome.segments:
            err_console.print(
                f"[dim]{outcome.engine} · {seg.result.match} · "
                f"{seg.result.score:.2f} · {seg.source}[/dim]"
            )
        if outcome.unknown_words:
            err_console.print(f"[yellow]unknown:[/yellow] {', '.join(outcome.unknown_words)}")
        for sentence in outcome.uncertain_sentences:
            err_console.print(f"[yellow]uncertain:[/yellow] {sentence}")


@app.command("eval")
def eval_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="TSV: source<TAB>reference"),
    source: str = typer.Option(..., "--from", "-f"),
    target: str = typer.Option(..., "--to", "-t"),
    engine: str = typer.Option("auto"),
) -> None:
    """Score a test set with BLEU and chrF++ (sacrebleu) and count each match kind."""
    from kreyol_ia.translation.evaluate import evaluate, read_test_set

    pairs = read_test_set(file)
    source, target = normalise_code(source), normalise_code(target)
    report = evaluate(_local_service(), pairs, source, target, engine)
    console.print(f"segments: {report.segments}")
    console.print(f"BLEU: {report.bleu:.2f}")
    console.print(f"chrF++: {report.chrf:.2f}")
    console.print(f"source words: {report.words}")
    console.print(f"unknown words: {report.unknown} ({report.unknown_rate:.1%})")
    console.print(f"guessed words: {report.guessed} ({report.guessed_rate:.1%})")
    if report.uncertain:
        console.print(f"uncertain sentences (a model was unsure): {report.uncertain}")
    console.print("sentences by match kind:")
    for kind, share in report.match_shares().items():
        console.print(f"  {kind}: {report.matches[kind]} ({share:.1%})")


def _import(kind: str, file: Path, source: str | None, target: str | None) -> None:
    from kreyol_ia.translation.imports import normalise_language, parse_file
    from kreyol_ia.translation.memory_store import MemoryStore

    src = normalise_language(source) if source else None
    tgt = normalise_language(target) if target else None
    parsed = parse_file(file.name, file.read_bytes(), src, tgt)
    report = MemoryStore(ready_database(get_settings())).store(kind, parsed.rows)
    console.print(f"imported {report.stored} {kind} entries from {file}")
    for error in parsed.errors:
        err_console.print(f"[yellow]skipped[/yellow] {error}")
    if parsed.errors and not parsed.rows:
        raise typer.Exit(code=1)


@tm_app.command("import")
def tm_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="TMX 1.4 or TSV file."),
    source: str | None = typer.Option(None, "--from", help="Source language of a TSV."),
    target: str | None = typer.Option(None, "--to", help="Target language of a TSV."),
) -> None:
    """Import a translation memory; its entries win over the built-in ones."""
    _import("tm", file, source, target)


@glossary_app.command("import")
def glossary_import(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="TSV or TMX file."),
    source: str | None = typer.Option(None, "--from", help="Source language of a TSV."),
    target: str | None = typer.Option(None, "--to", help="Target language of a TSV."),
) -> None:
    """Import glossary terms, enforced on every engine's output."""
    _import("glossary", file, source, target)


cache_app = typer.Typer(help="The shared translation cache (Redis).", no_args_is_help=True)
app.add_typer(cache_app, name="cache")


def _shared_cache() -> TranslationCache:
    url = get_settings().redis_dsn
    if not url:
        err_console.print("no KREYOL_REDIS_URL: each server process keeps its own cache in memory")
        raise typer.Exit(code=1)
    return TranslationCache(RedisCache(url=url))


@cache_app.command("stats")
def cache_stats() -> None:
    """Whether Redis answers and how many translations it holds."""
    cache = _shared_cache()
    if not cache.cache.ping():
        raise CliError("Redis is unreachable (KREYOL_CACHE_REDIS_URL / KREYOL_REDIS_URL)")
    console.print("redis: reachable")
    count = sum(
        1
        for _ in cache.cache.client.scan_iter(  # type: ignore[union-attr]
            match=cache.cache.namespaced("tr:*"), count=500
        )
    )
    console.print(f"cached translations: {count}")


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every cached translation of this service (SCAN + UNLINK, never FLUSHDB)."""
    cache = _shared_cache()
    if not cache.cache.ping():
        err_console.print("[red]Redis is unreachable: nothing was cleared[/red]")
        raise typer.Exit(code=1)
    console.print(f"removed {cache.clear()} cached translations")


@db_app.command("migrate-sqlite")
def db_migrate_sqlite(
    source: str = typer.Option(..., "--from", help="sqlite:///path/to/kreyol.db"),
    target: str = typer.Option(..., "--to", help="postgresql+psycopg://user:…@host/db"),
    force: bool = typer.Option(False, help="Overwrite rows already in the target."),
    batch_size: int = typer.Option(1000, min=1, help="Rows per batch."),
) -> None:
    """Copy a SQLite database into PostgreSQL, then check row counts and keys."""
    from rich.progress import Progress

    from kreyol_ia.db.copy import CopyRefused, copy_database

    _check_copy_urls(source, target)
    with Progress(console=err_console) as bar:
        tasks: dict[str, object] = {}

        def advance(table: str, done: int, total: int) -> None:
            if table not in tasks:
                tasks[table] = bar.add_task(table, total=total)
            bar.update(tasks[table], completed=done)  # type: ignore[arg-type]

        try:
            reports = copy_database(source, target, force, batch_size, advance)
        except CopyRefused as exc:
            err_console.print(f"[red]refused:[/red] {exc}")
            raise typer.Exit(code=2) from exc
    failed = [r for r in reports if r.source_rows != r.target_rows or not r.keys_match]
    for report in reports:
        state = "ok" if report not in failed else "MISMATCH"
        console.print(
            f"{report.table}: {report.source_rows} → {report.target_rows} rows, "
            f"keys {'match' if report.keys_match else 'differ'} [{state}]"
        )
    if failed:
        raise typer.Exit(code=1)


@app.command("worker")
def worker_command(
    threads: int = typer.Option(1, min=1, max=32, help="Worker threads in this process."),
    poll: float = typer.Option(1.0, min=0.1, help="Seconds between polls when idle."),
) -> None:
    """Run document jobs from the shared database until interrupted (any number of machines)."""
    import signal
    import threading

    from kreyol_ia.documents.jobs import JobService
    from kreyol_ia.documents.worker import JobWorker

    settings = get_settings()
    db = ready_database(settings)
    jobs = JobService(db, build_translation_service(settings, db), settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    workers = [JobWorker(jobs, poll) for _ in range(threads)]
    consumer = None
    if settings.redis_dsn:
        from kreyol_ia.documents.queue import JobQueue, broker_for

        queue = JobQueue(broker_for(settings.redis_dsn), JobWorker(jobs, poll).run_job)
        consumer = queue.consume(threads)
        console.print("consuming the Redis job queue (Dramatiq); polling stays as a fallback")
    running = [threading.Thread(target=w.run_forever, args=(stop,), daemon=True) for w in workers]
    for thread in running:
        thread.start()
    console.print(f"{threads} document worker(s) running; Ctrl+C to stop")
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        stop.set()
    if consumer is not None:
        consumer.stop()
    for thread in running:
        thread.join(30)


@app.command("translate-file")
def translate_file(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="The document."),
    target: str = typer.Option(..., "--to", "-t", help="en, fr or ht."),
    source: str = typer.Option("auto", "--from", "-f", help="en, fr, ht or auto."),
    out: Path | None = typer.Option(None, "--out", help="Output file (default: beside it)."),
    engine: str | None = typer.Option(None, help="auto, phrasebook or neural."),
    server: str | None = typer.Option(None, help="Translate on a server (http(s)://host:port)."),
    api_key: str | None = typer.Option(
        None, envvar="KREYOL_API_KEY", help="API key for --server (prefer the env variable)."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Translate a .txt/.md/.srt/.html/.docx/.pdf locally or on a server, with progress."""
    from rich.progress import Progress

    from kreyol_ia.documents import remote
    from kreyol_ia.documents.extract import extract
    from kreyol_ia.documents.model import DocumentError

    _refuse_overwrite(out, force)
    data = path.read_bytes()
    source, target = normalise_code(source), normalise_code(target)
    with Progress(console=err_console) as bar:
        task = bar.add_task(path.name, total=None)
        try:
            if server:
                if not api_key:
                    raise typer.BadParameter("--server needs an API key (KREYOL_API_KEY)")
                output, name = remote.translate_file(
                    server,
                    api_key,
                    path.name,
                    data,
                    source,
                    target,
                    engine,
                    lambda done, total: bar.update(task, completed=done, total=total),
                )
            else:
                document = extract(path.name, data, get_settings().max_document_pages)
                service = _local_service()
                if source == "auto":  # once for the whole file, as the server does
                    source = service.detect(" ".join(document.units)[:2000]).language
                bar.update(task, total=len(document.units))
                translations: list[str] = []
                for start in range(0, len(document.units), 20):
                    batch = document.units[start : start + 20]
                    translations += [
                        o.text for o in service.translate(batch, source, target, engine)
                    ]
                    bar.update(task, completed=len(translations))
                hints = [o.text for o in service.translate(document.hints, source, target, engine)]
                output = document.rebuild(translations, hints, target)
                name = f"{path.stem}.{target}{document.suffix}"
        except (DocumentError, remote.RemoteError, TranslationError) as exc:
            err_console.print(f"[red]{getattr(exc, 'code', 'error')}:[/red] {exc}")
            raise typer.Exit(code=2) from exc
    destination = out or path.with_name(name)
    _refuse_overwrite(destination, force)
    destination.write_bytes(output)
    console.print(f"written {destination}")


def _check_copy_urls(source: str, target: str) -> None:
    """Refuse malformed URLs and a SQLite source that is not there (it would be created empty)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        source_url, target_url = make_url(source), make_url(target)
    except ArgumentError as exc:
        raise CliError(f"bad database URL: {exc}", 2) from exc
    if source_url.get_backend_name() != "sqlite":
        raise CliError("--from must be a SQLite URL: sqlite:///path/to/kreyol.db", 2)
    if not source_url.database or not Path(source_url.database).is_file():
        raise CliError(f"no SQLite database at {source_url.database or '(none)'}", 2)
    if target_url.get_backend_name() != "postgresql":
        raise CliError("--to must be a PostgreSQL URL: postgresql+psycopg://user@host/db", 2)


def _refuse_overwrite(destination: Path | None, force: bool) -> None:
    """Never replace someone's file silently: exit 1 unless --force."""
    if destination is not None and destination.exists() and not force:
        err_console.print(f"exists: {destination} is already there; use --force to replace it")
        raise typer.Exit(code=1)
