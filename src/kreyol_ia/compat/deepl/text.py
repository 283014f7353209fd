"""DeepL's text routes: ``/v2/translate``, ``/v2/usage`` and ``/v2/languages``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from kreyol_ia.api.errors import APIError
from kreyol_ia.api.ratelimiting import rate_identity
from kreyol_ia.api.translating import TextJob, translate_texts
from kreyol_ia.compat.deepl import openapi
from kreyol_ia.compat.deepl.auth import AuthHeader, deepl_caller
from kreyol_ia.compat.deepl.errors import render
from kreyol_ia.compat.deepl.languages import (
    ENGLISH_NAMES,
    SOURCE_CODES,
    TARGET_CODES,
    TARGET_NAMES,
    to_code,
    to_deepl,
)
from kreyol_ia.compat.deepl.schemas import (
    LanguageEntry,
    TextTranslation,
    TranslateAnswer,
    TranslateBody,
    UsageAnswer,
)
from kreyol_ia.compat.errors import facade_route
from kreyol_ia.compat.fields import Fields, read_fields
from kreyol_ia.ratelimit.limiter import usage

router = APIRouter(prefix="/v2", tags=[openapi.TAG], route_class=facade_route(render))
ACCEPTED_FORMALITY = {None, "", "default", "prefer_less", "prefer_more"}


@router.post(
    "/translate",
    response_model=TranslateAnswer,
    summary="Translate text (DeepL API v2)",
    responses=openapi.errors(404),
    openapi_extra=openapi.body(TranslateBody),
)
async def translate(request: Request, response: Response, header: AuthHeader) -> TranslateAnswer:
    """DeepL's fields, answered by the same service, limits, cache and glossaries as /api/v1."""
    fields = await read_fields(request)
    return await run_in_threadpool(_translate, request, response, header, fields)


def _translate(
    request: Request, response: Response, header: str | None, fields: Fields
) -> TranslateAnswer:
    caller = deepl_caller(request, header, fields, "translate")
    texts = fields.texts("text")
    if not texts:
        raise APIError(422, "validation_error", "Parameter 'text' not specified.")
    if not all(isinstance(text, str) for text in texts):
        raise APIError(422, "validation_error", "Parameter 'text' must hold strings.")
    target = to_code(fields.text("target_lang"), "target_lang")
    source = to_code(fields.text("source_lang"), "source_lang", required=False) or "auto"
    tags = fields.text("tag_handling")
    if tags not in {None, "xml", "html"}:
        raise APIError(422, "validation_error", "Value for 'tag_handling' not supported.")
    if fields.text("formality") not in ACCEPTED_FORMALITY:
        raise APIError(
            422, "validation_error", "'formality' is not supported for given 'target_lang'."
        )
    job = TextJob(
        texts,
        source,
        target or "",
        markup=tags is not None,
        glossary_id=fields.text("glossary_id"),
    )
    outcomes = translate_texts(request, response, caller, job)
    return TranslateAnswer(
        translations=[
            TextTranslation(
                detected_source_language=to_deepl(outcome.source),
                text=outcome.text,
                billed_characters=len(text),
            )
            for text, outcome in zip(texts, outcomes, strict=True)
        ]
    )


@router.get(
    "/usage",
    response_model=UsageAnswer,
    summary="Characters used and allowed (DeepL API v2)",
    responses=openapi.errors(),
    openapi_extra=openapi.body(None),
)
@router.post(
    "/usage",
    response_model=UsageAnswer,
    summary="Characters used and allowed (DeepL API v2, POST)",
    operation_id="usage_route_v2_usage_post",
    responses=openapi.errors(),
    openapi_extra=openapi.body(None),
)
def usage_route(request: Request, header: AuthHeader) -> UsageAnswer:
    """The day window of the caller's tier in characters: the limit DeepL's 456 refers to."""
    caller = deepl_caller(request, header, None, "translate")
    key, tier = rate_identity(request, caller)
    day = usage(request.app.state.limiter.peek(key, tier))["day"]
    per_unit = request.app.state.settings.rate_cost_characters
    return UsageAnswer(
        character_count=day["used"] * per_unit, character_limit=day["limit"] * per_unit
    )


@router.get(
    "/languages",
    response_model=list[LanguageEntry],
    summary="Source or target languages (DeepL API v2)",
    responses=openapi.errors(),
    openapi_extra=openapi.body(None),
)
@router.post(
    "/languages",
    response_model=list[LanguageEntry],
    summary="Source or target languages (DeepL API v2, POST)",
    operation_id="languages_v2_languages_post",
    responses=openapi.errors(),
    openapi_extra=openapi.body(None),
)
async def languages(
    request: Request,
    header: AuthHeader,
    kind: Annotated[str | None, Query(alias="type", max_length=16, examples=["target"])] = None,
) -> list[LanguageEntry]:
    """EN, FR and HT as sources; EN-GB, EN-US, FR and HT as targets (no formality).

    DeepL's own client sends ``type`` in the body of its GET, so the body is read too.
    """
    fields = await read_fields(request, query=True)
    await run_in_threadpool(deepl_caller, request, header, fields, "translate")
    kind = fields.text("type") or kind or "source"
    if kind not in {"source", "target"}:
        raise APIError(422, "validation_error", "Value for 'type' not supported.")
    if kind == "source":
        return [LanguageEntry(language=c, name=ENGLISH_NAMES[c.lower()]) for c in SOURCE_CODES]
    return [
        LanguageEntry(language=c, name=TARGET_NAMES[c], supports_formality=False)
        for c in TARGET_CODES
    ]
