"""Glossary enforcement on engine output: the operator's terms win over whatever an engine said."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kreyol_ia.translation.phrasebook.lexicon import Entry, Lexicon


def _word_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def _same_case(replaced: str, text: str) -> str:
    """Keep a sentence-initial capital: ``Clinic la`` → ``Dispansè la``."""
    if replaced[:1].isupper() and text[:1].islower():
        return text[:1].upper() + text[1:]
    return text


def enforce(
    source: str, translated: str, terms: Sequence[Entry], builtin: Lexicon | None = None
) -> tuple[str, list[str]]:
    """Put each glossary term found in ``source`` into ``translated``; return the terms applied.

    A term already rendered correctly is left alone; otherwise the source term copied verbatim,
    or the built-in translation of it, is replaced by the glossary's target.
    """
    applied: list[str] = []
    for term in terms:
        if not _word_pattern(term.source).search(source):
            continue
        if _word_pattern(term.target).search(translated):
            continue
        candidates = [term.source]
        if builtin is not None:
            candidates += [entry.target for entry in builtin.alternatives(term.source.lower())]
        for candidate in candidates:
            pattern = _word_pattern(candidate)
            if pattern.search(translated):
                translated = pattern.sub(
                    lambda m, text=term.target: _same_case(m.group(), text), translated
                )
                applied.append(term.source)
                break
    return translated, applied
