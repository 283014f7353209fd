"""Tokenising and re-joining text so that numbers, URLs, e-mails and placeholders survive intact."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

TokenKind = Literal["word", "number", "punct", "protected"]

_TOKEN = re.compile(
    r"(?P<protected>https?://[^\s<>\"]+[^\s<>\".,;:!?)]|www\.[^\s<>\"]+[^\s<>\".,;:!?)]"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\{[^{}\s]+\}|%[sd]|<[^<>]+>)"
    r"|(?P<number>\d+(?:[.,:/-]\d+)*(?:%|h\d*)?)"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]*)*)"
    r"|(?P<punct>[^\w\s])",
    re.UNICODE,
)

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
    """Split into words, numbers, punctuation and protected spans (URLs, e-mails, placeholders)."""
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        tokens.append(Token(match.group(), kind))  # type: ignore[arg-type]
    return tokens


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
