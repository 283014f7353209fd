"""Segmentation: cut text into translatable sentences while keeping its layout byte for byte.

Paragraph breaks, line breaks, list markers and the spaces between sentences are kept as
literal pieces; only sentences go to an engine, and over-long ones are cut under a limit.
Every step is linear in the input: matches are walked with indices, never re-sliced from the
start, and each search is bounded by ``max_chars`` or by a single pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex

# possessive quantifiers (*+, ++): nothing to backtrack into on long runs of blanks or quotes
_LINE_BREAKS = re.compile(r"(?:\r?\n[ \t]*+)++")
_LINE_PREFIX = re.compile(r"^(\s*(?:[-*•>]+|\d+[.)]|#{1,6})\s+)")
_ABBREVIATIONS = (
    "dr.",
    "mr.",
    "mrs.",
    "ms.",
    "st.",
    "no.",
    "vs.",
    "etc.",
    "e.g.",
    "i.e.",
    "m.",
    "mme.",
    "p.",
    "pp.",
    "art.",
)


def _not_after(abbreviation: str) -> str:
    """A lookbehind refusing a sentence end right after ``abbreviation`` as a whole word."""
    letters = "".join(f"[{c}{c.upper()}]" if c.isalpha() else re.escape(c) for c in abbreviation)
    return rf"(?<!(?<!\S){letters})"


# the regex itself refuses abbreviations (fixed-width lookbehinds), so "Dr. A " repeated costs
# no Python work per match; the sentence before a gap always starts after whitespace
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])([\"»”)\]]*+)"
    + "".join(map(_not_after, _ABBREVIATIONS))
    + r"(\s++)(?=[\"«“(\[]?[A-ZÀ-ÝÈÒ0-9])"
)
_SOFT_BREAK = re.compile(r"(?<=[,;:])(\s+)")
_GRAPHEME = regex.compile(r"\X")
_BOUNDARY_LOOKBACK = 64


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the original text; only ``translatable`` pieces are sent to an engine."""

    text: str
    translatable: bool


def segment(text: str, max_chars: int = 400) -> list[Piece]:
    """Pieces that, joined in order, give back ``text`` exactly; none longer than ``max_chars``."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    pieces: list[Piece] = []
    position = 0
    for match in _LINE_BREAKS.finditer(text):
        pieces += _line(text[position : match.start()], max_chars)
        pieces.append(Piece(match.group(), False))
        position = match.end()
    pieces += _line(text[position:], max_chars)
    return [piece for piece in pieces if piece.text]


def _line(line: str, max_chars: int) -> list[Piece]:
    if not line.strip():
        return [Piece(line, False)]
    pieces: list[Piece] = []
    prefix = _LINE_PREFIX.match(line)
    if prefix:
        pieces.append(Piece(prefix.group(1), False))
        line = line[prefix.end() :]
    stripped = line.rstrip()
    trailing = line[len(stripped) :]
    leading_len = len(stripped) - len(stripped.lstrip())
    if leading_len:
        pieces.append(Piece(stripped[:leading_len], False))
        stripped = stripped[leading_len:]
    for index, part in enumerate(_sentences(stripped)):
        if index % 2:
            pieces.append(Piece(part, False))
        else:
            pieces += _chunk(part, max_chars)
    if trailing:
        pieces.append(Piece(trailing, False))
    return pieces


def _sentences(text: str) -> list[str]:
    """Alternating sentence, gap, sentence…; closing quotes stay with their sentence."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        parts += [text[start : match.start(2)], match.group(2)]
        start = match.end(2)
    parts.append(text[start:])
    return parts


def _chunk(sentence: str, max_chars: int) -> list[Piece]:
    """Split a sentence longer than ``max_chars`` at commas, then at spaces, then anywhere."""
    if len(sentence) <= max_chars:
        return [Piece(sentence, True)]
    pieces: list[Piece] = []
    for index, part in enumerate(_SOFT_BREAK.split(sentence)):
        if index % 2:
            pieces.append(Piece(part, False))
            continue
        position = 0
        while len(part) - position > max_chars:
            window = part[position : position + max_chars + 1]
            cut, end = _last_space(window)
            if cut == 0:  # the rest of a gap the previous window cut through
                pieces.append(Piece(window[:end], False))
                position += end
                continue
            if cut < 0:
                cut = end = _last_boundary(window, max_chars)
            pieces.append(Piece(window[:cut], True))
            if end > cut:
                pieces.append(Piece(window[cut:end], False))
            position += end
        if position < len(part):
            pieces.append(Piece(part[position:], True))
    return pieces


def _last_space(window: str) -> tuple[int, int]:
    """Start and end of the window's last run of whitespace, or (-1, -1) when there is none."""
    end = len(window)
    while end and not window[end - 1].isspace():
        end -= 1
    start = end
    while start and window[start - 1].isspace():
        start -= 1
    return (start, end) if end else (-1, -1)


def _last_boundary(window: str, max_chars: int) -> int:
    """The last grapheme boundary at or before ``max_chars`` (so no accent or emoji is split).

    Clusters are read from a short way back only, to keep the cost per cut bounded.
    """
    start = max(0, max_chars - _BOUNDARY_LOOKBACK)
    best = start
    for cluster in _GRAPHEME.finditer(window, start):
        if cluster.end() > max_chars:
            break
        best = cluster.end()
    return best or max_chars
