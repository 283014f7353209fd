"""DeepL's v2 glossaries, stored as the caller's own Kreyòl IA glossaries (one store, two doors)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response, status
from starlette.concurrency import run_in_threadpool

from kreyol_ia.api.glossary_use import glossary_refusals
from kreyol_ia.compat.deepl import openapi
from kreyol_ia.compat.deepl.auth import AuthHeader, deepl_caller
from kreyol_ia.compat.deepl.errors import render
from kreyol_ia.compat.deepl.languages import to_code
from kreyol_ia.compat.deepl.schemas import (
    GlossaryAnswer,
    GlossaryBody,
    GlossaryListAnswer,
    GlossaryPairsAnswer,
    LanguagePair,
)
from kreyol_ia.compat.errors import facade_route
from kreyol_ia.compat.fields import Fields, read_fields
from kreyol_ia.glossaries import GlossaryInfo, GlossaryStore, as_tsv, parse_terms
from kreyol_ia.translation.languages import SUPPORTED_PAIRS

router = APIRouter(prefix="/v2", tags=[openapi.TAG], route_class=facade_route(render))
GlossaryId = Annotated[str, Path(min_length=1, max_length=36)]
MAX_ENTRIES_CHARS = 4_000_000


def _store(request: Request) -> GlossaryStore:
    return request.app.state.glossaries


def _answer(info: GlossaryInfo) -> GlossaryAnswer:
    return GlossaryAnswer(
        glossary_id=info.glossary_id,
        name=info.name,
        ready=True,
        source_lang=info.source_lang,
        target_lang=info.target_lang,
        creation_time=info.created_at,
        entry_count=info.entry_count,
    )


@router.post(
    "/glossaries",
    status_code=status.HTTP_201_CREATED,
    response_model=GlossaryAnswer,
    summary="Create a glossary (DeepL API v2)",
    responses=openapi.errors(),
    openapi_extra=openapi.body(GlossaryBody),
)
async def create_glossary(request: Request, header: AuthHeader) -> GlossaryAnswer:
    """DeepL's TSV or CSV entries; stored in Kreyòl IA's glossaries, usable from /api/v1 too."""
    fields = await read_fields(request)
    return await run_in_threadpool(_create, request, header, fields)


def _create(request: Request, header: str | None, fields: Fields) -> GlossaryAnswer:
    caller = deepl_caller(request, header, fields, "translate")
    source = to_code(fields.text("source_lang"), "source_lang") or ""
    target = to_code(fields.text("target_lang"), "target_lang") or ""
    entries = fields.text("entries", MAX_ENTRIES_CHARS) or ""
    with glossary_refusals():
        pairs = parse_terms(entries, fields.text("entries_format") or "tsv")
        info = _store(request).create(
            caller.username, fields.text("name", 200) or "", source, target, pairs
        )
    return _answer(info)


@router.get(
    "/glossaries",
    response_model=GlossaryListAnswer,
    summary="Your glossaries (DeepL API v2)",
    responses=openapi.errors(),
    openapi_extra=openapi.body(None),
)
def list_glossaries(request: Request, header: AuthHeader) -> GlossaryListAnswer:
    caller = deepl_caller(request, header, None, "translate")
    return GlossaryListAnswer(
        glossaries=[_answer(i) for i in _store(request).list(caller.username)]
    )


@router.get(
    "/glossaries/{glossary_id}",
    response_model=GlossaryAnswer,
    summary="One glossary (DeepL API v2)",
    responses=openapi.errors(404),
    openapi_extra=openapi.body(None),
)
def get_glossary(request: Request, header: AuthHeader, glossary_id: GlossaryId) -> GlossaryAnswer:
    caller = deepl_caller(request, header, None, "translate")
    with glossary_refusals():
        return _answer(_store(request).get(caller.username, glossary_id))


@router.get(
    "/glossaries/{glossary_id}/entries",
    response_class=Response,
    summary="A glossary's entries as TSV (DeepL API v2)",
    responses={
        200: {
            "description": "One source<TAB>target line per entry",
            "content": {"text/tab-separated-values": {"schema": {"type": "string"}}},
        },
        **openapi.errors(404),
    },
    openapi_extra=openapi.body(None),
)
def glossary_entries(request: Request, header: AuthHeader, glossary_id: GlossaryId) -> Response:
    caller = deepl_caller(request, header, None, "translate")
    with glossary_refusals():
        pairs = _store(request).terms(caller.username, glossary_id)
    return Response(as_tsv(pairs), media_type="text/tab-separated-values; charset=utf-8")


@router.delete(
    "/glossaries/{glossary_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Delete a glossary (DeepL API v2)",
    responses=openapi.errors(404),
    openapi_extra=openapi.body(None),
)
def delete_glossary(request: Request, header: AuthHeader, glossary_id: GlossaryId) -> Response:
    caller = deepl_caller(request, header, None, "translate")
    with glossary_refusals():
        _store(request).delete(caller.username, glossary_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/glossary-language-pairs",
    response_model=GlossaryPairsAnswer,
    summary="Directions a glossary can have (DeepL API v2)",
    responses=openapi.errors(),
    openapi_extra=openapi.body(None),
)
def glossary_pairs(request: Request, header: AuthHeader) -> GlossaryPairsAnswer:
    deepl_caller(request, header, None, "translate")
    return GlossaryPairsAnswer(
        supported_languages=[LanguagePair(source_lang=s, target_lang=t) for s, t in SUPPORTED_PAIRS]
    )
