"""Document translation: upload a file (202 + task id), follow the task, download the result."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile, status
from pydantic import BaseModel, Field

from kreyol_ia.api.deps import require_scope
from kreyol_ia.api.document_submission import Upload, read_upload, submit_upload
from kreyol_ia.api.errors import APIError
from kreyol_ia.auth import Principal
from kreyol_ia.db.models import TASK_STATUSES
from kreyol_ia.documents.jobs import JobService
from kreyol_ia.documents.quality import add_quality
from kreyol_ia.translation.languages import normalise_code

router = APIRouter(prefix="/api/v1", tags=["documents"])
Caller = Annotated[Principal, Depends(require_scope("documents"))]
TASK_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_OFFSET = 1_000_000


def job_service(request: Request) -> JobService:
    """The process's JobService."""
    return request.app.state.jobs


Jobs = Annotated[JobService, Depends(job_service)]


class SubmitLinks(BaseModel):
    task: str
    result: str


class SubmitResponse(BaseModel):
    task_id: str = Field(examples=["4bf92f3577b34da6a3ce929d0e0e4736"])
    status: Literal["pending"]
    pages: int
    characters: int
    cost: int = Field(description="Rate-limit units charged.")
    segments: int
    links: SubmitLinks


class Progress(BaseModel):
    done: int
    total: int


class Quality(BaseModel):
    matches: dict[str, int]
    unknown_words: int
    unknown_sample: list[str]


class DocumentOptions(BaseModel):
    filename: str | None = None
    format: str | None = None
    source: str | None = None
    target: str | None = None
    engine: str | None = None
    pages: int | None = None
    size: int | None = None


class TaskResult(BaseModel):
    filename: str
    media_type: str
    size: int


class TaskOut(BaseModel):
    task_id: str
    status: Literal["pending", "processing", "completed", "failed"]
    created_at: datetime
    updated_at: datetime
    progress: Progress
    error: str | None
    attempts: int
    expires_at: datetime | None
    quality: Quality
    result: TaskResult | None
    document: DocumentOptions


class TaskList(BaseModel):
    tasks: list[TaskOut]
    limit: int
    offset: int


@router.post(
    "/documents",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=SubmitResponse,
    summary="Translate a document",
)
def submit_document(
    request: Request,
    response: Response,
    caller: Caller,
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
    glossary_id: Annotated[
        str | None,
        Form(
            max_length=36,
            description="One of your glossaries (POST /api/v1/glossaries) for this direction. "
            "Needs an explicit source.",
            examples=[None],
        ),
    ] = None,
) -> SubmitResponse:
    """Charged before reading (by size), then by characters; a bad file is a 422 and still paid."""
    settings = request.app.state.settings
    upload = Upload(
        filename=file.filename or "document",
        data=read_upload(file.file, settings.max_upload_bytes),
        target=normalise_code(target),
        source=normalise_code(source),
        engine=engine,
        callback_url=callback_url,
        force_source=force_source,
        glossary_id=glossary_id,
    )
    submitted = submit_upload(request, response, caller, upload)
    task = f"/api/v1/tasks/{submitted.task_id}"
    response.headers["Location"] = task
    return SubmitResponse(
        task_id=submitted.task_id,
        status="pending",
        pages=submitted.pages,
        characters=submitted.characters,
        cost=submitted.cost,
        segments=submitted.segments,
        links=SubmitLinks(task=task, result=f"{task}/result"),
    )


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


@router.get("/tasks", response_model=TaskList, summary="Your tasks")
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


@router.get("/tasks/{task_id}", response_model=TaskOut, summary="A task's status and progress")
def get_task(task_id: str, caller: Caller, jobs: Jobs) -> dict[str, Any]:
    """Status, progress (segments done/total), error; other users' tasks are 404."""
    return _view(_job(jobs, task_id, caller))


@router.get(
    "/tasks/{task_id}/result",
    summary="Download the translated document",
    response_class=Response,
    responses={
        200: {
            "description": "The translated file, as an attachment",
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
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
