"""TranslationService: detect, segment, consult the cache, translate, enforce glossaries, rejoin."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from kreyol_ia.metrics import observe_translations
from kreyol_ia.translation import glossary
from kreyol_ia.translation.detect import Detection, detect_language
from kreyol_ia.translation.engine import Engine, EngineInfo, Result, is_uncertain
from kreyol_ia.translation.languages import SUPPORTED_PAIRS, describe_pairs, is_supported
from kreyol_ia.translation.memory_store import MemoryStore
from kreyol_ia.translation.normalize import normalize_segment
from kreyol_ia.translation.phrasebook.engine import PhrasebookEngine
from kreyol_ia.translation.phrasebook.lexicon import Entry, builtin_lexicon
from kreyol_ia.translation.segment import segment
from kreyol_ia.translation.term_injection import inject, kept


class TranslationError(ValueError):
    """A request the service cannot honour, with a stable code for the API."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class SegmentCache(Protocol):
    """What the service needs from a cache; keys must include the engine's model version."""

    def get_segment(self, text: str, source: str, target: str, engine: EngineInfo) -> Result | None:
        """A stored result for this normalised segment, or None."""
        ...

    def set_segment(
        self, text: str, source: str, target: str, engine: EngineInfo, result: Result
    ) -> None:
        """Remember a result."""
        ...


@dataclass(frozen=True, slots=True)
class SegmentOutcome:
    """One sentence: what was sent, what came back, and whether the cache answered.

    ``cached`` is for logs and tests only: the cache is shared, so the API never shows it.
    """

    source: str
    result: Result
    cached: bool = False
    glossary_terms: tuple[str, ...] = ()


@dataclass
class TextOutcome:
    """One input text, translated, with everything a caller may want to show or audit."""

    text: str
    source: str
    target: str
    engine: str
    detection: Detection | None = None
    segments: list[SegmentOutcome] = field(default_factory=list)

    @property
    def matches(self) -> dict[str, int]:
        return dict(Counter(s.result.match for s in self.segments))

    @property
    def unknown_words(self) -> list[str]:
        return list(dict.fromkeys(w for s in self.segments for w in s.result.unknown))

    @property
    def guessed_words(self) -> list[str]:
        return list(dict.fromkeys(w for s in self.segments for w in s.result.guessed))

    @property
    def uncertain_sentences(self) -> list[str]:
        """Source sentences the model translated with low confidence (see ``is_uncertain``)."""
        return [s.source for s in self.segments if is_uncertain(s.result)]


