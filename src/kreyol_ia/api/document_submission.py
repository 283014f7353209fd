"""Accepting a document upload as every API does: paid by size, parsed in the sandbox, queued.

The native ``POST /api/v1/documents`` and the facades' file routes (LibreTranslate's
``/translate_file``, DeepL's ``/v2/document``) all call ``submit_upload``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response

from kreyol_ia.api.errors import APIError
from kreyol_ia.api.glossary_use import glossary_terms
from kreyol_ia.api.ratelimiting import charge, check_request_size, enforce, translation_cost
from kreyol_ia.api.ratelimiting import upload_cost as bytes_cost
from kreyol_ia.auth import Principal
from kreyol_ia.documents.callbacks import CallbackError, validate_callback_url
from kreyol_ia.documents.jobs import JobService
from kreyol_ia.documents.model import DocumentError, DocumentSummary
from kreyol_ia.documents.sandbox import ParserBusy
from kreyol_ia.translation.languages import LANGUAGE_NAMES, describe_pairs, is_supported
from kreyol_ia.translation.service import TranslationError


@dataclass(frozen=True, slots=True)
class Upload:
    """A file and what to do with it (language codes already normalised)."""

    filename: str
    data: bytes
    target: str
    source: str = "auto"
    engine: str | None = None
    callback_url: str | None = None
    force_source: bool = False
    glossary_id: str | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    """The queued job, and what it cost."""

    task_id: str
    source: str
    pages: int
    characters: int
    cost: int
    segments: int
    document_format: str


def check_direction(source: str, target: str) -> None:
    """422 for unknown codes (source may be auto) and for directions the service lacks."""
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


def read_upload(stream: object, limit: int) -> bytes:
    """At most ``limit`` bytes of an uploaded file, or 413 (one byte more is read to know)."""
    data = stream.read(limit + 1)  # type: ignore[attr-defined]
    if len(data) > limit:
        raise APIError(413, "payload_too_large", f"Documents may have at most {limit} bytes.")
    return data


def submit_upload(
    request: Request, response: Response, caller: Principal, upload: Upload
) -> Submission:
    """Charged before reading (by size), then by characters; a bad file is a 422 and still paid."""
    jobs: JobService = request.app.state.jobs
    settings = request.app.state.settings
    source, target = upload.source, upload.target
    check_direction(source, target)
    if upload.engine is not None:
        try:
            jobs.translation.pick(upload.engine)
        except TranslationError as exc:
            raise APIError(422, exc.code, exc.message) from exc
    callback_url = upload.callback_url
    if callback_url:
        try:
            callback_url = validate_callback_url(callback_url, settings.callback_allow_private)
        except CallbackError as exc:
            raise APIError(422, exc.code, exc.message) from exc
    terms = glossary_terms(request, caller, upload.glossary_id, source, target)
    paid = bytes_cost(len(upload.data), settings.upload_cost_bytes)
    enforce(request, response, caller, paid)
    document = _parse(jobs, upload.filename, upload.data)
    if source == "auto":
        source = jobs.detect_source(document)
        check_direction(source, target)
    elif not upload.force_source:
        _check_source(jobs, document, source)
    cost = translation_cost(document.characters, settings.rate_cost_characters)
    check_request_size(request, caller, cost)
    if cost > paid:
        charge(request, response, caller, cost - paid)
    submitted = jobs.queue(
        caller.username,
        upload.filename,
        upload.data,
        document,
        source,
        target,
        upload.engine,
        callback_url,
        terms=[(t.source, t.target) for t in terms],
    )
    if request.app.state.job_queue is not None:
        request.app.state.job_queue.enqueue(submitted.task_id)
    request.app.state.db.record_usage("documents", caller.username, characters=document.characters)
    return Submission(
        submitted.task_id,
        source,
        submitted.pages,
        document.characters,
        max(cost, paid),
        submitted.units,
        document.format,
    )


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
