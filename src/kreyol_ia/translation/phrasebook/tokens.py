"""Tokenising and re-joining text so that numbers, URLs, e-mails and placeholders survive intact."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

import regex

TokenKind = Literal["word", "number", "punct", "protected"]

_TOKEN = re.compile(
    r"(?P<protected>https?://[^\s<>\"]+[^\s<>\".,;:!?)]|www\.[^\s<>\"]+[^\s<>\".,;:!?)]"
    r"|(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+|\{[^{}\s]+\}|%[sd]|<[^<>]+>)"
    r"|(?P<number>\d+(?:[.,:/-]\d+)*(?:%|h\d*)?)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]*)*)"
    r"|(?P<punct>[^\w\s])",
    re.UNICODE,
)

_GRAPHEME = regex.compile(r"\X")
_NO_SPACE_BEFORE = set(",.!?;:)]}%…»")
_NO_SPACE_AFTER = set("([{«")


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of the source with its kind; ``lower`` is the matching form."""

    text: str
    kind: TokenKind

    @property
    def lower(self) -> str:
        return self.text.lower().replace("’", "'")


def tokenize(text: str) -> list[Token]:
    """Split into words, numbers, punctuation and protected spans (URLs, e-mails, placeholders).

    A token that would start inside a grapheme cluster (a combining accent, a skin tone, a
    zero-width joiner, the second half of a flag) is joined to the token before it.
    """
    boundaries = None if text.isascii() else _cluster_starts(text)
    spans: list[tuple[int, int, str]] = []  # widened, not re-joined: linear however many marks
    for match in _TOKEN.finditer(text):
        start = match.start()
        inside_a_cluster = boundaries is not None and start not in boundaries
        if inside_a_cluster and spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], match.end(), spans[-1][2])
        else:
            spans.append((start, match.end(), match.lastgroup or "punct"))
    return [Token(text[start:end], kind) for start, end, kind in spans]  # type: ignore[arg-type]


def _cluster_starts(text: str) -> set[int]:
    """Offsets where a user-perceived character (extended grapheme cluster) begins."""
    return {cluster.start() for cluster in _GRAPHEME.finditer(text)}


def detokenize(parts: list[str]) -> str:
    """Join output words with the spacing rules of ordinary prose."""
    out = ""
    for part in parts:
        if not part:
            continue
        if (
            not out
            or part[0] in _NO_SPACE_BEFORE
            or out[-1] in _NO_SPACE_AFTER
            or out.endswith("'")
        ):
            out += part
        else:
            out += " " + part
    return out


def match_capitalisation(source: str, target: str) -> str:
    """Give the output a capital first letter when the source had one, and only then."""
    first_source = next((ch for ch in source if ch.isalpha()), "")
    index = next((i for i, ch in enumerate(target) if ch.isalpha()), None)
    if index is None or not first_source:
        return target
    letter = target[index].upper() if first_source.isupper() else target[index]
    return target[:index] + letter + target[index + 1 :]


def carry_symbols(source: str, target: str) -> str:
    """Put back the emoji and other symbols a sentence-level match ignored, in source order."""
    if source.isascii():
        return target
    tokens = tokenize(source)
    symbols = [
        (index, token.text)
        for index, token in enumerate(tokens)
        if token.kind == "punct" and unicodedata.category(token.text[0]) == "So"
    ]
    if not symbols:
        return target
    first_word = next((i for i, t in enumerate(tokens) if t.kind != "punct"), len(tokens))
    before = [text for index, text in symbols if index < first_word]
    after = [text for index, text in symbols if index > first_word]
    return detokenize([*before, target, *after])
