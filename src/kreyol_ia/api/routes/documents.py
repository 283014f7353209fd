"""Document translation: upload a file (202 + task id), follow the task, download the result."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status

from kreyol_ia.api.deps import require_scope
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.ratelimiting import (
    charge,
    check_request_size,
    enforce,
    translation_cost,
    upload_cost,
)
from kreyol_ia.auth import Principal
from kreyol_ia.db.models import TASK_STATUSES
from kreyol_ia.documents.callbacks import CallbackError, validate_callback_url
from kreyol_ia.documents.jobs import JobService
from kreyol_ia.documents.model import DocumentError, DocumentSummary
from kreyol_ia.documents.quality import add_quality
from kreyol_ia.documents.sandbox import ParserBusy
from kreyol_ia.translation.languages import (
    LANGUAGE_NAMES,
    describe_pairs,
    is_supported,
    normalise_code,
)
from kreyol_ia.translation.service import TranslationError

router = APIRouter(prefix="/api/v1", tags=["documents"])
Caller = Annotated[Principal, Depends(require_scope("documents"))]
TASK_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_OFFSET = 1_000_000


def job_service(request: Request) -> JobService:
    """The process's JobService."""
    return request.app.state.jobs


Jobs = Annotated[JobService, Depends(job_service)]


def _check_direction(source: str, target: str) -> None:
    if source not in {*LANGUAGE_NAMES, "auto"} or target not in LANGUAGE_NAMES:
        raise APIError(
            422,
            "unsupported_language",
            f"Use en, fr, ht (or auto as the source); directions: {describe_pairs()}.",
        )
    if source != "auto" and not is_supported(source, target):
        raise APIError(
            422,
            "unsupported_pair",
            f"Unsupported direction {source}→{target}; supported: {describe_pairs()}.",
        )


@router.post("/documents", status_code=status.HTTP_202_ACCEPTED, summary="Translate a document")
def submit_document(
    request: Request,
    response: Response,
    caller: Caller,
    jobs: Jobs,
    file: Annotated[UploadFile, File(description=".txt .md .srt .html .docx or .pdf")],
    target: Annotated[str, Form(max_length=8, examples=["ht"])],
    source: Annotated[str, Form(max_length=8, examples=["en"])] = "auto",
    engine: Annotated[str | None, Form(max_length=16, examples=["phrasebook"])] = None,
    callback_url: Annotated[
        str | None, Form(max_length=2048, examples=["https://clinic.example.org/hooks/kreyol"])
    ] = None,
    force_source: Annotated[
        bool,
        Form(
            description="Keep the given source even if the text looks like another language.",
            examples=[False],
        ),
    ] = False,
) -> dict[str, Any]:
    """Charged before reading (by size), then by characters; a bad file is a 422 and still paid."""
    source, target = normalise_code(source), normalise_code(target)
    _check_direction(source, target)
    if engine is not None:
        try:
            jobs.translation.pick(engine)
        except TranslationError as exc:
            raise APIError(422, exc.code, exc.message) from exc
    settings = request.app.state.settings
    if callback_url:
        try:
            callback_url = validate_callback_url(callback_url, settings.callback_allow_private)
        except CallbackError as exc:
            raise APIError(422, exc.code, exc.message) from exc
    data = file.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise APIError(
            413,
            "payload_too_large",
            f"Documents may have at most {settings.max_upload_bytes} bytes.",
        )
    name = file.filename or "document"
    paid = upload_cost(len(data), settings.upload_cost_bytes)
    enforce(request, response, caller, paid)
    document = _parse(jobs, name, data)
    if source == "auto":
        source = jobs.detect_source(document)
        _check_direction(source, target)
    elif not force_source:
        _check_source(jobs, document, source)
    cost = translation_cost(document.characters, settings.rate_cost_characters)
    check_request_size(request, caller, cost)
    if cost > paid:
        charge(request, response, caller, cost - paid)
    submitted = jobs.queue(
        caller.username, name, data, document, source, target, engine, callback_url
    )
    if request.app.state.job_queue is not None:
        request.app.state.job_queue.enqueue(submitted.task_id)
    request.app.state.db.record_usage("documents", caller.username, characters=document.characters)
    response.headers["Location"] = f"/api/v1/tasks/{submitted.task_id}"
    return {
        "task_id": submitted.task_id,
        "status": "pending",
        "pages": submitted.pages,
        "characters": document.characters,
        "cost": max(cost, paid),
        "segments": submitted.units,
        "links": {
            "task": f"/api/v1/tasks/{submitted.task_id}",
            "result": f"/api/v1/tasks/{submitted.task_id}/result",
        },
    }


