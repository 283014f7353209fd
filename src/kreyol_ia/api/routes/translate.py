"""Translation endpoints: translate, detect, languages and engines."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from kreyol_ia.api.deps import translation_caller
from kreyol_ia.api.ratelimiting import enforce
from kreyol_ia.api.schemas.languages import LanguageOut, PairOut
from kreyol_ia.api.translating import TextJob, check_text, translate_texts
from kreyol_ia.auth import Principal
from kreyol_ia.translation.engine import Engine, RunsModels, is_uncertain
from kreyol_ia.translation.languages import LANGUAGE_NAMES, SUPPORTED_PAIRS, normalise_code
from kreyol_ia.translation.service import TextOutcome, TranslationService

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
    glossary_id: str | None = Field(
        default=None,
        max_length=36,
        description="One of your glossaries (POST /api/v1/glossaries) for this direction: its "
        "terms are used whatever the engine says. Needs an explicit source.",
        examples=[None],
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
    uncertain: bool = Field(
        default=False,
        description="A model translated this sentence with low confidence (mean token "
        "probability under 0.4): check it.",
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
    uncertain_sentences: list[str] = Field(
        default_factory=list, description="Source sentences a model was unsure of."
    )
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
        uncertain_sentences=outcome.uncertain_sentences,
        segments=[
            SegmentOut(
                source=s.source,
                translation=s.result.text,
                match=s.result.match,
                score=s.result.score,
                unknown_words=list(s.result.unknown),
                guessed_words=list(s.result.guessed),
                uncertain=is_uncertain(s.result),
            )
            for s in outcome.segments
        ],
    )


@router.post("/translate", response_model=TranslateResponse, summary="Translate text")
def translate(
    body: TranslateRequest, request: Request, response: Response, caller: Caller
) -> TranslateResponse:
    """Translate one text or a list; each result says its engine, match kinds and unknown words."""
    texts = [body.text] if isinstance(body.text, str) else body.text
    job = TextJob(
        texts, body.source, body.target, body.engine, body.format == "html", body.glossary_id
    )
    outcomes = translate_texts(request, response, caller, job)
    characters = sum(len(t) for t in texts)
    return TranslateResponse(translations=[_out(o) for o in outcomes], characters=characters)


@router.post("/detect", response_model=DetectResponse, summary="Detect the language of a text")
def detect(
    body: DetectRequest, request: Request, response: Response, service: Service, caller: Caller
) -> DetectResponse:
    """en, fr or ht, with a confidence."""
    check_text(body.text)
    enforce(request, response, caller, 1)
    found = service.detect(body.text)
    return DetectResponse(
        language=found.language, name=LANGUAGE_NAMES[found.language], confidence=found.confidence
    )


class LanguagesResponse(BaseModel):
    languages: list[LanguageOut]
    pairs: list[PairOut]


class ModelOut(BaseModel):
    """An installed neural model and the directions it serves here."""

    name: str = Field(examples=["opus-mt-en-ht"])
    family: str = Field(description="marian (OPUS-MT), m2m100 or nllb", examples=["marian"])
    license: str = Field(examples=["Apache-2.0"])
    commercial_use: bool
    size_bytes: int
    pairs: list[PairOut]


class EngineOut(BaseModel):
    name: str
    version: str
    model_id: str
    pairs: list[PairOut]
    models: list[ModelOut] = Field(
        default_factory=list, description="The neural engine's models, by direction served."
    )


class EnginesResponse(BaseModel):
    default: str = Field(description="What ``auto`` picks.", examples=["phrasebook"])
    engines: list[EngineOut]
    imported_entries: dict[str, int] = Field(
        description="Operator-imported rows per kind (tm, glossary)."
    )


@router.get("/languages", response_model=LanguagesResponse, summary="Languages and directions")
def languages() -> LanguagesResponse:
    """The languages the service knows and the directions it translates."""
    return LanguagesResponse(
        languages=[LanguageOut(code=code, name=name) for code, name in LANGUAGE_NAMES.items()],
        pairs=[PairOut(source=s, target=t) for s, t in SUPPORTED_PAIRS],
    )


@router.get("/engines", response_model=EnginesResponse, summary="Translation engines")
def engines(service: Service) -> EnginesResponse:
    """Installed engines, their versions and model ids, and which one ``auto`` picks."""
    imported = service.memory.counts() if service.memory is not None else {}
    return EnginesResponse(
        default=service.default_engine(),
        engines=[
            EngineOut(
                **asdict(service.engines[name].info()),
                pairs=[PairOut(source=s, target=t) for s, t in service.engines[name].languages()],
                models=_models(service.engines[name]),
            )
            for name in service.engine_names()
        ],
        imported_entries=imported,
    )


def _models(engine: Engine) -> list[ModelOut]:
    """What a model router says it runs; other engines run no model."""
    if not isinstance(engine, RunsModels):
        return []
    return [
        ModelOut(
            name=model.name,
            family=model.family,
            license=model.license,
            commercial_use=model.commercial_use,
            size_bytes=model.size_bytes,
            pairs=[PairOut(source=s, target=t) for s, t in model.directions],
        )
        for model in engine.served_models()
    ]
