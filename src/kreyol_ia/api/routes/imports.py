"""Importing a translation memory or glossary over HTTP: what `kreyol tm|glossary import` does."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from kreyol_ia.api.deps import require_scope
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.schemas.admin import ImportProblem, ImportReport
from kreyol_ia.auth import Principal
from kreyol_ia.translation.imports import Problem, parse_file
from kreyol_ia.translation.languages import LANGUAGE_NAMES, normalise_code
from kreyol_ia.translation.memory_store import MemoryStore

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])
Admin = Annotated[Principal, Depends(require_scope("admin"))]
MAX_PROBLEMS = 1000  # shown; the answer's `rejected` counts them all


def _language(code: str | None) -> str | None:
    """A named column language, checked here so a typo is a clear 422, not a refused file."""
    if code is None:
        return None
    language = normalise_code(code)
    if language not in LANGUAGE_NAMES:
        raise APIError(422, "unsupported_language", "Use en, fr or ht for source and target.")
    return language


def _shown(problems: list[Problem]) -> list[ImportProblem]:
    return [ImportProblem(where=p.where, message=p.message) for p in problems[:MAX_PROBLEMS]]


@router.post(
    "/imports", response_model=ImportReport, summary="Import a translation memory or glossary"
)
def import_entries(
    request: Request,
    _admin: Admin,
    file: Annotated[UploadFile, File(description="TMX 1.4, TSV or CSV")],
    kind: Annotated[Literal["tm", "glossary"], Form(examples=["tm"])],
    source: Annotated[str | None, Form(max_length=8, examples=["en"])] = None,
    target: Annotated[str | None, Form(max_length=8, examples=["ht"])] = None,
) -> ImportReport:
    """Rows that can be read are stored (replacing same-source entries); the rest are listed.

    ``source``/``target`` name the columns of a TSV or CSV without a language header.
    """
    source, target = _language(source), _language(target)
    memory: MemoryStore | None = request.app.state.translation.memory
    if memory is None:
        raise APIError(409, "memory_unavailable", "This server keeps no imported entries.")
    limit = request.app.state.settings.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise APIError(413, "payload_too_large", f"Imports may have at most {limit} bytes.")
    parsed = parse_file(file.filename or "import", data, source, target)
    if not parsed.rows:
        raise APIError(
            422,
            "import_empty",
            "Nothing in the file could be imported; see details.",
            details=[shown.model_dump() for shown in _shown(parsed.problems)],
        )
    report = memory.store(kind, parsed.rows)
    return ImportReport(
        kind=kind,
        stored=report.stored,
        rejected=len(parsed.problems),
        problems=_shown(parsed.problems),
    )
