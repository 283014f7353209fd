"""What every document format hands to the job runner: translatable units and a rebuilder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


class DocumentError(ValueError):
    """A file the service cannot translate, with a stable code for the API (422)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class ExtractedDocument:
    """The text units to translate, in order, and how to put translations back in place.

    ``rebuild`` receives exactly one translation per unit and returns the output file's bytes.
    """

    format: str
    units: list[str]
    rebuild: Callable[[list[str]], bytes]
    media_type: str
    suffix: str
    pages: int = 1
