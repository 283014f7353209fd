"""Glossary enforcement on engine output: the glossary's terms win over whatever an engine said."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kreyol_ia.translation.phrasebook.kreyol import definite_article
from kreyol_ia.translation.phrasebook.lexicon import Entry, Lexicon

# a placed term is parked behind a private-use mark until every term is placed, so a later,
# shorter term never rewrites inside it (nurse → "enfimyè klinik", then clinic → "dispansè")
_PARK = "\ue000{}\ue001"
_PARKED = re.compile("\ue000(\\d+)\ue001")
_KREYOL_DETERMINER = re.compile(r"^(\s+)(la|a|an|nan|lan)(?!\w)", re.IGNORECASE)


def _word_pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def _same_case(replaced: str, text: str) -> str:
    """Keep a sentence-initial capital: ``Clinic la`` → ``Dispansè la``."""
    if replaced[:1].isupper() and text[:1].islower():
        return text[:1].upper() + text[1:]
    return text


def enforce(
    source: str,
    translated: str,
    terms: Sequence[Entry],
    builtin: Lexicon | None = None,
    target: str | None = None,
) -> tuple[str, list[str]]:
    """Put each glossary term found in ``source`` into ``translated``; return the terms applied.

    A term already rendered correctly is left alone; otherwise the source term copied verbatim,
    or the built-in translation of it, is replaced by the glossary's target. Longer terms go
    first; in Kreyòl (``target="ht"``) a determiner after a replaced word is re-chosen for it.
    """
    applied: list[str] = []
    placed: list[str] = []
    for term in sorted(terms, key=lambda t: -len(t.source)):
        if not _word_pattern(term.source).search(source):
            continue
        if _word_pattern(term.target).search(translated) or term.target in placed:
            continue
        candidates = [term.source]
        if builtin is not None:
            candidates += [entry.target for entry in builtin.alternatives(term.source.lower())]
        for candidate in candidates:
            pattern = _word_pattern(candidate)
            if pattern.search(translated):
                translated = pattern.sub(
                    lambda m, text=term.target: _park(placed, _same_case(m.group(), text)),
                    translated,
                )
                applied.append(term.source)
                break
    if target == "ht":
        translated = _redetermine(translated, placed)
    return _PARKED.sub(lambda m: placed[int(m.group(1))], translated), applied


def _park(placed: list[str], text: str) -> str:
    """The mark standing for ``text`` until the end (added to ``placed`` if new)."""
    if text not in placed:
        placed.append(text)
    return _PARK.format(placed.index(text))


def _redetermine(translated: str, placed: list[str]) -> str:
    """``dispansè la`` → ``dispansè a``: the determiner follows the new word's last sound."""
    parts = _PARKED.split(translated)
    out = [parts[0]]
    for index in range(1, len(parts), 2):
        term, rest = placed[int(parts[index])], parts[index + 1]
        found = _KREYOL_DETERMINER.match(rest)
        if found:
            article = definite_article(term)
            if found.group(2)[:1].isupper():
                article = article.capitalize()
            rest = f"{found.group(1)}{article}{rest[found.end() :]}"
        out.append(_PARK.format(parts[index]))
        out.append(rest)
    return "".join(out)
