"""Scoring a test set: BLEU and chrF++ with sacrebleu, and which match kinds served it."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sacrebleu

from kreyol_ia.translation.phrasebook.tokens import tokenize
from kreyol_ia.translation.service import TranslationService


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Corpus scores and how many segments each match kind produced."""

    segments: int
    bleu: float
    chrf: float
    matches: dict[str, int]
    words: int = 0  # source words
    unknown: int = 0  # words left untranslated (counted once per sentence)
    guessed: int = 0  # words transliterated or learned (counted once per sentence)
    uncertain: int = 0  # sentences a model translated with low confidence

    @property
    def unknown_rate(self) -> float:
        return self.unknown / self.words if self.words else 0.0

    @property
    def guessed_rate(self) -> float:
        return self.guessed / self.words if self.words else 0.0

    def match_shares(self) -> dict[str, float]:
        """Each match kind's share of the sentences served."""
        total = sum(self.matches.values()) or 1
        return {kind: count / total for kind, count in sorted(self.matches.items())}


def read_test_set(path: Path) -> list[tuple[str, str]]:
    """(source, reference) pairs from a TSV; a header of language codes is skipped."""
    pairs: list[tuple[str, str]] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 2 or not row[0].strip():
                continue
            if not pairs and row[0].strip().lower() in {"en", "fr", "ht", "source"}:
                continue
            pairs.append((row[0].strip(), row[1].strip()))
    return pairs


def evaluate(
    service: TranslationService,
    pairs: list[tuple[str, str]],
    source: str,
    target: str,
    engine: str = "auto",
) -> EvalReport:
    """Translate every source line and score the outputs against the references."""
    outcomes = service.translate([src for src, _ in pairs], source, target, engine)
    hypotheses = [outcome.text for outcome in outcomes]
    references = [[ref for _, ref in pairs]]
    matches: Counter[str] = Counter()
    unknown = guessed = uncertain = 0
    for outcome in outcomes:
        uncertain += len(outcome.uncertain_sentences)
        matches.update(segment.result.match for segment in outcome.segments)
        unknown += sum(len(segment.result.unknown) for segment in outcome.segments)
        guessed += sum(len(segment.result.guessed) for segment in outcome.segments)
    words = sum(1 for src, _ in pairs for token in tokenize(src) if token.kind == "word")
    return EvalReport(
        segments=len(pairs),
        bleu=sacrebleu.corpus_bleu(hypotheses, references).score,
        chrf=sacrebleu.corpus_chrf(hypotheses, references, word_order=2).score,
        matches=dict(matches),
        words=words,
        unknown=unknown,
        guessed=guessed,
        uncertain=uncertain,
    )
