"""Workers: claim jobs from the database and run them, in the API process or on their own.

``kreyol serve`` starts ``KREYOL_JOB_WORKERS`` threads; ``kreyol worker`` runs the same loop in
separate processes on any machine that reaches the database. Claims are atomic, so any number
of workers can share the queue, and a job whose worker died is taken over once its heartbeat is
older than ``KREYOL_JOB_STALE_SECONDS``; it resumes after its last stored segment.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid

from kreyol_ia.documents.callbacks import deliver, owner_secret
from kreyol_ia.documents.jobs import JobService
from kreyol_ia.metrics import JOB_DURATION

logger = logging.getLogger(__name__)
CLEANUP_EVERY = 60.0  # seconds between sweeps of expired jobs, busy or idle


def worker_name() -> str:
    """Unique per worker thread: host, process and a random suffix."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class JobWorker:
    """One polling loop; ``run_once`` is what tests drive step by step."""

    def __init__(self, jobs: JobService, poll_seconds: float = 1.0, name: str | None = None):
        self.jobs = jobs
        self.poll_seconds = poll_seconds
        self.name = name or worker_name()

    def run_once(self) -> str | None:
        """Claim and run one job; None when there was nothing to claim."""
        for task_id in self.jobs.candidates():
            status = self.run_job(task_id)
            if status is not None:
                return status
        return None

    def run_job(self, task_id: str) -> str | None:
        """Run one named job if this worker wins its claim (a queue message lands here)."""
        if not self.jobs.claim(task_id, self.name):
            return None
        started = time.perf_counter()
        status = self.jobs.run(task_id, self.name)
        JOB_DURATION.labels(status).observe(time.perf_counter() - started)
        self._notify(task_id, status)
        return status

    def run_forever(self, stop: threading.Event) -> None:
        """Poll until ``stop`` is set; errors are logged and never end the loop."""
        last_cleanup = 0.0
        while not stop.is_set():
            ran = None
            try:
                if time.monotonic() - last_cleanup >= CLEANUP_EVERY:
                    last_cleanup = time.monotonic()
                    self.jobs.cleanup_expired()
                ran = self.run_once()
            except Exception:
                logger.exception("document worker %s: unexpected error", self.name)
            if ran is None:
                stop.wait(self.poll_seconds)

    def _notify(self, task_id: str, status: str) -> None:
        if status not in {"completed", "failed"}:
            return
        job = self.jobs.get(task_id, None)
        url = (job or {}).get("input", {}).get("callback_url")
        if not url or job is None:
            return
        settings = self.jobs.settings
        payload = {
            "task_id": task_id,
            "status": status,
            "error": job["error"],
            "progress": job["progress"],
            "result": f"/api/v1/tasks/{task_id}/result" if status == "completed" else None,
        }
        threading.Thread(
            target=deliver,
            name=f"kreyol-callback-{task_id[:8]}",
            daemon=True,
            args=(url, payload, owner_secret(self.jobs.db, settings, task_id)),
            kwargs={"allow_private": settings.callback_allow_private},
        ).start()


class WorkerPool:
    """Background worker threads owned by the API process."""

    def __init__(self, jobs: JobService, threads: int):
        self.jobs = jobs
        self.threads = threads
        self._stop = threading.Event()
        self._running: list[threading.Thread] = []

    def start(self) -> None:
        for index in range(self.threads):
            worker = JobWorker(self.jobs)
            thread = threading.Thread(
                target=worker.run_forever,
                args=(self._stop,),
                name=f"kreyol-worker-{index}",
                daemon=True,
            )
            thread.start()
            self._running.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        for thread in self._running:
            thread.join(timeout)
