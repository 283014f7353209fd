"""A request's ``glossary_id`` turned into terms, with the API's refusals."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import Request

from kreyol_ia.api.errors import APIError
from kreyol_ia.auth import Principal
from kreyol_ia.glossaries import GlossaryError, GlossaryStore
from kreyol_ia.translation.phrasebook.lexicon import Entry


@contextmanager
def glossary_refusals() -> Iterator[None]:
    """The store's refusals raised as API errors (404 for missing or someone else's)."""
    try:
        yield
    except GlossaryError as exc:
        raise APIError(exc.status, exc.code, exc.message) from exc


def glossary_terms(
    request: Request, caller: Principal | None, glossary_id: str | None, source: str, target: str
) -> list[Entry]:
    """The caller's glossary for this direction; none asked, none used."""
    if not glossary_id:
        return []
    if caller is None:
        raise APIError(
            401, "not_authenticated", "Glossaries belong to accounts: send your credentials."
        )
    if source == "auto":
        raise APIError(
            422,
            "source_required",
            "A glossary is for one direction: give the source language, not auto.",
        )
    store: GlossaryStore = request.app.state.glossaries
    with glossary_refusals():
        return store.entries_for(caller.username, glossary_id, source, target)
