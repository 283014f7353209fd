"""Glossary terms for a neural model: the term's translation is written into the source sentence.

Models copy a word they meet in the other language (``Go to the dispansè.`` → ``Ale nan dispansè
a.``), and then inflect around it, which a replacement after the fact cannot do. Whether the
model kept each term is checked; where it did not, the service translates the sentence as it
was and puts the terms in afterwards (``glossary.enforce``), as for every other engine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kreyol_ia.translation.phrasebook.lexicon import Entry


@dataclass(frozen=True, slots=True)
class Injected:
    """A sentence with terms written in, and the targets the output must then contain."""

    text: str
    targets: tuple[str, ...]
    sources: tuple[str, ...]


def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


_PARKED = re.compile("\ue000(\\d+)\ue001")


def inject(sentence: str, terms: Sequence[Entry]) -> Injected:
    """Each glossary source term in ``sentence`` replaced by its target, longest terms first;
    a placed target is parked until the end, so a shorter term never rewrites inside it."""
    text, targets, sources = sentence, [], []
    for term in sorted(terms, key=lambda t: -len(t.source)):
        pattern = _pattern(term.source)
        if not term.source.strip() or not pattern.search(text):
            continue
        text = pattern.sub(f"\ue000{len(targets)}\ue001", text)
        targets.append(term.target)
        sources.append(term.source)
    text = _PARKED.sub(lambda m: targets[int(m.group(1))], text)
    return Injected(text, tuple(targets), tuple(sources))


def kept(injected: Injected, translated: str) -> bool:
    """The model's output holds every injected target (as words, whatever their case)."""
    return all(_pattern(target).search(translated) for target in injected.targets)
