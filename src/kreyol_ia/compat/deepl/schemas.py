"""DeepL API v2 wire shapes, for validation where useful and for the OpenAPI document."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class TranslateBody(BaseModel):
    """``POST /v2/translate`` as JSON; the same names as form fields (``text`` repeated)."""

    text: list[str] = Field(examples=[["Wash your hands before eating."]])
    target_lang: str = Field(examples=["HT"])
    source_lang: str | None = Field(default=None, examples=["EN"])
    tag_handling: Literal["xml", "html"] | None = None
    glossary_id: str | None = None
    formality: str | None = Field(default=None, description="Only default/prefer_* are accepted.")
    split_sentences: str | None = None
    preserve_formatting: bool | None = None
    context: str | None = Field(default=None, description="Accepted and not used.")
    show_billed_characters: bool | None = None


class TextTranslation(BaseModel):
    detected_source_language: str = Field(examples=["EN"])
    text: str = Field(examples=["Lave men ou anvan ou manje."])
    billed_characters: int


class TranslateAnswer(BaseModel):
    translations: list[TextTranslation]


class UsageAnswer(BaseModel):
    """Characters of the day window, as DeepL's billing period (see docs/COMPATIBILITY.md)."""

    character_count: int
    character_limit: int


class LanguageEntry(BaseModel):
    language: str = Field(examples=["HT"])
    name: str = Field(examples=["Haitian Creole"])
    supports_formality: bool | None = None


class GlossaryBody(BaseModel):
    name: str = Field(examples=["Clinic words"])
    source_lang: str = Field(examples=["en"])
    target_lang: str = Field(examples=["ht"])
    entries: str = Field(examples=["clinic\tdispansè\nnurse\tenfimyè"])
    entries_format: Literal["tsv", "csv"] = "tsv"


class GlossaryAnswer(BaseModel):
    glossary_id: str
    name: str
    ready: bool
    source_lang: str = Field(examples=["en"])
    target_lang: str = Field(examples=["ht"])
    creation_time: datetime
    entry_count: int


class GlossaryListAnswer(BaseModel):
    glossaries: list[GlossaryAnswer]


class LanguagePair(BaseModel):
    source_lang: str
    target_lang: str


class GlossaryPairsAnswer(BaseModel):
    supported_languages: list[LanguagePair]


class DocumentHandle(BaseModel):
    document_id: str
    document_key: str


class DocumentKeyBody(BaseModel):
    document_key: str


class DocumentStatusAnswer(BaseModel):
    document_id: str
    status: Literal["queued", "translating", "done", "error"]
    seconds_remaining: int | None = None
    billed_characters: int | None = None
    error_message: str | None = None