def _check_source(jobs: JobService, document: DocumentSummary, source: str) -> None:
    """An English file sent as French would come back mostly untranslated: say so before work."""
    found = jobs.mismatched_source(document, source)
    if found is not None:
        raise APIError(
            422,
            "source_mismatch",
            f"This document looks like {LANGUAGE_NAMES[found]} ({found}), not "
            f"{LANGUAGE_NAMES[source]} ({source}); send source={found} or source=auto, "
            "or force_source=true to keep it.",
        )


def _parse(jobs: JobService, name: str, data: bytes) -> DocumentSummary:
    """The upload read in the sandbox; its refusals keep their stable codes."""
    try:
        return jobs.prepare(name, data)
    except DocumentError as exc:
        raise APIError(422, exc.code, exc.message) from exc
    except ParserBusy as exc:
        raise APIError(
            503,
            "server_busy",
            "Every document reader is busy; retry in a few seconds.",
            headers={"Retry-After": "5"},
        ) from exc


def _job(jobs: JobService, task_id: str, caller: Principal) -> dict[str, Any]:
    job = jobs.get(task_id, caller.username) if TASK_ID.match(task_id) else None
    if job is None:
        raise APIError(404, "not_found", "No such task.")
    return job


def _view(job: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in job.items() if k not in {"owner", "input", "result"}}
    result = dict(job["result"] or {})
    shown["quality"] = result.pop("quality", None) or add_quality(None, [])
    shown["result"] = result or None
    options = job["input"]
    shown["document"] = {
        k: options.get(k)
        for k in ("filename", "format", "source", "target", "engine", "pages", "size")
    }
    return shown


@router.get("/tasks", summary="Your tasks")
def list_tasks(
    caller: Caller,
    jobs: Jobs,
    status_filter: Annotated[str | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> dict[str, Any]:
    """Newest first; filter by status (pending, processing, completed, failed)."""
    if status_filter is not None and status_filter not in TASK_STATUSES:
        raise APIError(422, "validation_error", f"status must be one of {', '.join(TASK_STATUSES)}")
    items = jobs.list(caller.username, status_filter, limit, offset)
    return {"tasks": [_view(job) for job in items], "limit": limit, "offset": offset}


@router.get("/tasks/{task_id}", summary="A task's status and progress")
def get_task(task_id: str, caller: Caller, jobs: Jobs) -> dict[str, Any]:
    """Status, progress (segments done/total), error; other users' tasks are 404."""
    return _view(_job(jobs, task_id, caller))


@router.get("/tasks/{task_id}/result", summary="Download the translated document")
def task_result(task_id: str, caller: Caller, jobs: Jobs) -> Response:
    """The translated file, always as a download that a browser will not run as a page."""
    job = _job(jobs, task_id, caller)
    found = jobs.result(task_id, caller.username)
    if found is None:
        raise APIError(409, "not_ready", f"The task is {job['status']}; no result yet.")
    data, filename, media_type = found
    return Response(data, media_type=media_type, headers=download_headers(filename))


def download_headers(filename: str) -> dict[str, str]:
    """An ASCII ``filename`` for old clients, ``filename*`` for the real name, no sniffing."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return {
        "Content-Disposition": (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
        ),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
    }


@router.delete(
    "/tasks/{task_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a task and its files",
)
def delete_task(task_id: str, caller: Caller, jobs: Jobs) -> Response:
    _job(jobs, task_id, caller)
    jobs.delete(task_id, caller.username)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
