"""Translation endpoints: translate, detect, languages and engines."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kreyol_ia.api.deps import AppSettings, translation_caller
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.ratelimiting import enforce, translation_cost
from kreyol_ia.auth import Principal
from kreyol_ia.config import Settings
from kreyol_ia.documents.extract import html_markup
from kreyol_ia.translation.engine import EngineInfo
from kreyol_ia.translation.languages import (
    LANGUAGE_NAMES,
    SUPPORTED_PAIRS,
    describe_pairs,
    normalise_code,
)
from kreyol_ia.translation.normalize import is_valid_text
from kreyol_ia.translation.service import TextOutcome, TranslationError, TranslationService

router = APIRouter(prefix="/api/v1", tags=["translation"])


class TranslateRequest(BaseModel):
    """One text or a list of texts, a source (or ``auto``), a target and optionally an engine."""

    model_config = ConfigDict(extra="forbid")

    text: str | list[str] = Field(
        examples=["Good morning, how are you?", ["Wash your hands.", "Drink clean water."]]
    )
    source: str = Field(default="auto", max_length=8, examples=["en"])
    target: str = Field(max_length=8, examples=["ht"])
    engine: str | None = Field(default=None, max_length=16, examples=["auto"])
    format: Literal["text", "html"] = Field(
        default="text",
        description="html: translate text nodes and alt/title, keep tags, drop scripts.",
        examples=["text"],
    )

    @field_validator("source", "target")
    @classmethod
    def _normalise(cls, value: str) -> str:
        """``HT``, ``hat`` and ``fre`` mean ht and fr: answers always carry the 2-letter code."""
        return normalise_code(value)


class SegmentOut(BaseModel):
    """One sentence; whether the shared cache answered is deliberately not said (privacy)."""

    source: str
    translation: str
    match: str
    score: float
    unknown_words: list[str]
    guessed_words: list[str] = Field(
        default_factory=list,
        description="Words in no lexicon whose rendering was guessed (transliterated, or learned "
        "from imported memories): check them.",
    )


class DetectionOut(BaseModel):
    language: str
    confidence: float


class TranslationOut(BaseModel):
    translation: str
    source: str
    target: str
    detected_source: DetectionOut | None
    engine: str
    matches: dict[str, int]
    unknown_words: list[str]
    guessed_words: list[str] = Field(default_factory=list)
    segments: list[SegmentOut]


class TranslateResponse(BaseModel):
    translations: list[TranslationOut]
    characters: int


class DetectRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=20_000, examples=["Bonjou, kijan ou ye?"])


class DetectResponse(BaseModel):
    language: str
    name: str
    confidence: float


def translation_service(request: Request) -> TranslationService:
    """The process's TranslationService, built once by the app factory."""
    return request.app.state.translation


Service = Annotated[TranslationService, Depends(translation_service)]
Caller = Annotated[Principal | None, Depends(translation_caller)]


def _check_language(code: str, field: str, allow_auto: bool) -> None:
    allowed = set(LANGUAGE_NAMES) | ({"auto"} if allow_auto else set())
    if code not in allowed:
        raise APIError(
            422,
            "unsupported_language",
            f"Unsupported {field} language {code!r}; use one of "
            f"{', '.join(sorted(allowed))} (directions: {describe_pairs()}).",
        )


def _check_text(text: str) -> None:
    """Refuse text UTF-8 cannot carry before any encoder (cache key, Redis, model) sees it."""
    if not is_valid_text(text):
        raise APIError(
            422,
            "invalid_text",
            "The text is not valid Unicode (it holds a lone surrogate such as \\ud800).",
        )


def _check_engine(service: TranslationService, name: str | None) -> None:
    """Unknown or absent engines are refused before the request is charged."""
    try:
        service.pick(name)
    except TranslationError as exc:
        raise APIError(422, exc.code, exc.message) from exc


def _limits(texts: list[str], settings: Settings) -> None:
    if not texts:
        raise APIError(422, "empty_request", "Send at least one text.")
    if len(texts) > settings.max_batch_texts:
        raise APIError(
            422, "too_many_texts", f"At most {settings.max_batch_texts} texts per request."
        )
    for text in texts:
        if len(text) > settings.max_text_chars:
            raise APIError(
                413,
                "text_too_long",
                f"Each text may have at most {settings.max_text_chars} characters.",
            )
        _check_text(text)


