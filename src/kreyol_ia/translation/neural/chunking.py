"""Cutting an over-long segment's pieces into chunks the decoder can take, none dropped."""

from __future__ import annotations

from collections.abc import Sequence

_BREAK_AFTER = (".", "!", "?", ";", ":", ",")
_WORD_START = "▁"


def split_pieces(pieces: Sequence[str], limit: int) -> list[list[str]]:
    """Split an over-long segment into chunks of at most ``limit`` pieces, none dropped.

    Cuts after punctuation in the chunk's second half, else at a word start, else hard.
    """
    chunks: list[list[str]] = []
    start = 0
    while len(pieces) - start > limit:
        end = _cut_point(pieces, start, limit)
        chunks.append(list(pieces[start:end]))
        start = end
    chunks.append(list(pieces[start:]))
    return chunks


def _cut_point(pieces: Sequence[str], start: int, limit: int) -> int:
    """Index of the first piece of the next chunk."""
    hard = start + limit
    floor = start + max(1, limit // 2)
    candidates = range(hard, floor - 1, -1)
    for index in candidates:
        if pieces[index].startswith(_WORD_START) and pieces[index - 1].endswith(_BREAK_AFTER):
            return index
    for index in candidates:
        if pieces[index].startswith(_WORD_START):
            return index
    return hard
