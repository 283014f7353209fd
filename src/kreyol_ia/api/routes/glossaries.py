"""Your glossaries: terms every engine must use, named by id on /translate and /documents."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kreyol_ia.api.deps import require_scope
from kreyol_ia.api.glossary_use import glossary_refusals
from kreyol_ia.auth import Principal
from kreyol_ia.glossaries import GlossaryError, GlossaryInfo, GlossaryStore, parse_terms
from kreyol_ia.translation.languages import normalise_code

router = APIRouter(prefix="/api/v1", tags=["glossaries"])
Caller = Annotated[Principal, Depends(require_scope("translate"))]
GlossaryId = Annotated[str, Path(min_length=1, max_length=36, examples=["3f2b…"])]


def glossary_store(request: Request) -> GlossaryStore:
    """The process's GlossaryStore."""
    return request.app.state.glossaries


Store = Annotated[GlossaryStore, Depends(glossary_store)]


class TermIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = Field(max_length=1024, examples=["clinic"])
    target: str = Field(max_length=1024, examples=["dispansè"])


class GlossaryCreate(BaseModel):
    """Terms as a list of pairs, or as DeepL's TSV/CSV text (``entries`` + ``entries_format``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "Clinic words",
                    "source": "en",
                    "target": "ht",
                    "terms": [{"source": "clinic", "target": "dispansè"}],
                }
            ]
        },
    )
    name: str = Field(min_length=1, max_length=200)
    source: str = Field(max_length=8)
    target: str = Field(max_length=8)
    terms: list[TermIn] | None = Field(default=None, max_length=100_000)
    entries: str | None = Field(default=None, max_length=4_000_000)
    entries_format: Literal["tsv", "csv"] = "tsv"

    @field_validator("source", "target")
    @classmethod
    def _normalise(cls, value: str) -> str:
        return normalise_code(value)


class GlossaryOut(BaseModel):
    glossary_id: str
    name: str
    source: str = Field(examples=["en"])
    target: str = Field(examples=["ht"])
    entry_count: int
    created_at: datetime


class GlossaryList(BaseModel):
    glossaries: list[GlossaryOut]


class GlossaryTerms(BaseModel):
    glossary_id: str
    terms: list[TermIn]


def _out(info: GlossaryInfo) -> GlossaryOut:
    return GlossaryOut(
        glossary_id=info.glossary_id,
        name=info.name,
        source=info.source_lang,
        target=info.target_lang,
        entry_count=info.entry_count,
        created_at=info.created_at,
    )


@router.post(
    "/glossaries",
    status_code=status.HTTP_201_CREATED,
    response_model=GlossaryOut,
    summary="Create a glossary",
)
def create_glossary(body: GlossaryCreate, caller: Caller, store: Store) -> GlossaryOut:
    """One direction, unique source terms; at most the server's number of glossaries and terms."""
    with glossary_refusals():
        if (body.terms is None) == (body.entries is None):
            raise GlossaryError("invalid_terms", "Send either terms or entries, not both.")
        pairs = (
            [(t.source, t.target) for t in body.terms]
            if body.terms is not None
            else parse_terms(body.entries or "", body.entries_format)
        )
        return _out(store.create(caller.username, body.name, body.source, body.target, pairs))


@router.get("/glossaries", response_model=GlossaryList, summary="Your glossaries")
def list_glossaries(caller: Caller, store: Store) -> GlossaryList:
    return GlossaryList(glossaries=[_out(info) for info in store.list(caller.username)])


@router.get("/glossaries/{glossary_id}", response_model=GlossaryOut, summary="One glossary")
def get_glossary(glossary_id: GlossaryId, caller: Caller, store: Store) -> GlossaryOut:
    with glossary_refusals():
        return _out(store.get(caller.username, glossary_id))


@router.get(
    "/glossaries/{glossary_id}/terms", response_model=GlossaryTerms, summary="A glossary's terms"
)
def glossary_terms(glossary_id: GlossaryId, caller: Caller, store: Store) -> GlossaryTerms:
    with glossary_refusals():
        pairs = store.terms(caller.username, glossary_id)
    return GlossaryTerms(
        glossary_id=glossary_id, terms=[TermIn(source=s, target=t) for s, t in pairs]
    )


@router.delete(
    "/glossaries/{glossary_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a glossary",
)
def delete_glossary(glossary_id: GlossaryId, caller: Caller, store: Store) -> Response:
    """Queued document jobs keep the terms they were given."""
    with glossary_refusals():
        store.delete(caller.username, glossary_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