def _out(outcome: TextOutcome) -> TranslationOut:
    detection = outcome.detection
    return TranslationOut(
        translation=outcome.text,
        source=outcome.source,
        target=outcome.target,
        detected_source=DetectionOut(language=detection.language, confidence=detection.confidence)
        if detection
        else None,
        engine=outcome.engine,
        matches=outcome.matches,
        unknown_words=outcome.unknown_words,
        guessed_words=outcome.guessed_words,
        segments=[
            SegmentOut(
                source=s.source,
                translation=s.result.text,
                match=s.result.match,
                score=s.result.score,
                unknown_words=list(s.result.unknown),
                guessed_words=list(s.result.guessed),
            )
            for s in outcome.segments
        ],
    )


@router.post("/translate", response_model=TranslateResponse, summary="Translate text")
def translate(
    body: TranslateRequest,
    request: Request,
    response: Response,
    service: Service,
    settings: AppSettings,
    caller: Caller,
) -> TranslateResponse:
    """Translate one text or a list; each result says its engine, match kinds and unknown words."""
    texts = [body.text] if isinstance(body.text, str) else body.text
    _check_language(body.source, "source", allow_auto=True)
    _check_language(body.target, "target", allow_auto=False)
    _check_engine(service, body.engine)
    _limits(texts, settings)
    characters = sum(len(t) for t in texts)
    enforce(request, response, caller, translation_cost(characters, settings.rate_cost_characters))
    try:
        if body.format == "html":
            outcomes = [_html(service, t, body.source, body.target, body.engine) for t in texts]
        else:
            outcomes = service.translate(texts, body.source, body.target, body.engine)
    except TranslationError as exc:
        raise APIError(422, exc.code, exc.message) from exc
    username = caller.username if caller is not None else "anonymous"
    request.app.state.db.record_usage("translate", username, characters=characters)
    return TranslateResponse(translations=[_out(o) for o in outcomes], characters=characters)


def _html(
    service: TranslationService, markup: str, source: str, target: str, engine: str | None
) -> TextOutcome:
    """Markup through the documents' HTML extractor: text nodes translated, tags kept, sanitised.

    ``auto`` is detected once over the page's text, not per text node (short nodes mislead).
    """
    page = html_markup(markup)
    detection = service.detect(" ".join(page.units)) if source == "auto" and page.units else None
    source = detection.language if detection else source
    outcomes = service.translate(page.units, source, target, engine) if page.units else []
    translated = page.rebuild([o.text for o in outcomes], language=target).decode("utf-8")
    return TextOutcome(
        translated,
        source,
        target,
        outcomes[0].engine if outcomes else "none",
        detection,
        [segment for outcome in outcomes for segment in outcome.segments],
    )


@router.post("/detect", response_model=DetectResponse, summary="Detect the language of a text")
def detect(
    body: DetectRequest, request: Request, response: Response, service: Service, caller: Caller
) -> DetectResponse:
    """en, fr or ht, with a confidence."""
    _check_text(body.text)
    enforce(request, response, caller, 1)
    found = service.detect(body.text)
    return DetectResponse(
        language=found.language, name=LANGUAGE_NAMES[found.language], confidence=found.confidence
    )


@router.get("/languages", summary="Languages and directions")
def languages() -> dict[str, Any]:
    """The languages the service knows and the directions it translates."""
    return {
        "languages": [{"code": code, "name": name} for code, name in LANGUAGE_NAMES.items()],
        "pairs": [{"source": s, "target": t} for s, t in SUPPORTED_PAIRS],
    }


@router.get("/engines", summary="Translation engines")
def engines(service: Service) -> dict[str, Any]:
    """Installed engines, their versions and model ids, and which one ``auto`` picks."""
    imported = service.memory.counts() if service.memory is not None else {}
    return {
        "default": service.default_engine(),
        "engines": [
            {
                **_engine_dict(service.engines[name].info()),
                "pairs": [{"source": s, "target": t} for s, t in service.engines[name].languages()],
            }
            for name in service.engine_names()
        ],
        "imported_entries": imported,
    }


def _engine_dict(info: EngineInfo) -> dict[str, str]:
    return asdict(info)
