"""The engine contract every translator implements: segments in, one Result per segment out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

MatchKind = Literal["exact", "fuzzy", "glossary", "gloss", "neural", "passthrough"]


@dataclass(frozen=True, slots=True)
class Result:
    """One translated segment, saying which engine made it, how it matched and how sure it is."""

    text: str
    engine: str
    match: MatchKind
    score: float
    unknown: tuple[str, ...] = field(default_factory=tuple)
    # words not in any lexicon whose rendering was guessed (transliterated or learned from the
    # operator's memories): shown apart so a reader can check them
    guessed: tuple[str, ...] = field(default_factory=tuple)


UNCERTAIN_BELOW = 0.4
"""A model's sentence whose mean token probability is under this is flagged for a reader to
check: the neural counterpart of the phrasebook's unknown words."""


def is_uncertain(result: Result) -> bool:
    """A neural sentence the model itself was unsure of."""
    return result.match == "neural" and result.score < UNCERTAIN_BELOW


@dataclass(frozen=True, slots=True)
class EngineInfo:
    """What an engine is, for ``GET /api/v1/engines`` and for cache keys (model version)."""

    name: str
    version: str
    model_id: str


@runtime_checkable
class Engine(Protocol):
    """A translator; engines are interchangeable behind TranslationService."""

    name: str

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[Result]:
        """Translate each segment; the output list is as long as the input list."""
        ...

    def languages(self) -> list[tuple[str, str]]:
        """The (source, target) pairs this engine can translate."""
        ...

    def info(self) -> EngineInfo:
        """Name, version and model id."""
        ...


@dataclass(frozen=True, slots=True)
class ServedModel:
    """A neural model as ``/api/v1/engines`` and ``kreyol model list`` show it."""

    name: str
    family: str
    license: str
    commercial_use: bool
    size_bytes: int
    directions: tuple[tuple[str, str], ...]


@runtime_checkable
class RunsModels(Protocol):
    """An engine that can say which models it runs, and for which directions."""

    def served_models(self) -> list[ServedModel]:
        """Each model with the directions it serves."""
        ...
