"""LibreTranslate's ``/translate`` and ``/detect`` on the shared translation path.

Both go through the same checks, limits, cache and usage records as ``/api/v1``: the facade
only reads LibreTranslate's fields and writes its answers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kreyol_ia.api.deps import OptionalPrincipal
from kreyol_ia.api.errors import APIError
from kreyol_ia.api.ratelimiting import enforce
from kreyol_ia.api.translating import TextJob, check_text, translate_texts
from kreyol_ia.auth import Principal
from kreyol_ia.compat.errors import facade_route
from kreyol_ia.compat.fields import Fields, read_fields
from kreyol_ia.compat.libretranslate.caller import lt_caller
from kreyol_ia.compat.libretranslate.errors import invalid, render, responses
from kreyol_ia.compat.libretranslate.openapi import TAG, body
from kreyol_ia.compat.libretranslate.schemas import (
    LTDetectBody,
    LTDetectedLanguage,
    LTTranslateAnswer,
    LTTranslateBody,
)
from kreyol_ia.translation.detect import Detection
from kreyol_ia.translation.languages import normalise_code
from kreyol_ia.translation.service import TextOutcome, TranslationService

MAX_ALTERNATIVES = 3  # LibreTranslate's default limit
router = APIRouter(tags=[TAG], route_class=facade_route(render))


@router.post(
    "/translate",
    response_model=LTTranslateAnswer,
    response_model_exclude_none=True,
    summary="Translate text (LibreTranslate API)",
    responses=responses(400, 403, 429),
    openapi_extra=body(LTTranslateBody, {"q": "Good morning", "source": "en", "target": "ht"}),
)
async def translate(
    request: Request, response: Response, principal: OptionalPrincipal
) -> LTTranslateAnswer:
    """One text or a JSON list of texts; ``api_key`` in the body or the native headers."""
    fields = await read_fields(request)
    return await run_in_threadpool(_translate, request, response, principal, fields)


def _translate(
    request: Request, response: Response, principal: Principal | None, fields: Fields
) -> LTTranslateAnswer:
    caller = lt_caller(request, fields, principal)  # first, as LibreTranslate
    texts, batch = _texts(fields)
    source, target = _language(fields, "source"), _language(fields, "target")
    wanted = _alternatives(fields.first("alternatives"))
    text_format = fields.text("format") or "text"
    if text_format not in {"text", "html"}:
        raise APIError(400, "bad_request", f"{text_format} format is not supported")
    job = TextJob(texts, source, target, markup=text_format == "html")
    outcomes = translate_texts(request, response, caller, job)
    others = _alternatives_of(request, response, caller, job, outcomes, wanted) if wanted else None
    detected = [_detected(o.detection) for o in outcomes] if source == "auto" else None
    if batch:
        texts_out = [o.text for o in outcomes]
        return LTTranslateAnswer(
            translatedText=texts_out, detectedLanguage=detected, alternatives=others
        )
    return LTTranslateAnswer(
        translatedText=outcomes[0].text,
        detectedLanguage=detected[0] if detected else None,
        alternatives=others[0] if others is not None else None,
    )


def _texts(fields: Fields) -> tuple[list[str], bool]:
    """A JSON list is a batch; a form's text gets LF line ends, as LibreTranslate counts them."""
    if fields.is_json and "q" in fields.lists:
        texts = fields.texts("q")
        if not texts:
            raise invalid("missing q parameter")
        if not all(isinstance(text, str) for text in texts):
            raise invalid("q must be a string or a list of strings")
        return texts, True
    q = fields.first("q")
    if q is None or q == "":
        raise invalid("missing q parameter")
    if not isinstance(q, str):
        raise invalid("q must be a string or a list of strings")
    return [q if fields.is_json else "\n".join(q.splitlines())], False


def _language(fields: Fields, name: str) -> str:
    code = fields.text(name, limit=8)
    if code is None:
        raise invalid(f"missing {name} parameter")
    return normalise_code(code)


def _alternatives(value: Any) -> int:
    """How many alternatives were asked for: a number, or LibreTranslate's 400."""
    if value is None or value == "":
        return 0
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError
        wanted = max(0, int(value))
    except (TypeError, ValueError, OverflowError):
        raise invalid("alternatives parameter is not a number") from None
    if wanted > MAX_ALTERNATIVES:
        raise invalid(f"alternatives parameter must be <= {MAX_ALTERNATIVES}")
    return wanted


def _alternatives_of(
    request: Request,
    response: Response,
    caller: Principal | None,
    job: TextJob,
    outcomes: list[TextOutcome],
    wanted: int,
) -> list[list[str]]:
    """The other installed engines' translations where they differ; each is charged as one.

    Markup gets none (as on LibreTranslate); with a single engine there are none to give.
    """
    found: list[list[str]] = [[] for _ in outcomes]
    service: TranslationService = request.app.state.translation
    used = {outcome.engine for outcome in outcomes}
    others = [name for name in service.engine_names() if name not in used][:wanted]
    if job.markup:
        return found
    for engine in others:
        extra = TextJob(job.texts, job.source, job.target, engine=engine)
        for shown, primary, other in zip(
            found, outcomes, translate_texts(request, response, caller, extra), strict=True
        ):
            if other.text != primary.text and other.text not in shown:
                shown.append(other.text)
    return found


def _detected(detection: Detection | None) -> LTDetectedLanguage:
    """Confidence as LibreTranslate gives it, 0–100; text with no letters detects nothing."""
    if detection is None:
        return LTDetectedLanguage(confidence=0.0, language="en")
    return LTDetectedLanguage(
        confidence=round(detection.confidence * 100, 2), language=detection.language
    )


@router.post(
    "/detect",
    response_model=list[LTDetectedLanguage],
    summary="Detect the language of a text (LibreTranslate API)",
    responses=responses(400, 403, 429),
    openapi_extra=body(LTDetectBody, {"q": "Bonjou, kijan ou ye?"}),
)
async def detect(
    request: Request, response: Response, principal: OptionalPrincipal
) -> list[LTDetectedLanguage]:
    """en, fr or ht with a confidence of 0–100, charged like ``/api/v1/detect``."""
    fields = await read_fields(request)
    return await run_in_threadpool(_detect, request, response, principal, fields)


def _detect(
    request: Request, response: Response, principal: Principal | None, fields: Fields
) -> list[LTDetectedLanguage]:
    caller = lt_caller(request, fields, principal)
    q = fields.first("q")
    if q is None or q == "":
        raise invalid("missing q parameter")
    if not isinstance(q, str) or "q" in fields.lists:
        raise invalid("q must be a string")
    if len(q) > request.app.state.settings.max_text_chars:
        raise invalid(f"q may have at most {request.app.state.settings.max_text_chars} characters")
    check_text(q)
    enforce(request, response, caller, 1)
    service: TranslationService = request.app.state.translation
    return [_detected(service.detect(q))]
