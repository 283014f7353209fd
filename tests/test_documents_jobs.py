"""Document jobs over HTTP and with real worker processes: round trips, resume, exclusivity."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import docx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from kreyol_ia.db import Task, TaskSegment, migrate
from kreyol_ia.db.clock import utcnow
from kreyol_ia.documents.callbacks import verify_signature
from kreyol_ia.documents.jobs import LostClaim
from kreyol_ia.documents.worker import JobWorker
from tests.conftest import bearer, derive, fresh_postgres_database, make_user
from tests.hooks import callback_receiver, wait_for_delivery

NOTICE = "Good morning.\n\n- Wash your hands.\n- Drink clean water.\n"


@pytest.fixture
def app_client(settings: Settings):
    app = create_app(derive(settings, jobs_in_process=False))
    with TestClient(app) as client:
        make_user(app, "alice", tier="enterprise")
        make_user(app, "bob")
        client.headers.update(bearer(client, "alice"))
        yield client


def _upload(client: TestClient, name: str, data: bytes, **form: str):
    return client.post(
        "/api/v1/documents",
        files={"file": (name, data)},
        data={"source": "en", "target": "ht", **form},
    )


def _work(client: TestClient, name: str = "w1") -> str | None:
    return JobWorker(client.app.state.jobs, name=name).run_once()


def test_text_round_trip_keeps_layout(app_client: TestClient) -> None:
    created = _upload(app_client, "notice.txt", NOTICE.encode())
    assert created.status_code == 202, created.text
    task_id = created.json()["task_id"]
    assert created.headers["Location"] == f"/api/v1/tasks/{task_id}"
    pending = app_client.get(f"/api/v1/tasks/{task_id}").json()
    assert pending["status"] == "pending" and pending["progress"] == {"done": 0, "total": 3}
    assert app_client.get(f"/api/v1/tasks/{task_id}/result").status_code == 409
    assert _work(app_client) == "completed"
    done = app_client.get(f"/api/v1/tasks/{task_id}").json()
    assert done["status"] == "completed" and done["progress"] == {"done": 3, "total": 3}
    result = app_client.get(f"/api/v1/tasks/{task_id}/result")
    assert result.headers["content-type"].startswith("text/plain")
    assert "notice.ht.txt" in result.headers["content-disposition"]
    assert result.text == "Bonjou.\n\n- Lave men ou yo.\n- Bwè dlo pwòp.\n"


def test_docx_round_trip_translates_paragraphs_in_order(app_client: TestClient) -> None:
    document = docx.Document()
    document.add_paragraph("Good morning.")
    styled = document.add_paragraph()
    styled.add_run("Where is the hospital?").bold = True
    document.add_paragraph("I am sick.")
    buffer = io.BytesIO()
    document.save(buffer)
    created = _upload(app_client, "letter.docx", buffer.getvalue())
    assert created.status_code == 202, created.text
    assert _work(app_client) == "completed"
    result = app_client.get(f"/api/v1/tasks/{created.json()['task_id']}/result")
    assert "wordprocessingml" in result.headers["content-type"]
    translated = docx.Document(io.BytesIO(result.content))
    texts = [p.text for p in translated.paragraphs if p.text]
    assert texts == ["Bonjou.", "Kote lopital la ye?", "Mwen malad."]
    assert translated.paragraphs[1].runs[0].bold is True


def test_bad_files_and_directions_are_422(app_client: TestClient) -> None:
    binary = _upload(app_client, "photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
    assert binary.status_code == 422
    assert binary.json()["error"]["code"] == "unsupported_format"
    pair = _upload(app_client, "a.txt", b"hello", source="en", target="fr")
    assert pair.json()["error"]["code"] == "unsupported_pair"
    callback = _upload(app_client, "a.txt", b"hello", callback_url="http://127.0.0.1:9/hook")
    assert callback.json()["error"]["code"] == "callback_url_forbidden"


def test_tasks_are_private_paginated_filtered_and_deletable(app_client: TestClient) -> None:
    ids = [_upload(app_client, f"n{i}.txt", NOTICE.encode()).json()["task_id"] for i in range(3)]
    _work(app_client)
    mine = app_client.get("/api/v1/tasks", params={"limit": 2}).json()["tasks"]
    assert len(mine) == 2
    completed = app_client.get("/api/v1/tasks", params={"status": "completed"}).json()["tasks"]
    assert [t["task_id"] for t in completed] == [ids[0]]
    bob = bearer(app_client, "bob")
    assert app_client.get(f"/api/v1/tasks/{ids[0]}", headers=bob).status_code == 404
    assert app_client.get(f"/api/v1/tasks/{ids[0]}/result", headers=bob).status_code == 404
    assert app_client.delete(f"/api/v1/tasks/{ids[0]}", headers=bob).status_code == 404
    assert app_client.get("/api/v1/tasks", headers=bob).json()["tasks"] == []
    assert app_client.delete(f"/api/v1/tasks/{ids[0]}").status_code == 204
    assert app_client.get(f"/api/v1/tasks/{ids[0]}").status_code == 404
    assert app_client.get("/api/v1/tasks/../../etc/passwd").status_code == 404


def test_documents_are_charged_by_characters_not_pages(app_client: TestClient) -> None:
    bob = bearer(app_client, "bob")  # free tier: 10 units a minute
    document = docx.Document()
    for index in range(300):
        document.add_paragraph(f"Line {index}.")
    buffer = io.BytesIO()
    document.save(buffer)
    created = app_client.post(
        "/api/v1/documents",
        files={"file": ("long.docx", buffer.getvalue())},
        data={"source": "en", "target": "ht"},
        headers=bob,
    )
    assert created.status_code == 202, created.text
    body = created.json()
    assert body["pages"] == 8 and body["characters"] == 2590 and body["cost"] == 3
    assert int(created.headers["RateLimit-Remaining"]) == 10 - 3
    usage = app_client.get("/api/v1/usage", headers=bob).json()
    assert usage["windows"]["minute"]["used"] == 3


def test_bad_engines_and_offsets_are_422_not_500(app_client: TestClient) -> None:
    bogus = _upload(app_client, "a.txt", b"hello", engine="bogus")
    assert bogus.status_code == 422 and bogus.json()["error"]["code"] == "unknown_engine"
    neural = _upload(app_client, "a.txt", b"hello", engine="neural")
    assert neural.status_code == 422 and neural.json()["error"]["code"] == "engine_unavailable"
    huge = app_client.get("/api/v1/tasks", params={"offset": 2**63})
    assert huge.status_code == 422 and huge.json()["error"]["code"] == "validation_error"


def test_auto_source_detected_as_the_target_is_refused_at_submit(app_client: TestClient) -> None:
    kreyol = "Bonjou, kijan ou ye? Mwen byen, mèsi anpil. Nou prale lekòl demen maten.".encode()
    refused = _upload(app_client, "nouvel.txt", kreyol, source="auto", target="ht")
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "unsupported_pair"
    assert app_client.get("/api/v1/tasks").json()["tasks"] == []


def test_long_names_keep_their_extension_and_format(app_client: TestClient) -> None:
    created = _upload(app_client, "n" * 300 + ".md", b"# Wash your hands\n\nGood morning.\n")
    assert created.status_code == 202, created.text
    task = app_client.get(created.json()["links"]["task"]).json()
    assert task["document"]["format"] == "md"
    assert task["document"]["filename"].endswith(".md") and len(task["document"]["filename"]) <= 120
    assert _work(app_client) == "completed"
    result = app_client.get(created.json()["links"]["result"])
    assert result.text.startswith("# ")  # still Markdown: the heading marker was kept


def test_results_download_as_inert_attachments(app_client: TestClient) -> None:
    page = b"<html><body><p onclick='x()'>Good morning.</p><script>alert(1)</script></body></html>"
    created = _upload(app_client, "bonjou-é.html", page)
    assert created.status_code == 202, created.text
    assert _work(app_client) == "completed"
    result = app_client.get(created.json()["links"]["result"])
    disposition = result.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="bonjou-_.ht.html"')
    assert "filename*=UTF-8''bonjou-%C3%A9.ht.html" in disposition
    assert result.headers["x-content-type-options"] == "nosniff"
    assert result.headers["content-security-policy"] == "sandbox"
    assert "<script" not in result.text and "onclick" not in result.text
    assert "Bonjou." in result.text


def test_claims_are_exclusive_and_a_lost_claim_stops_the_old_worker(
    app_client: TestClient,
) -> None:
    jobs = app_client.app.state.jobs
    task_id = _upload(app_client, "n.txt", NOTICE.encode()).json()["task_id"]
    assert jobs.claim(task_id, "w1") is True
    assert jobs.claim(task_id, "w2") is False
    with jobs.db.session() as session:
        session.execute(
            update(Task)
            .where(Task.task_id == task_id)
            .values(heartbeat_at=utcnow() - timedelta(minutes=5))
        )
    assert jobs.claim(task_id, "w2") is True
    with pytest.raises(LostClaim):
        jobs._store(task_id, "w1", {0: "x"})
    assert jobs.run(task_id, "w2") == "completed"


def test_two_workers_share_jobs_without_splitting_one(app_client: TestClient) -> None:
    text = "".join(f"Good morning {i}.\n" for i in range(60)).encode()
    ids = [_upload(app_client, f"j{i}.txt", text).json()["task_id"] for i in range(6)]
    jobs = app_client.app.state.jobs

    def drain(name: str) -> None:
        worker = JobWorker(jobs, name=name)
        while worker.run_once() is not None:
            pass

    threads = [threading.Thread(target=drain, args=(f"w{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with jobs.db.session() as session:
        for task_id in ids:
            owners = session.scalars(
                select(TaskSegment.worker_id).distinct().where(TaskSegment.task_id == task_id)
            ).all()
            count = session.scalar(
                select(func.count()).select_from(TaskSegment).where(TaskSegment.task_id == task_id)
            )
            assert len(owners) == 1 and count == 60
    statuses = {app_client.get(f"/api/v1/tasks/{i}").json()["status"] for i in ids}
    assert statuses == {"completed"}


def test_a_killed_worker_process_is_resumed_from_its_last_segment(
    app_client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    lines = "".join(f"Good morning number {i}.\n" for i in range(1500)).encode()
    task_id = _upload(app_client, "big.txt", lines).json()["task_id"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KREYOL_")}
    env.update(
        {
            "KREYOL_DATA_DIR": str(settings.data_dir),
            "KREYOL_JOB_BATCH_SEGMENTS": "1",
            "KREYOL_LOG_LEVEL": "WARNING",
        }
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "kreyol_ia", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    jobs = app_client.app.state.jobs
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and jobs.get(task_id, None)["progress"]["done"] < 50:
        time.sleep(0.05)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    before = jobs.get(task_id, None)
    assert before["status"] == "processing" and 50 <= before["progress"]["done"] < 1500
    with jobs.db.session() as session:
        session.execute(
            update(Task)
            .where(Task.task_id == task_id)
            .values(heartbeat_at=utcnow() - timedelta(minutes=5))
        )
        first = session.scalar(select(TaskSegment.worker_id).where(TaskSegment.task_id == task_id))
    assert JobWorker(jobs, name="rescuer").run_once() == "completed"
    with jobs.db.session() as session:
        by_worker = dict(
            session.execute(
                select(TaskSegment.worker_id, func.count())
                .where(TaskSegment.task_id == task_id)
                .group_by(TaskSegment.worker_id)
            )
            .tuples()
            .all()
        )
    assert by_worker[first] == before["progress"]["done"]
    assert by_worker["rescuer"] == 1500 - by_worker[first]
    result = app_client.get(f"/api/v1/tasks/{task_id}/result").text.splitlines()
    assert len(result) == 1500
    assert all(line.endswith(f" {i}.") for i, line in enumerate(result))


def test_signed_callback_on_completion(settings: Settings) -> None:
    app = create_app(derive(settings, jobs_in_process=False, callback_allow_private=True))
    with callback_receiver() as (url, received), TestClient(app) as client:
        make_user(app, "alice")
        client.headers.update(bearer(client, "alice"))
        task_id = _upload(client, "n.txt", NOTICE.encode(), callback_url=url).json()["task_id"]
        assert _work(client) == "completed"
        body, timestamp, signature = wait_for_delivery(received)
    payload = json.loads(body)
    assert payload["task_id"] == task_id and payload["status"] == "completed"
    secret = app.state.settings.resolved_callback_secret("alice", 0)  # alice's own secret
    assert verify_signature(secret, int(timestamp), body, signature)


def test_expired_jobs_and_files_are_cleaned_up(app_client: TestClient) -> None:
    jobs = app_client.app.state.jobs
    task_id = _upload(app_client, "n.txt", NOTICE.encode()).json()["task_id"]
    _work(app_client)
    assert jobs.store.result_path(task_id) is not None
    with jobs.db.session() as session:
        session.execute(
            update(Task)
            .where(Task.task_id == task_id)
            .values(expires_at=utcnow() - timedelta(hours=1))
        )
    assert jobs.cleanup_expired() == 1
    assert jobs.store.result_path(task_id) is None
    assert app_client.get(f"/api/v1/tasks/{task_id}").status_code == 404


class SlowEngine:
    """A test double: the real phrasebook engine, made slower than the stale limit per batch."""

    def __init__(self, inner: object, delay: float):
        self.inner = inner
        self.delay = delay
        self.name = inner.name  # type: ignore[attr-defined]

    def translate(self, segments, source: str, target: str):
        time.sleep(self.delay)
        return self.inner.translate(segments, source, target)  # type: ignore[attr-defined]

    def languages(self):
        return self.inner.languages()  # type: ignore[attr-defined]

    def info(self):
        return self.inner.info()  # type: ignore[attr-defined]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_slow_batch_is_not_taken_over_by_a_second_worker(
    settings: Settings, backend: str, request: pytest.FixtureRequest
) -> None:
    url = settings.effective_database_url
    if backend == "postgresql":
        url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
        migrate.upgrade(url)
    app = create_app(derive(settings, database_url=url, jobs_in_process=False, job_stale_seconds=5))
    with TestClient(app) as client:
        make_user(app, "alice")
        client.headers.update(bearer(client, "alice"))
        service = app.state.translation
        service.engines["phrasebook"] = SlowEngine(service.engines["phrasebook"], delay=7.0)
        task_id = _upload(client, "slow.txt", b"Good morning, slow friend.").json()["task_id"]
        jobs = app.state.jobs
        assert jobs.claim(task_id, "slow-worker")  # the slow worker holds it before the other polls
        finished: list[str] = []
        runner = threading.Thread(target=lambda: finished.append(jobs.run(task_id, "slow-worker")))
        runner.start()
        second = JobWorker(jobs, name="eager-worker")
        stolen = []
        while runner.is_alive():
            stolen.append(second.run_once())
            time.sleep(0.5)
        runner.join()
        job = jobs.get(task_id, None)
        assert finished == ["completed"] and set(stolen) == {None}
        assert job["status"] == "completed" and job["attempts"] == 1
        with jobs.db.session() as session:
            owners = session.scalars(
                select(TaskSegment.worker_id).where(TaskSegment.task_id == task_id)
            ).all()
        assert owners == ["slow-worker"]
