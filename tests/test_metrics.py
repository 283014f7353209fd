"""/metrics over HTTP: requests by route template, translations, cache, limits, jobs, workers."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from kreyol_ia.api.app import create_app
from kreyol_ia.config import Settings
from kreyol_ia.documents.worker import JobWorker
from tests.conftest import PASSWORD, bearer, derive, make_user

ROOT = Path(__file__).resolve().parents[1]


def scrape(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of ``/metrics`` by (name, labels)."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    """Development (open /metrics), documents queued but not run in process."""
    app = create_app(derive(settings, jobs_in_process=False, auth_rate_per_minute=1000))
    with TestClient(app, raise_server_exceptions=False) as client:
        make_user(app, "alice")
        client.headers.update(bearer(client, "alice"))
        yield client


def test_requests_are_labelled_by_route_template_never_raw_path(app_client: TestClient) -> None:
    before = scrape(app_client)
    task_id = uuid.uuid4().hex
    assert app_client.get(f"/api/v1/tasks/{task_id}").status_code == 404
    assert app_client.get(f"/no/such/{task_id}").status_code == 404
    assert app_client.request("BREW", "/health").status_code == 405
    after = scrape(app_client)
    route = "/api/v1/tasks/{task_id}"
    key = {"route": route, "method": "GET", "status": "404"}
    assert value(after, "kreyol_http_requests_total", **key) == (
        value(before, "kreyol_http_requests_total", **key) + 1
    )
    count = "kreyol_http_request_duration_seconds_count"
    assert value(after, count, route=route, status="404") >= 1
    unmatched = {"route": "<unmatched>", "method": "GET", "status": "404"}
    assert value(after, "kreyol_http_requests_total", **unmatched) >= 1
    assert value(after, "kreyol_http_requests_total", route="/health", method="OTHER", status="405")
    text = app_client.get("/metrics").text
    assert task_id not in text and "BREW" not in text


def test_translations_count_engine_match_characters_and_cache(app_client: TestClient) -> None:
    before = scrape(app_client)
    for _ in range(2):
        body = {"text": "Good morning.", "source": "en", "target": "ht"}
        assert app_client.post("/api/v1/translate", json=body).status_code == 200
    after = scrape(app_client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("kreyol_translated_segments_total", engine="phrasebook", match="exact") == 2
    assert delta("kreyol_translated_characters_total", engine="phrasebook") == 2 * len(
        "Good morning."
    )
    assert delta("kreyol_translation_cache_lookups_total", result="miss") == 1
    assert delta("kreyol_translation_cache_lookups_total", result="hit") == 1


def test_rate_limit_and_login_throttle_refusals_are_counted(settings: Settings) -> None:
    configured = derive(settings, auth_rate_per_minute=3, login_max_failures_per_user=2)
    with TestClient(create_app(configured)) as client:
        make_user(client.app, "alice")
        before = scrape(client)
        wrong = {"username": "alice", "password": "wrong " + PASSWORD}
        answers = [client.post("/api/v1/auth/token", data=wrong) for _ in range(5)]
        after = scrape(client)
    codes = [(a.status_code, a.json()["error"]["code"]) for a in answers]
    assert codes == [
        (401, "invalid_credentials"),
        (401, "invalid_credentials"),
        (429, "too_many_attempts"),
        (429, "rate_limited"),
        (429, "rate_limited"),
    ]
    throttled = "kreyol_login_throttle_refusals_total"
    assert value(after, throttled) - value(before, throttled) == 1
    refused = "kreyol_rate_limit_refusals_total"
    labels = {"tier": "auth", "window": "minute"}
    assert value(after, refused, **labels) - value(before, refused, **labels) == 2


def test_tier_refusals_carry_the_tier_and_window(app_client: TestClient) -> None:
    before = scrape(app_client)
    body = {"text": "Hello.", "source": "en", "target": "ht"}
    codes = [app_client.post("/api/v1/translate", json=body).status_code for _ in range(11)]
    assert codes[-1] == 429
    after = scrape(app_client)
    name = "kreyol_rate_limit_refusals_total"
    labels = {"tier": "free", "window": "minute"}
    assert value(after, name, **labels) - value(before, name, **labels) == codes.count(429) >= 1


def test_job_queue_depth_is_read_on_scrape_and_cached(settings: Settings) -> None:
    app = create_app(derive(settings, jobs_in_process=False))
    with TestClient(app) as client:
        make_user(app, "alice", tier="enterprise")
        client.headers.update(bearer(client, "alice"))

        def upload() -> None:
            response = client.post(
                "/api/v1/documents",
                files={"file": ("notice.txt", b"Good morning.\n")},
                data={"source": "en", "target": "ht"},
            )
            assert response.status_code == 202, response.text

        upload()
        first = scrape(client)
        assert value(first, "kreyol_jobs", status="pending") == 1
        assert value(first, "kreyol_jobs", status="failed") == 0
        assert ("kreyol_jobs", frozenset({("status", "failed")})) in first
        upload()
        assert value(scrape(client), "kreyol_jobs", status="pending") == 1  # cached
        app.state.job_metrics.ttl = 0
        assert value(scrape(client), "kreyol_jobs", status="pending") == 2

        before = scrape(client)
        assert JobWorker(app.state.jobs, name="w1").run_once() == "completed"
        after = scrape(client)
        name = "kreyol_job_duration_seconds_count"
        assert value(after, name, status="completed") - value(before, name, status="completed") == 1
        assert value(after, "kreyol_jobs", status="completed") == 1


def test_multiprocess_mode_sums_every_worker(tmp_path: Path, settings: Settings) -> None:
    """With PROMETHEUS_MULTIPROC_DIR, a scrape answered by one process shows all of them."""
    shared = tmp_path / "prom"
    shared.mkdir()
    script = textwrap.dedent(
        f"""
        import sys
        from fastapi.testclient import TestClient
        from kreyol_ia.api.app import create_app
        from kreyol_ia.config import Settings
        app = create_app(Settings(data_dir={str(settings.data_dir)!r}, _env_file=None))
        with TestClient(app) as client:
            assert client.get("/health").status_code == 200
            if sys.argv[1] == "scrape":
                print(client.get("/metrics").text)
        """
    )
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared), "PYTHONPATH": str(ROOT / "src")}
    for role in ("serve", "serve", "scrape"):
        done = subprocess.run(
            [sys.executable, "-c", script, role],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
    samples = {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(done.stdout)
        for sample in family.samples
    }
    labels = {"route": "/health", "method": "GET", "status": "200"}
    assert value(samples, "kreyol_http_requests_total", **labels) == 3
