"""What every document format hands to the job runner: translatable units and a rebuilder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

MiB = 1024 * 1024


class DocumentError(ValueError):
    """A file the service cannot translate, with a stable code for the API (422)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Structural limits every parse honours, so a hostile file costs a bounded amount of work.

    Sizes count decompressed bytes; ``cpu_seconds``, ``wall_seconds`` and ``memory_bytes`` bound the
    sandboxed parse at upload (``documents.sandbox``).
    """

    max_pages: int = 200
    max_characters: int = 1_000_000
    max_member_bytes: int = 32 * MiB
    max_unzipped_bytes: int = 128 * MiB
    max_compression_ratio: int = 100
    max_xml_elements: int = 2_000_000
    max_stream_bytes: int = 16 * MiB
    max_page_characters: int = 200_000
    cpu_seconds: int = 10
    wall_seconds: float = 20.0
    memory_bytes: int = 1024 * MiB


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What the upload route needs from a parse (picklable: it crosses the sandbox's pipe)."""

    format: str
    units: list[str]
    pages: int = 1

    @property
    def characters(self) -> int:
        """What the document is charged by (pages are no measure of work)."""
        return sum(len(unit) for unit in self.units)


@dataclass(frozen=True)
class ExtractedDocument:
    """The text units to translate, in order, and how to put translations back in place.

    ``rebuild`` receives exactly one translation per unit (and optionally one per ``hints``
    entry: Word's formatted spans, translated alone to find them again) and returns the bytes.
    """

    format: str
    units: list[str]
    rebuild: Callable[..., bytes]
    media_type: str
    suffix: str
    pages: int = 1
    hints: list[str] = field(default_factory=list)

    def summary(self) -> DocumentSummary:
        """The picklable part, without the rebuilder (a closure over the file)."""
        return DocumentSummary(self.format, list(self.units), self.pages)