class TranslationService:
    """The one entry point the API, CLI and document jobs use to translate text."""

    def __init__(
        self,
        engines: dict[str, Engine],
        memory: MemoryStore | None = None,
        cache: SegmentCache | None = None,
        max_segment_chars: int = 400,
    ):
        if "phrasebook" not in engines:
            raise ValueError("the phrasebook engine is always available and must be registered")
        if max_segment_chars < 1:
            raise ValueError("max_segment_chars must be at least 1")
        self.engines = engines
        self.memory = memory
        self.cache = cache
        self.max_segment_chars = max_segment_chars

    def engine_names(self) -> list[str]:
        """Engines usable now, the automatic choice first."""
        return sorted(self.engines, key=lambda name: name != self.default_engine())

    def default_engine(self) -> str:
        """Neural when a model is installed, the phrasebook otherwise."""
        return "neural" if "neural" in self.engines else "phrasebook"

    def pick(self, name: str | None) -> Engine:
        """The engine for a request; a clear error for unknown or absent engines."""
        name = name or "auto"
        if name == "auto":
            return self.engines[self.default_engine()]
        if name not in {"phrasebook", "neural"}:
            raise TranslationError(
                "unknown_engine", f"Unknown engine {name!r}; use auto, phrasebook or neural."
            )
        if name not in self.engines:
            raise TranslationError(
                "engine_unavailable",
                f"The {name} engine is not installed on this server (see docs/MODELS.md).",
            )
        return self.engines[name]

    def detect(self, text: str) -> Detection:
        """Language of a text, among en, fr and ht."""
        return detect_language(text)

    def translate(
        self,
        texts: Sequence[str],
        source: str,
        target: str,
        engine: str | None = None,
        *,
        use_cache: bool = True,
        terms: Sequence[Entry] = (),
    ) -> list[TextOutcome]:
        """Translate each text; ``source`` may be ``auto`` (detected per text).

        ``use_cache=False`` neither reads nor writes the shared cache (for private documents).
        ``terms``: the caller's own glossary for this direction, put into every engine's output
        after the cache (the cache holds what the engine said, shared by every caller).
        """
        chosen = self.pick(engine)
        if target not in {t for _, t in SUPPORTED_PAIRS}:
            raise TranslationError(
                "unsupported_pair",
                f"Unsupported target {target!r}; supported directions: {describe_pairs()}.",
            )
        cache = self.cache if use_cache else None
        auto = engine in {None, "auto"}
        outcomes = [self._one(text, source, target, chosen, auto, cache, terms) for text in texts]
        observe_translations(outcomes)
        return outcomes

    def _one(
        self,
        text: str,
        source: str,
        target: str,
        engine: Engine,
        auto: bool,
        cache: SegmentCache | None,
        terms: Sequence[Entry],
    ) -> TextOutcome:
        detection = None
        if source == "auto":
            detection = self.detect(text)
            source = detection.language
        if source == target:
            return TextOutcome(
                text,
                source,
                target,
                "none",
                detection,
                [SegmentOutcome(text, Result(text, "none", "passthrough", 1.0))],
            )
        if not is_supported(source, target):
            raise TranslationError(
                "unsupported_pair",
                f"Unsupported direction {source}→{target}; "
                f"supported directions: {describe_pairs()}.",
            )
        engine = self._serving(engine, auto, source, target)
        # NFC first: it can lengthen text, and later steps only shorten it, so no sentence
        # handed to an engine is over the limit
        pieces = segment(unicodedata.normalize("NFC", text), self.max_segment_chars)
        sentences = [normalize_segment(p.text, source) for p in pieces if p.translatable]
        translated = (
            self._memory_then_model(sentences, source, target, engine, cache, terms)
            if engine.name != "phrasebook"
            else self._segments(sentences, source, target, engine, cache)
        )
        outcomes = iter(_with_terms(translated, terms, source, target))
        rebuilt = [next(outcomes) if p.translatable else p for p in pieces]
        output = "".join(
            p.result.text if isinstance(p, SegmentOutcome) else p.text for p in rebuilt
        )
        done = [p for p in rebuilt if isinstance(p, SegmentOutcome)]
        return TextOutcome(output, source, target, engine.name, detection, done)

    def _serving(self, engine: Engine, auto: bool, source: str, target: str) -> Engine:
        """``auto`` falls back to the phrasebook for a direction no installed model serves;
        an engine asked for by name that cannot serve the direction is refused."""
        if source == target or (source, target) in engine.languages():
            return engine
        if auto:
            return self.engines["phrasebook"]
        served = ", ".join(f"{s}→{t}" for s, t in engine.languages())
        raise TranslationError(
            "engine_unavailable",
            f"The {engine.name} engine has no model for {source}→{target} here (it serves "
            f"{served}); use engine auto or install one (kreyol model install).",
        )

    def _cache_identity(self, engine: Engine) -> EngineInfo:
        """The engine's identity plus the imported memory's version: an import invalidates."""
        info = engine.info()
        if self.memory is None:
            return info
        return EngineInfo(
            info.name, info.version, f"{info.model_id}+memory:{self.memory.version()}"
        )

    def _memory_then_model(
        self,
        sentences: list[str],
        source: str,
        target: str,
        engine: Engine,
        cache: SegmentCache | None,
        terms: Sequence[Entry],
    ) -> list[SegmentOutcome]:
        """An exact or close memory sentence wins over a model, as in any translator's tool;
        the model gets the others."""
        phrasebook = self.engines["phrasebook"]
        hits: list[Result | None] = (
            phrasebook.memory_matches(sentences, source, target)
            if isinstance(phrasebook, PhrasebookEngine)
            else [None] * len(sentences)
        )
        left = [i for i, hit in enumerate(hits) if hit is None]
        modelled = iter(
            self._with_injected_terms(
                [sentences[i] for i in left], source, target, engine, cache, terms
            )
        )
        return [
            SegmentOutcome(sentence, hit) if hit is not None else next(modelled)
            for sentence, hit in zip(sentences, hits, strict=True)
        ]

    def _with_injected_terms(
        self,
        sentences: list[str],
        source: str,
        target: str,
        engine: Engine,
        cache: SegmentCache | None,
        terms: Sequence[Entry],
    ) -> list[SegmentOutcome]:
        """A model gets the glossary's targets written into its input (``term_injection``); a
        sentence whose output lost one is translated again as it was, for ``enforce`` to fix."""
        everyone = [*terms, *(self.memory.glossary(source, target) if self.memory else [])]
        injected = [inject(sentence, everyone) for sentence in sentences]
        if not any(item.targets for item in injected):
            return self._segments(sentences, source, target, engine, cache)
        first = self._segments([item.text for item in injected], source, target, engine, cache)
        outcomes: list[SegmentOutcome | None] = []
        again: list[int] = []
        for index, (item, outcome) in enumerate(zip(injected, first, strict=True)):
            if item.targets and not kept(item, outcome.result.text):
                again.append(index)
                outcomes.append(None)
                continue
            terms_used = (*outcome.glossary_terms, *item.sources)
            outcomes.append(
                SegmentOutcome(sentences[index], outcome.result, outcome.cached, terms_used)
            )
        retried = self._segments([sentences[i] for i in again], source, target, engine, cache)
        for index, outcome in zip(again, retried, strict=True):
            outcomes[index] = outcome
        return [outcome for outcome in outcomes if outcome is not None]

    def _segments(
        self,
        sentences: list[str],
        source: str,
        target: str,
        engine: Engine,
        cache: SegmentCache | None,
    ) -> list[SegmentOutcome]:
        info = self._cache_identity(engine)
        found: dict[int, Result] = {}
        if cache is not None:
            for index, sentence in enumerate(sentences):
                hit = cache.get_segment(sentence, source, target, info)
                if hit is not None:
                    found[index] = hit
        missing = [i for i in range(len(sentences)) if i not in found]
        fresh = engine.translate([sentences[i] for i in missing], source, target) if missing else []
        terms = self.memory.glossary(source, target) if self.memory is not None else []
        outcomes: list[SegmentOutcome] = []
        fresh_by_index = dict(zip(missing, fresh, strict=True))
        for index, sentence in enumerate(sentences):
            if index in found:
                outcomes.append(SegmentOutcome(sentence, found[index], cached=True))
                continue
            result, applied = fresh_by_index[index], ()
            if terms and result.engine != "phrasebook":
                text, used = glossary.enforce(
                    sentence, result.text, terms, builtin_lexicon(source, target), target
                )
                result = Result(
                    text, result.engine, result.match, result.score, result.unknown, result.guessed
                )
                applied = tuple(used)
            if cache is not None and result.match != "passthrough":
                cache.set_segment(sentence, source, target, info, result)
            outcomes.append(SegmentOutcome(sentence, result, False, applied))
        return outcomes


def _with_terms(
    outcomes: list[SegmentOutcome], terms: Sequence[Entry], source: str, target: str
) -> list[SegmentOutcome]:
    """The caller's glossary terms put into each sentence's translation, whatever its origin."""
    if not terms:
        return outcomes
    builtin = builtin_lexicon(source, target)
    applied = []
    for outcome in outcomes:
        text, used = glossary.enforce(outcome.source, outcome.result.text, terms, builtin, target)
        if not used:
            applied.append(outcome)
            continue
        result = outcome.result
        applied.append(
            SegmentOutcome(
                outcome.source,
                Result(
                    text, result.engine, result.match, result.score, result.unknown, result.guessed
                ),
                outcome.cached,
                (*outcome.glossary_terms, *used),
            )
        )
    return applied
