"""LibreTranslate's ``/translate_file`` and ``/download_file`` on Kreyòl IA's document jobs.

LibreTranslate answers when the file is translated; here the upload becomes an ordinary job
(charged, sandboxed, listed in ``/api/v1/tasks``) and the route waits for it, without holding
the event loop, up to ``compat_file_wait_seconds``; a job still running then is a 503.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kreyol_ia.api.deps import OptionalPrincipal
from kreyol_ia.api.document_submission import Upload, read_upload, submit_upload
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.routes.documents import download_headers
from kreyol_ia.auth import Principal
from kreyol_ia.compat.errors import facade_route, file_download, own_errors
from kreyol_ia.compat.fields import Fields, read_fields
from kreyol_ia.compat.libretranslate import links
from kreyol_ia.compat.libretranslate.caller import lt_account
from kreyol_ia.compat.libretranslate.errors import invalid, lt_error, render, responses
from kreyol_ia.compat.libretranslate.openapi import TAG, multipart
from kreyol_ia.compat.libretranslate.schemas import UPLOAD_SCHEMA, LTTranslateFileAnswer
from kreyol_ia.documents.jobs import JobService
from kreyol_ia.translation.languages import normalise_code

router = APIRouter(tags=[TAG], route_class=facade_route(render))
FIRST_POLL_SECONDS = 0.1
LONGEST_POLL_SECONDS = 1.0
RETRY_AFTER_SECONDS = 10
NO_SUCH_FILE = "No such file: the link is wrong or has expired (links last 15 minutes)."


@router.post(
    "/translate_file",
    response_model=LTTranslateFileAnswer,
    summary="Translate a file (LibreTranslate API)",
    responses=responses(400, 403, 429, 503),
    openapi_extra=multipart(UPLOAD_SCHEMA),
)
async def translate_file(
    request: Request, response: Response, principal: OptionalPrincipal
) -> LTTranslateFileAnswer:
    """Needs a key with the ``documents`` scope; the link in the answer lasts 15 minutes."""
    fields = await read_fields(request)
    caller, task_id = await run_in_threadpool(_submit, request, response, principal, fields)
    await _wait(request, caller, task_id)
    token = links.sign(request.app.state.settings.derived_key(links.LABEL), task_id)
    return LTTranslateFileAnswer(translatedFileUrl=_download_url(request, token))


def _download_url(request: Request, token: str) -> str:
    """Under ``KREYOL_PUBLIC_URL`` when set: behind a TLS proxy the request itself says http."""
    public = request.app.state.settings.public_url
    if public is None:
        return str(request.url_for("download_file", token=token))
    return str(public).rstrip("/") + request.app.url_path_for("download_file", token=token)


def _submit(
    request: Request, response: Response, principal: Principal | None, fields: Fields
) -> tuple[Principal, str]:
    caller = lt_account(request, fields, principal)
    upload = fields.files.get("file")
    if upload is None:
        raise invalid("missing file parameter")
    source, target = fields.text("source", limit=8), fields.text("target", limit=8)
    if source is None:
        raise invalid("missing source parameter")
    if target is None:
        raise invalid("missing target parameter")
    if not upload.filename:
        raise invalid("empty file")
    data = read_upload(upload.file, request.app.state.settings.max_upload_bytes)
    job = Upload(upload.filename, data, normalise_code(target), normalise_code(source))
    return caller, submit_upload(request, response, caller, job).task_id


async def _wait(request: Request, caller: Principal, task_id: str) -> None:
    """Until the job is completed (return), failed (400) or the wait is over (503)."""
    jobs: JobService = request.app.state.jobs
    deadline = time.monotonic() + request.app.state.settings.compat_file_wait_seconds
    pause = FIRST_POLL_SECONDS
    while True:
        job: dict[str, Any] | None = await run_in_threadpool(jobs.get, task_id, caller.username)
        state = job["status"] if job is not None else "failed"
        if state == "completed":
            return
        if state == "failed":
            reason = (job or {}).get("error") or "the file could not be translated"
            raise APIError(400, "document_failed", f"Cannot translate the file: {reason}")
        if time.monotonic() >= deadline:
            raise APIError(
                503,
                "still_translating",
                f"The file is still being translated (task {task_id}); follow it at "
                f"/api/v1/tasks/{task_id} and download it from there when it is done.",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        await asyncio.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 2, LONGEST_POLL_SECONDS)


@router.get(
    "/download_file/{token}",
    response_class=Response,
    summary="Download a translated file (LibreTranslate API)",
    responses={**file_download("The translated file, as an attachment"), **responses(404)},
    openapi_extra=own_errors(),
)
def download_file(request: Request, token: str) -> Response:
    """The link is the permission: genuine and unexpired, or 404 whatever is wrong with it."""
    task_id = links.verify(request.app.state.settings.derived_key(links.LABEL), token)
    jobs: JobService = request.app.state.jobs
    found = jobs.result(task_id, None) if task_id is not None else None
    if found is None:
        return lt_error(404, NO_SUCH_FILE)
    data, filename, media_type = found
    return Response(data, media_type=media_type, headers=download_headers(filename))
