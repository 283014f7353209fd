"""What ``/api/v1/service`` and ``/health`` answer: a client's first look at a server."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from kreyol_ia.api.schemas.languages import LanguageOut, PairOut


class DocumentFormat(BaseModel):
    """A file type the document route accepts, for a client's file picker."""

    extension: str = Field(examples=[".docx"])
    media_type: str = Field(examples=["text/plain"])


class DocsLinks(BaseModel):
    swagger: str = Field(examples=["/docs"])
    redoc: str = Field(examples=["/redoc"])
    openapi: str = Field(examples=["/openapi.json"])


class ServiceInfo(BaseModel):
    """What this server is, what it translates, and the limits a client should respect."""

    name: str = Field(examples=["Kreyòl IA"])
    version: str = Field(examples=["1.0.0"])
    engines: list[str] = Field(
        description="Engines usable now, the automatic choice first.", examples=[["phrasebook"]]
    )
    languages: list[LanguageOut]
    pairs: list[PairOut]
    registration: Literal["open", "invite", "closed"] = Field(examples=["open"])
    allow_anonymous: bool
    password_min_length: int = Field(examples=[12])
    max_text_chars: int = Field(examples=[20000])
    max_upload_bytes: int = Field(examples=[10485760])
    document_formats: list[DocumentFormat]
    docs: DocsLinks


class Health(BaseModel):
    """Liveness only: the process answers."""

    status: Literal["ok"] = Field(examples=["ok"])
