"""Hostile uploads over HTTP: answered fast with a 4xx, charged, refused before parsing when
rate-limited, and never slowing /health (bounded versions of bench/upload_bombs.py)."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from bench.upload_bombs import docx_bomb, pdf_bomb, text_bomb
from kreyol_ia.api import create_app
from kreyol_ia.config import Settings
from tests.conftest import bearer, derive, make_user

BOUND = 10.0  # seconds: generous, the unbounded versions took 48-70 s before the sandbox


@pytest.fixture
def bomb_client(settings: Settings):
    app = create_app(
        derive(settings, jobs_in_process=False, parse_cpu_seconds=1, parse_timeout_seconds=5)
    )
    with TestClient(app) as client:
        make_user(app, "mallory")
        client.headers.update(bearer(client, "mallory"))
        yield client


def _upload(client: TestClient, name: str, data: bytes):
    return client.post(
        "/api/v1/documents", files={"file": (name, data)}, data={"source": "en", "target": "ht"}
    )


def _used(client: TestClient) -> int:
    return client.get("/api/v1/usage").json()["windows"]["minute"]["used"]


def _timed(client: TestClient, name: str, data: bytes):
    started = time.monotonic()
    response = _upload(client, name, data)
    return response, time.monotonic() - started


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("bomb.docx", docx_bomb(4), "decompression_bomb"),
        ("bomb.pdf", pdf_bomb(20), "decompression_bomb"),
        # pypdf's work limit or the CPU limit, whichever this machine reaches first
        ("slow.pdf", pdf_bomb(3), "parse_timeout|document_too_complex"),
    ],
    ids=["docx-empty-paragraphs", "pdf-inflating-stream", "pdf-slow-operators"],
)
def test_bombs_are_refused_fast_and_still_charged(
    bomb_client: TestClient, name: str, data: bytes, code: str
) -> None:
    assert len(data) < 70_000
    response, elapsed = _timed(bomb_client, name, data)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] in code.split("|")
    assert elapsed < BOUND
    assert _used(bomb_client) >= 1  # the refused parse was paid for


def test_a_big_single_line_text_is_charged_by_size_not_by_page(bomb_client: TestClient) -> None:
    refused = _upload(bomb_client, "line.txt", text_bomb(3))  # 13 units up front > 10 a minute
    assert refused.status_code == 413, refused.text
    error = refused.json()["error"]
    assert error["code"] == "request_too_large" and error["details"]["max_cost"] == 10
    assert _used(bomb_client) == 0  # refused before anything was read or charged
    long_line = b"water " * 1700  # 10,200 characters: 11 units > 10, on one "page"
    too_long = _upload(bomb_client, "line.txt", long_line)
    assert too_long.status_code == 413 and too_long.json()["error"]["code"] == "request_too_large"
    assert _used(bomb_client) == 1  # the read was charged
    fits = _upload(bomb_client, "line.txt", b"water " * 1000)  # 5,999 characters: 6 units
    assert fits.status_code == 202, fits.text
    assert fits.json()["characters"] == 5999 and fits.json()["cost"] == 6
    assert _used(bomb_client) == 7


def test_a_rate_limited_caller_is_refused_before_the_file_is_parsed(
    bomb_client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = bomb_client.app.state.jobs
    parsed: list[str] = []
    real_prepare = jobs.prepare

    def counted(name: str, data: bytes):  # the real parser, counted
        parsed.append(name)
        return real_prepare(name, data)

    monkeypatch.setattr(jobs, "prepare", counted)
    for _ in range(10):
        assert bomb_client.post("/api/v1/detect", json={"text": "Bonjou"}).status_code == 200
    response = _upload(bomb_client, "slow.pdf", pdf_bomb(3))
    # parsed, this file would cost its whole 1 s CPU budget: refused, it is never opened
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    assert parsed == []


def test_health_stays_fast_while_six_bombs_are_in_flight(bomb_client: TestClient) -> None:
    make_user(bomb_client.app, "trudy", tier="enterprise")
    headers = bearer(bomb_client, "trudy")
    slow = pdf_bomb(3)
    answers: list[int] = []

    def upload() -> None:
        files = {"file": ("s.pdf", slow)}
        form = {"source": "en", "target": "ht"}
        sent = bomb_client.post("/api/v1/documents", files=files, data=form, headers=headers)
        answers.append(sent.status_code)

    uploads = [threading.Thread(target=upload) for _ in range(6)]
    for thread in uploads:
        thread.start()
    time.sleep(0.3)
    latencies = []
    while any(thread.is_alive() for thread in uploads):
        started = time.monotonic()
        assert bomb_client.get("/health").status_code == 200
        latencies.append(time.monotonic() - started)
        time.sleep(0.1)
    for thread in uploads:
        thread.join()
    assert len(latencies) >= 5
    assert max(latencies) < 2.0, latencies  # generous: the machine is shared; base: 4.6 s
    assert sorted(set(answers)) in ([422], [422, 503], [503])
