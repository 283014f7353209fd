"""Glossary terms as callers send them: JSON pairs, or DeepL's TSV/CSV text, checked one by one."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from typing import Literal

MAX_TERM_CHARS = 1024
TermFormat = Literal["tsv", "csv"]


class GlossaryError(ValueError):
    """A glossary request the store refuses, with a stable code for every API."""

    def __init__(self, code: str, message: str, status: int = 422):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def parse_terms(text: str, entries_format: str) -> list[tuple[str, str]]:
    """DeepL's entries: one ``source<TAB>target`` (tsv) or ``source,target`` (csv) per line."""
    if entries_format == "tsv":
        rows: Iterable[list[str]] = (line.split("\t") for line in text.splitlines())
    elif entries_format == "csv":
        rows = csv.reader(io.StringIO(text))
    else:
        raise GlossaryError("unsupported_format", "entries_format must be tsv or csv.")
    pairs = []
    for number, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        # csv may carry the two language codes after the terms, as DeepL's own exports do
        if len(row) not in ({2} if entries_format == "tsv" else {2, 4}):
            raise GlossaryError(
                "invalid_terms", f"Line {number}: expected a source and a target term."
            )
        pairs.append((row[0], row[1]))
    return check_terms(pairs)


def check_terms(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Trimmed, NFC, non-empty, no control characters, no source term twice (case-blind)."""
    seen: set[str] = set()
    checked = []
    for number, (source, target) in enumerate(pairs, start=1):
        source, target = _clean(source, number), _clean(target, number)
        key = source.casefold()
        if key in seen:
            raise GlossaryError(
                "duplicate_term", f"Entry {number}: the source term {source!r} is given twice."
            )
        seen.add(key)
        checked.append((source, target))
    if not checked:
        raise GlossaryError("empty_glossary", "A glossary needs at least one entry.")
    return checked


def _clean(term: str, number: int) -> str:
    term = unicodedata.normalize("NFC", term).strip()
    if not term:
        raise GlossaryError("invalid_terms", f"Entry {number}: a term is empty.")
    if len(term) > MAX_TERM_CHARS:
        raise GlossaryError(
            "invalid_terms", f"Entry {number}: terms may have at most {MAX_TERM_CHARS} characters."
        )
    if any(unicodedata.category(c) in {"Cc", "Cs", "Zl", "Zp"} for c in term):
        raise GlossaryError(
            "invalid_terms",
            f"Entry {number}: a term holds a control character, tab or line break.",
        )
    return term


def as_tsv(pairs: Iterable[tuple[str, str]]) -> str:
    """Terms as DeepL answers them: ``source<TAB>target`` lines."""
    return "".join(f"{source}\t{target}\n" for source, target in pairs)
