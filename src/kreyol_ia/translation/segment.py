"""Segmentation: cut text into translatable sentences while keeping its layout byte for byte.

Paragraph breaks, line breaks, list markers and the spaces between sentences are kept as
literal pieces; only sentences go to an engine, and over-long ones are cut under a limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_BREAKS = re.compile(r"(\r?\n[ \t]*)+")
_LINE_PREFIX = re.compile(r"^(\s*(?:[-*•>]+|\d+[.)]|#{1,6})\s+)")
_SENTENCE_END = re.compile(r"(?<=[.!?…])([\"»”)\]]*)(\s+)(?=[\"«“(\[]?[A-ZÀ-ÝÈÒ0-9])")
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
_SOFT_BREAK = re.compile(r"(?<=[,;:])(\s+)")
_LAST_SPACE = re.compile(r"\s+(?=\S*$)")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the original text; only ``translatable`` pieces are sent to an engine."""

    text: str
    translatable: bool


def segment(text: str, max_chars: int = 400) -> list[Piece]:
    """Pieces that, joined in order, give back ``text`` exactly."""
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
        end_of_sentence = match.start(2)
        last_word = text[start:end_of_sentence].rsplit(None, 1)[-1].lower()
        if last_word in _ABBREVIATIONS:
            continue
        parts += [text[start:end_of_sentence], match.group(2)]
        start = match.end(2)
    parts.append(text[start:])
    return parts


def _chunk(sentence: str, max_chars: int) -> list[Piece]:
    """Split a sentence longer than ``max_chars`` at commas, then at spaces."""
    if len(sentence) <= max_chars:
        return [Piece(sentence, True)]
    pieces: list[Piece] = []
    for index, part in enumerate(_SOFT_BREAK.split(sentence)):
        if index % 2:
            pieces.append(Piece(part, False))
            continue
        while len(part) > max_chars:
            space = _LAST_SPACE.search(part[: max_chars + 1])
            cut = space.start() if space and space.start() > 0 else max_chars
            end = space.end() if space and space.start() > 0 else max_chars
            pieces.append(Piece(part[:cut], True))
            if end > cut:
                pieces.append(Piece(part[cut:end], False))
            part = part[end:]
        if part:
            pieces.append(Piece(part, True))
    return pieces
