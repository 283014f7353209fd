"""DeepL's document flow on Kreyòl IA's jobs: upload → status → result, keyed by a document key.

The document key is an HMAC of the job id under a key derived from the server secret: nothing
new is stored, and only the uploader (their API key *and* the document key) can read the job.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from kreyol_ia.api.document_submission import Upload, read_upload, submit_upload
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.routes.documents import download_headers
from kreyol_ia.auth import Principal
from kreyol_ia.compat.deepl import openapi
from kreyol_ia.compat.deepl.auth import AuthHeader, deepl_caller
from kreyol_ia.compat.deepl.errors import render
from kreyol_ia.compat.deepl.languages import to_code
from kreyol_ia.compat.deepl.schemas import (
    DocumentHandle,
    DocumentKeyBody,
    DocumentStatusAnswer,
)
from kreyol_ia.compat.errors import facade_route, file_download
from kreyol_ia.compat.fields import Fields, read_fields
from kreyol_ia.documents.formats import detect_format
from kreyol_ia.documents.jobs import JobService
from kreyol_ia.documents.model import DocumentError

router = APIRouter(prefix="/v2", tags=[openapi.TAG], route_class=facade_route(render))
DocumentId = Annotated[str, Path(min_length=1, max_length=64)]
STATUSES = {
    "pending": "queued",
    "processing": "translating",
    "completed": "done",
    "failed": "error",
}
UPLOAD_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["file", "target_lang"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "target_lang": {"type": "string", "examples": ["HT"]},
        "source_lang": {"type": "string", "examples": ["EN"]},
        "glossary_id": {"type": "string"},
        "filename": {"type": "string"},
        "output_format": {"type": "string", "examples": ["docx"]},
    },
}


def document_key(request: Request, task_id: str) -> str:
    """The key DeepL's clients send back with every status and result request."""
    key = request.app.state.settings.derived_key("deepl-document-key")
    return hmac.new(key, task_id.encode(), hashlib.sha256).hexdigest()


@router.post(
    "/document",
    response_model=DocumentHandle,
    summary="Upload a document to translate (DeepL API v2)",
    responses=openapi.errors(),
    openapi_extra=openapi.own_errors_with_body(UPLOAD_SCHEMA),
)
async def upload_document(
    request: Request, response: Response, header: AuthHeader
) -> DocumentHandle:
    """Queued as a Kreyòl IA job (also shown in /api/v1/tasks), charged like /api/v1/documents."""
    fields = await read_fields(request)
    return await run_in_threadpool(_upload, request, response, header, fields)


def _upload(
    request: Request, response: Response, header: str | None, fields: Fields
) -> DocumentHandle:
    caller = deepl_caller(request, header, fields, "documents")
    file = fields.files.get("file")
    if file is None:
        raise APIError(422, "validation_error", "Parameter 'file' not specified.")
    target = to_code(fields.text("target_lang"), "target_lang") or ""
    source = to_code(fields.text("source_lang"), "source_lang", required=False) or "auto"
    filename = fields.text("filename", 255) or file.filename or "document"
    data = read_upload(file.file, request.app.state.settings.max_upload_bytes)
    upload = Upload(filename, data, target, source, glossary_id=fields.text("glossary_id"))
    _check_output_format(fields.text("output_format"), filename, data)
    submitted = submit_upload(request, response, caller, upload)
    return DocumentHandle(
        document_id=submitted.task_id, document_key=document_key(request, submitted.task_id)
    )


def _check_output_format(wanted: str | None, filename: str, data: bytes) -> None:
    """Refused before anything is charged or queued: only the file's own format comes back."""
    wanted = (wanted or "").lower().lstrip(".")
    if not wanted:
        return
    try:
        document_format = detect_format(filename, data)
    except DocumentError:
        return  # the submission refuses the file itself, with its own code
    if wanted != _output_extension(filename, document_format):
        raise APIError(
            422, "unsupported_format", f"output_format {wanted!r} is not available for this file."
        )


def _output_extension(filename: str, document_format: str) -> str:
    """The extension the translation will have: the input's own, except PDFs (Markdown)."""
    if document_format == "pdf":
        return "md"
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else document_format


@router.post(
    "/document/{document_id}",
    response_model=DocumentStatusAnswer,
    summary="A document's status (DeepL API v2)",
    responses=openapi.errors(404),
    openapi_extra=openapi.body(DocumentKeyBody),
)
async def document_status(
    request: Request, header: AuthHeader, document_id: DocumentId
) -> DocumentStatusAnswer:
    fields = await read_fields(request)
    return await run_in_threadpool(_status, request, header, fields, document_id)


def _status(
    request: Request, header: str | None, fields: Fields, document_id: str
) -> DocumentStatusAnswer:
    caller = deepl_caller(request, header, fields, "documents")
    job = _owned_job(request, caller, fields, document_id)
    state = STATUSES[job["status"]]
    options = job.get("input") or {}
    return DocumentStatusAnswer(
        document_id=document_id,
        status=state,  # type: ignore[arg-type]
        billed_characters=options.get("characters") if state == "done" else None,
        error_message=job.get("error") if state == "error" else None,
    )


@router.post(
    "/document/{document_id}/result",
    response_class=Response,
    summary="Download a translated document (DeepL API v2)",
    responses={**file_download("The translated file"), **openapi.errors(404)},
    openapi_extra=openapi.body(DocumentKeyBody),
)
async def document_result(
    request: Request, header: AuthHeader, document_id: DocumentId
) -> Response:
    fields = await read_fields(request)
    return await run_in_threadpool(_result, request, header, fields, document_id)


def _result(request: Request, header: str | None, fields: Fields, document_id: str) -> Response:
    caller = deepl_caller(request, header, fields, "documents")
    job = _owned_job(request, caller, fields, document_id)
    found = _jobs(request).result(document_id, caller.username)
    if found is None:
        if job["status"] == "failed":
            raise APIError(422, "document_failed", job.get("error") or "The translation failed.")
        raise APIError(
            503, "not_ready", "Document not ready; poll its status.", headers={"Retry-After": "1"}
        )
    data, filename, media_type = found
    return Response(data, media_type=media_type, headers=download_headers(filename))


def _jobs(request: Request) -> JobService:
    return request.app.state.jobs


def _owned_job(
    request: Request, caller: Principal, fields: Fields, document_id: str
) -> dict[str, Any]:
    """The caller's job whose document key matches; anything else is the same 404."""
    given = fields.text("document_key", 128) or ""
    expected = document_key(request, document_id)
    job = _jobs(request).get(document_id, caller.username)
    if job is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise APIError(404, "not_found", "Document not found.")
    return job
