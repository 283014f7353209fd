"""Builds the TranslationService a process uses, from settings: engines, imported memory, cache."""

from __future__ import annotations

import logging

from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager
from kreyol_ia.translation.engine import Engine, ServedModel
from kreyol_ia.translation.memory_store import MemoryStore
from kreyol_ia.translation.phrasebook import PhrasebookEngine
from kreyol_ia.translation.service import SegmentCache, TranslationService

logger = logging.getLogger(__name__)


def build_engines(settings: Settings, memory: MemoryStore | None) -> dict[str, Engine]:
    """The phrasebook always; ``neural`` when an installed model serves some direction."""
    phrasebook = (
        PhrasebookEngine(settings.fuzzy_threshold, memory.entries, learned=memory.learned)
        if memory is not None
        else PhrasebookEngine(settings.fuzzy_threshold)
    )
    engines: dict[str, Engine] = {"phrasebook": phrasebook}
    neural = build_neural(settings)
    if neural is not None:
        engines["neural"] = neural
    return engines


def build_neural(settings: Settings) -> Engine | None:
    """The installed models in preference order; one that fails to load leaves its directions
    to the next. None when no model is installed (nothing neural is imported then)."""
    from kreyol_ia.models.registry import installed_models, ranked

    models = installed_models(settings)
    if not models:
        return None
    from kreyol_ia.translation.neural import ModelError, NeuralEngine
    from kreyol_ia.translation.neural.router import ModelRoute, ModelRouter

    routes: dict[tuple[str, str], ModelRoute] = {}
    for model in ranked(models, settings.model_preference):
        manifest = model.manifest
        wanted = [direction for direction in manifest.directions if direction not in routes]
        if not wanted:
            continue
        try:
            engine = NeuralEngine(
                model.path,
                directions=manifest.directions,
                device=settings.neural_device,
                compute_type=settings.neural_compute_type,
                beam_size=settings.neural_beam_size,
                max_decoding_length=settings.neural_max_decoding_length,
                max_batch_tokens=settings.neural_max_batch_tokens,
                inter_threads=settings.neural_inter_threads,
                intra_threads=settings.neural_intra_threads,
            )
        except ModelError as exc:
            logger.error("the neural model %s could not be loaded: %s", manifest.name, exc)
            continue
        served = ServedModel(
            manifest.name,
            manifest.family,
            manifest.license,
            manifest.commercial_use,
            manifest.size_bytes,
            manifest.directions,
        )
        for direction in wanted:
            routes[direction] = ModelRoute(engine, served)
    return ModelRouter(routes) if routes else None


def build_translation_service(
    settings: Settings, db: DatabaseManager | None, cache: SegmentCache | None = None
) -> TranslationService:
    """Everything wired for one process."""
    memory = MemoryStore(db) if db is not None else None
    return TranslationService(
        build_engines(settings, memory), memory, cache, settings.max_segment_chars
    )
