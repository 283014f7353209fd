"""With Redis, a submitted job reaches a separate ``kreyol worker`` through Dramatiq at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from fastapi.testclient import TestClient

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from tests.conftest import bearer, derive, make_user


def test_the_queue_wakes_a_separate_worker(settings: Settings, redis_server, tmp_path: Path):
    configured = derive(settings, redis_url=redis_server.url, jobs_in_process=False)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update(
        {
            "KREYOL_DATA_DIR": str(settings.data_dir),
            "KREYOL_REDIS_URL": redis_server.url,
            "KREYOL_LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "kreyol_ia", "worker", "--poll", "120"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        banner = ""
        while "job queue" not in banner:
            line = worker.stdout.readline()
            assert line, "the worker exited before consuming the queue"
            banner += line
        time.sleep(1.5)
        app = create_app(configured)
        with TestClient(app) as client:
            make_user(app, "alice")
            client.headers.update(bearer(client, "alice"))
            created = client.post(
                "/api/v1/documents",
                data={"source": "en", "target": "ht"},
                files={"file": ("notice.txt", b"Good morning.\nWhere is the hospital?\n")},
            )
            task_id = created.json()["task_id"]
            deadline = time.monotonic() + 20
            status = "pending"
            while time.monotonic() < deadline and status != "completed":
                time.sleep(0.2)
                status = client.get(f"/api/v1/tasks/{task_id}").json()["status"]
            assert status == "completed", "the queued job did not run within 20 s (poll: 120 s)"
            result = client.get(f"/api/v1/tasks/{task_id}/result").text
            assert result == "Bonjou.\nKote lopital la ye?\n"
    finally:
        worker.terminate()
        worker.wait(30)
