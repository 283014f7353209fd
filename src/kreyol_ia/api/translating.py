"""One text translation as every API answers it: checked, charged, translated, recorded.

The native route and the compatibility facades (LibreTranslate, DeepL) all call
``translate_texts``, so limits, cost, cache, glossaries and usage never differ between doors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import Request, Response

from kreyol_ia.api.errors import APIError
from kreyol_ia.api.glossary_use import glossary_terms
from kreyol_ia.api.ratelimiting import enforce, translation_cost
from kreyol_ia.auth import Principal
from kreyol_ia.config import Settings
from kreyol_ia.documents.extract import html_markup
from kreyol_ia.translation.languages import LANGUAGE_NAMES, describe_pairs
from kreyol_ia.translation.normalize import is_valid_text
from kreyol_ia.translation.phrasebook.lexicon import Entry
from kreyol_ia.translation.service import TextOutcome, TranslationError, TranslationService


@dataclass(frozen=True, slots=True)
class TextJob:
    """What a caller asked for, in the service's terms (codes already normalised)."""

    texts: list[str]
    source: str
    target: str
    engine: str | None = None
    markup: bool = False
    glossary_id: str | None = None


def check_language(code: str, field: str, allow_auto: bool) -> None:
    """422 unsupported_language for a code the service does not know."""
    allowed = set(LANGUAGE_NAMES) | ({"auto"} if allow_auto else set())
    if code not in allowed:
        raise APIError(
            422,
            "unsupported_language",
            f"Unsupported {field} language {code!r}; use one of "
            f"{', '.join(sorted(allowed))} (directions: {describe_pairs()}).",
        )


def check_text(text: str) -> None:
    """Refuse text UTF-8 cannot carry before any encoder (cache key, Redis, model) sees it."""
    if not is_valid_text(text):
        raise APIError(
            422,
            "invalid_text",
            "The text is not valid Unicode (it holds a lone surrogate such as \\ud800).",
        )


def check_engine(service: TranslationService, name: str | None) -> None:
    """Unknown or absent engines are refused before the request is charged."""
    try:
        service.pick(name)
    except TranslationError as exc:
        raise APIError(422, exc.code, exc.message) from exc


def check_texts(texts: list[str], settings: Settings) -> None:
    """Count and length limits per request, and valid Unicode."""
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
        check_text(text)


def translate_texts(
    request: Request, response: Response, caller: Principal | None, job: TextJob
) -> list[TextOutcome]:
    """Validate, charge the caller's windows (413/429), translate and record usage."""
    service: TranslationService = request.app.state.translation
    settings: Settings = request.app.state.settings
    check_language(job.source, "source", allow_auto=True)
    check_language(job.target, "target", allow_auto=False)
    check_engine(service, job.engine)
    check_texts(job.texts, settings)
    terms = glossary_terms(request, caller, job.glossary_id, job.source, job.target)
    characters = sum(len(t) for t in job.texts)
    enforce(request, response, caller, translation_cost(characters, settings.rate_cost_characters))
    try:
        if job.markup:
            outcomes = [_html(service, text, job, terms) for text in job.texts]
        else:
            outcomes = service.translate(job.texts, job.source, job.target, job.engine, terms=terms)
    except TranslationError as exc:
        raise APIError(422, exc.code, exc.message) from exc
    username = caller.username if caller is not None else "anonymous"
    request.app.state.db.record_usage("translate", username, characters=characters)
    return outcomes


def _html(
    service: TranslationService, markup: str, job: TextJob, terms: Sequence[Entry]
) -> TextOutcome:
    """Markup through the documents' HTML extractor: text nodes translated, tags kept, sanitised.

    ``auto`` is detected once over the page's text, not per text node (short nodes mislead).
    """
    page = html_markup(markup)
    detection = (
        service.detect(" ".join(page.units)) if job.source == "auto" and page.units else None
    )
    source = detection.language if detection else job.source
    outcomes = (
        service.translate(page.units, source, job.target, job.engine, terms=terms)
        if page.units
        else []
    )
    translated = page.rebuild([o.text for o in outcomes], language=job.target).decode("utf-8")
    return TextOutcome(
        translated,
        source,
        job.target,
        outcomes[0].engine if outcomes else "none",
        detection,
        [segment for outcome in outcomes for segment in outcome.segments],
    )
