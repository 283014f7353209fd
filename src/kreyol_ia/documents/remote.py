"""Client side of document jobs: upload, follow progress, download (kreyol translate-file)."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from kreyol_ia.retry import retry_on_network_error


class RemoteError(RuntimeError):
    """The server refused or failed the job; ``code`` is its error code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _raise_for(response: httpx.Response) -> None:
    if response.is_success:
        return
    try:
        error = response.json()["error"]
        raise RemoteError(error["code"], error["message"])
    except (ValueError, KeyError, TypeError):
        raise RemoteError("http_error", f"HTTP {response.status_code}") from None


def translate_file(
    server: str,
    api_key: str,
    filename: str,
    data: bytes,
    source: str,
    target: str,
    engine: str | None,
    progress: Callable[[int, int], None],
    poll: float = 1.0,
    timeout: float = 3600.0,
) -> tuple[bytes, str]:
    """Upload, wait for the job, and return (translated bytes, download name)."""
    base = server.rstrip("/")
    with httpx.Client(base_url=base, headers={"X-API-Key": api_key}, timeout=60) as client:
        form = {"source": source, "target": target, **({"engine": engine} if engine else {})}
        created = client.post("/api/v1/documents", data=form, files={"file": (filename, data)})
        _raise_for(created)
        task_id = created.json()["task_id"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = _status(client, task_id)
            progress(job["progress"]["done"], job["progress"]["total"])
            if job["status"] == "failed":
                raise RemoteError("job_failed", job.get("error") or "the job failed")
            if job["status"] == "completed":
                result = client.get(f"/api/v1/tasks/{task_id}/result")
                _raise_for(result)
                return result.content, job["result"]["filename"]
            time.sleep(poll)
    raise RemoteError("timeout", "the job did not finish in time")


@retry_on_network_error(max_attempts=5)
def _status(client: httpx.Client, task_id: str) -> dict:
    response = client.get(f"/api/v1/tasks/{task_id}")
    _raise_for(response)
    return response.json()
