"""What a finished job tells its owner about quality: how each segment was matched, and which
words no engine knew (a clinic worker can then check those parts by hand)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from kreyol_ia.translation.service import TextOutcome

UNKNOWN_SAMPLE = 20


def add_quality(quality: dict[str, Any] | None, outcomes: Sequence[TextOutcome]) -> dict[str, Any]:
    """Match kinds per segment, unknown-word occurrences and a sample, summed batch by batch."""
    matches: Counter[str] = Counter((quality or {}).get("matches", {}))
    unknown = (quality or {}).get("unknown_words", 0)
    sample = list((quality or {}).get("unknown_sample", []))
    for outcome in outcomes:
        matches.update(outcome.matches)
        unknown += len(outcome.unknown_words)
        for word in outcome.unknown_words:
            if len(sample) < UNKNOWN_SAMPLE and word not in sample:
                sample.append(word)
    return {
        "matches": dict(matches),
        "unknown_words": unknown,
        "unknown_sample": sample,
    }
