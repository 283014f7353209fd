"""Every Prometheus metric the service exports, and the collectors ``/metrics`` serves.

Labels are bounded sets only (route templates, methods, status codes, engines, match kinds,
tiers, windows, job statuses), never raw paths or user input: each label value is a new series.
With several worker processes set ``PROMETHEUS_MULTIPROC_DIR`` (see README "Metrics").
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from kreyol_ia.db.models import Task

if TYPE_CHECKING:
    from kreyol_ia.db import DatabaseManager
    from kreyol_ia.translation.service import TextOutcome

JOB_STATUSES = ("pending", "processing", "completed", "failed")

HTTP_REQUESTS = Counter(
    "kreyol_http_requests_total",
    "HTTP requests answered, by route template, method and status",
    ["route", "method", "status"],
)
HTTP_DURATION = Histogram(
    "kreyol_http_request_duration_seconds",
    "Time from request to the end of the response body, by route template and status",
    ["route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
SEGMENTS = Counter(
    "kreyol_translated_segments_total",
    "Sentences translated, by engine and match kind (exact, fuzzy, glossary, gloss, neural, ...)",
    ["engine", "match"],
)
CHARACTERS = Counter(
    "kreyol_translated_characters_total", "Source characters translated, by engine", ["engine"]
)
CACHE_LOOKUPS = Counter(
    "kreyol_translation_cache_lookups_total",
    "Translation cache lookups, by result (hit or miss)",
    ["result"],
)
RATE_LIMITED = Counter(
    "kreyol_rate_limit_refusals_total",
    "Requests refused with 429 by the rate limiter, by tier (or 'auth') and window",
    ["tier", "window"],
)
LOGIN_THROTTLED = Counter(
    "kreyol_login_throttle_refusals_total", "Sign-ins refused by the failed-login throttle"
)
JOB_DURATION = Histogram(
    "kreyol_job_duration_seconds",
    "Time a worker spent running one document job, by final status",
    ["status"],
    buckets=(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0),
)


def observe_translations(outcomes: Iterable[TextOutcome]) -> None:
    """Count the segments and source characters of finished translations."""
    for outcome in outcomes:
        for segment in outcome.segments:
            engine = segment.result.engine
            SEGMENTS.labels(engine, segment.result.match).inc()
            CHARACTERS.labels(engine).inc(len(segment.source))


class JobQueueCollector:
    """Jobs by status, read from the database at most once per ``ttl`` seconds.

    Scrapes inside the window get the remembered numbers, so scraping cannot load the database;
    the query is one ``GROUP BY`` over the ``(status, created_at)`` index.
    """

    def __init__(self, db: DatabaseManager, ttl: float = 15.0):
        self.db = db
        self.ttl = ttl
        self._lock = threading.Lock()
        self._counts: dict[str, int] | None = None
        self._read_at = 0.0

    def counts(self) -> dict[str, int] | None:
        """Jobs per status (every status present), or None when the database cannot answer."""
        with self._lock:
            now = time.monotonic()
            if self._counts is None or now - self._read_at >= self.ttl:
                self._counts = self._query()
                self._read_at = now
            return self._counts

    def _query(self) -> dict[str, int] | None:
        try:
            with self.db.session() as session:
                rows = session.execute(
                    select(Task.status, func.count()).group_by(Task.status)
                ).all()
        except SQLAlchemyError:
            return None
        return {status: 0 for status in JOB_STATUSES} | {str(s): int(n) for s, n in rows}

    def collect(self) -> Iterator[GaugeMetricFamily]:
        counts = self.counts()
        if counts is None:
            return
        family = GaugeMetricFamily(
            "kreyol_jobs", "Document jobs in the database, by status", labels=["status"]
        )
        for status, count in sorted(counts.items()):
            family.add_metric([status], count)
        yield family


def exposition(jobs: JobQueueCollector) -> bytes:
    """The text format: this process's (or, in multiprocess mode, all workers') metrics + jobs."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        process_metrics = generate_latest(registry)
    else:
        process_metrics = generate_latest(REGISTRY)
    queue = CollectorRegistry(auto_describe=False)
    queue.register(jobs)
    return process_metrics + generate_latest(queue)
