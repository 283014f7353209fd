"""LibreTranslate's wire shapes, for the OpenAPI document and for the answers the routes build.

The routes read their fields by hand (JSON or form, as LibreTranslate does); these models say
what those fields are and shape every 2xx body.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

KEY_FIELD = Field(
    default=None,
    max_length=200,
    description="Your Kreyòl IA API key (or send it as X-API-Key / a Bearer token).",
    examples=[None],
)


class LTTranslateBody(BaseModel):
    """``POST /translate`` as JSON or as a form; a JSON list ``q`` is a batch."""

    q: str | list[str] = Field(examples=["Good morning", ["Wash your hands.", "Drink water."]])
    source: str = Field(max_length=8, description="en, fr, ht or auto", examples=["en"])
    target: str = Field(max_length=8, examples=["ht"])
    format: Literal["text", "html"] | None = Field(
        default=None, description="html: tags are kept, text nodes translated", examples=["text"]
    )
    alternatives: int | None = Field(
        default=None,
        ge=0,
        description="Other installed engines' different translations, if any",
        examples=[0],
    )
    api_key: str | None = KEY_FIELD


class LTDetectedLanguage(BaseModel):
    confidence: float = Field(ge=0, le=100, examples=[92.5])
    language: str = Field(examples=["ht"])


class LTTranslateAnswer(BaseModel):
    """Lists for a batch; ``detectedLanguage`` only when the source was ``auto``."""

    translatedText: str | list[str] = Field(examples=["Bonjou"])
    detectedLanguage: LTDetectedLanguage | list[LTDetectedLanguage] | None = None
    alternatives: list[str] | list[list[str]] | None = None


class LTDetectBody(BaseModel):
    q: str = Field(examples=["Bonjou, kijan ou ye?"])
    api_key: str | None = KEY_FIELD


class LTLanguage(BaseModel):
    code: str = Field(examples=["ht"])
    name: str = Field(examples=["Haitian Creole"])
    targets: list[str] = Field(examples=[["en", "fr"]])


class NamedLanguage(BaseModel):
    code: str = Field(examples=["ht"])
    name: str = Field(examples=["Haitian Creole"])


class FrontendLanguages(BaseModel):
    source: NamedLanguage
    target: NamedLanguage


class FrontendSettings(BaseModel):
    """What LibreTranslate's own web page asks the server before it draws itself.

    The camelCase names are LibreTranslate's, as in every model here.
    """

    charLimit: int
    frontendTimeout: int
    apiKeys: bool
    keyRequired: bool
    suggestions: bool
    filesTranslation: bool
    supportedFilesFormat: list[str]
    language: FrontendLanguages


class LTSuggestBody(BaseModel):
    q: str = Field(examples=["Good morning"])
    s: str = Field(examples=["Bonjou"])
    source: str = Field(max_length=8, examples=["en"])
    target: str = Field(max_length=8, examples=["ht"])
    api_key: str | None = KEY_FIELD


class LTTranslateFileAnswer(BaseModel):
    translatedFileUrl: str = Field(
        description="Valid for 15 minutes; whoever holds it can download the file.",
        examples=["http://127.0.0.1:8000/download_file/4bf9….1767225600.9c1f…"],
    )


UPLOAD_SCHEMA = {
    "type": "object",
    "required": ["file", "source", "target"],
    "properties": {
        "file": {"type": "string", "format": "binary"},
        "source": {"type": "string", "examples": ["en"], "description": "en, fr, ht or auto"},
        "target": {"type": "string", "examples": ["ht"]},
        "api_key": {"type": "string", "description": "Your Kreyòl IA API key"},
    },
}
