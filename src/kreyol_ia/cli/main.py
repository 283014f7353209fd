"""The ``kreyol`` command line: serve, database, translation, memories, models, cache, jobs."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
import uvicorn
from rich.console import Console

from kreyol_ia import __version__
from kreyol_ia.cache import RedisCache, TranslationCache
from kreyol_ia.config import ConfigError, get_settings
from kreyol_ia.db import DatabaseManager, migrate
from kreyol_ia.translation.factory import build_translation_service
from kreyol_ia.translation.service import TranslationError, TranslationService

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


tm_app = typer.Typer(help="Translation memories imported by the operator.", no_args_is_help=True)
glossary_app = typer.Typer(
    help="Glossaries: terms every engine must respect.", no_args_is_help=True
)
model_app = typer.Typer(help="Neural models (CTranslate2).", no_args_is_help=True)
app.add_typer(tm_app, name="tm")
app.add_typer(glossary_app, name="glossary")
app.add_typer(model_app, name="model")


def _local_service() -> TranslationService:
    settings = get_settings()
    return build_translation_service(settings, DatabaseManager(settings))


def _read_input(text: str | None, file: Path | None) -> str:
    if file is not None:
        return file.read_text(encoding="utf-8")
    if text is not None and text != "-":
        return text
    if sys.stdin.isatty():
        raise typer.BadParameter("give TEXT, --file, or pipe text on standard input")
    return sys.stdin.read()


@app.command("translate")
def translate_command(
    text: str | None = typer.Argument(None, help="Text to translate ('-' or nothing: stdin)."),
    source: str = typer.Option("auto", "--from", "-f", help="en, fr, ht or auto."),
    target: str = typer.Option(..., "--to", "-t", help="en, fr or ht."),
    file: Path | None = typer.Option(None, "--file", help="Read the text from a file."),
    engine: str = typer.Option("auto", help="auto, phrasebook or neural."),
    details: bool = typer.Option(True, help="Show each segment's engine and match kind."),
) -> None:
    """Translate text locally, with the same service the API uses."""
    content = _read_input(text, file)
    try:
        outcome = _local_service().translate([content], source, target, engine)[0]
    except TranslationError as exc:
        err_console.print(f"[red]{exc.code}:[/red] {exc.message}")
        raise typer.Exit(code=2) from exc
    print(outcome.text)
    if details:
        for seg in outcome.segments:
            err_console.print(
                f"[dim]{outcome.engine} · {seg.result.match} · "
                f"{seg.result.score:.2f} · {seg.source}[/dim]"
            )
        if outcome.unknown_words:
            err_console.print(f"[yellow]unknown:[/yellow] {', '.join(outcome.unknown_words)}")


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
    report = evaluate(_local_service(), pairs, source, target, engine)
    console.print(f"segments: {report.segments}")
    console.print(f"BLEU: {report.bleu:.2f}")
    console.print(f"chrF++: {report.chrf:.2f}")
    for kind, count in sorted(report.matches.items()):
        console.print(f"  {kind}: {count}")


def _import(kind: str, file: Path, source: str | None, target: str | None) -> None:
    from kreyol_ia.translation.imports import normalise_language, parse_file
    from kreyol_ia.translation.memory_store import MemoryStore

    src = normalise_language(source) if source else None
    tgt = normalise_language(target) if target else None
    parsed = parse_file(file.name, file.read_bytes(), src, tgt)
    report = MemoryStore(DatabaseManager(get_settings())).store(kind, parsed.rows)
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


@model_app.command("convert")
def model_convert(
    hf_dir: Path = typer.Argument(..., exists=True, file_okay=False, help="Hugging Face model."),
    out: Path = typer.Argument(..., help="Output directory for the CTranslate2 model."),
    quantization: str = typer.Option("int8", help="int8, int8_float16, float16 or float32."),
    force: bool = typer.Option(False, help="Overwrite an existing output directory."),
) -> None:
    """Convert M2M100 or NLLB-200 to CTranslate2 (needs the 'convert' extra)."""
    from kreyol_ia.translation.convert import ConversionError, convert_hf_model

    try:
        path = convert_hf_model(hf_dir, out, quantization=quantization, force=force)
    except ConversionError as exc:
        err_console.print(f"[red]conversion failed:[/red] {exc}")
        raise typer.Exit(code=1) from exc
    console.print(f"model written to {path}; set KREYOL_MODEL_DIR={path}")


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
    reachable = cache.cache.ping()
    console.print(f"redis: {'reachable' if reachable else 'UNREACHABLE'}")
    if reachable:
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
    db = DatabaseManager(settings)
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
) -> None:
    """Translate a .txt/.md/.srt/.html/.docx/.pdf locally or on a server, with progress."""
    from rich.progress import Progress

    from kreyol_ia.documents import remote
    from kreyol_ia.documents.extract import extract
    from kreyol_ia.documents.model import DocumentError

    data = path.read_bytes()
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
                bar.update(task, total=len(document.units))
                translations: list[str] = []
                for start in range(0, len(document.units), 20):
                    batch = document.units[start : start + 20]
                    translations += [
                        o.text for o in service.translate(batch, source, target, engine)
                    ]
                    bar.update(task, completed=len(translations))
                output = document.rebuild(translations)
                name = f"{path.stem}.{target}{document.suffix}"
        except (DocumentError, remote.RemoteError, TranslationError) as exc:
            err_console.print(f"[red]{getattr(exc, 'code', 'error')}:[/red] {exc}")
            raise typer.Exit(code=2) from exc
    destination = out or path.with_name(name)
    destination.write_bytes(output)
    console.print(f"written {destination}")
