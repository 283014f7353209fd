"""Builds the TranslationService a process uses, from settings: engines, imported memory, cache."""

from __future__ import annotations

import logging

from kreyol_ia.config import Settings
from kreyol_ia.db import DatabaseManager
from kreyol_ia.translation.engine import Engine
from kreyol_ia.translation.memory_store import MemoryStore
from kreyol_ia.translation.phrasebook import PhrasebookEngine
from kreyol_ia.translation.service import SegmentCache, TranslationService

logger = logging.getLogger(__name__)


def build_engines(settings: Settings, memory: MemoryStore | None) -> dict[str, Engine]:
    """The phrasebook always; the neural engine when ``KREYOL_MODEL_DIR`` holds a model."""
    phrasebook = (
        PhrasebookEngine(settings.fuzzy_threshold, memory.entries, learned=memory.learned)
        if memory is not None
        else PhrasebookEngine(settings.fuzzy_threshold)
    )
    engines: dict[str, Engine] = {"phrasebook": phrasebook}
    if settings.model_dir is not None:
        from kreyol_ia.translation.neural import ModelError, NeuralEngine, is_model_dir

        if not is_model_dir(settings.model_dir):
            logger.warning("KREYOL_MODEL_DIR has no CTranslate2 model; using the phrasebook only")
            return engines
        try:
            engines["neural"] = NeuralEngine(
                settings.model_dir,
                device=settings.neural_device,
                compute_type=settings.neural_compute_type,
                beam_size=settings.neural_beam_size,
                max_decoding_length=settings.neural_max_decoding_length,
                max_batch_tokens=settings.neural_max_batch_tokens,
                inter_threads=settings.neural_inter_threads,
                intra_threads=settings.neural_intra_threads,
            )
        except ModelError as exc:
            logger.error("the neural model could not be loaded: %s", exc)
    return engines


def build_translation_service(
    settings: Settings, db: DatabaseManager | None, cache: SegmentCache | None = None
) -> TranslationService:
    """Everything wired for one process."""
    memory = MemoryStore(db) if db is not None else None
    return TranslationService(
        build_engines(settings, memory), memory, cache, settings.max_segment_chars
    )
