"""Neural translation with installed CTranslate2 models: loading, chunking, one engine per model
and the router that gives each direction to the best installed model."""

from kreyol_ia.translation.neural.chunking import split_pieces
from kreyol_ia.translation.neural.engine import MAX_DECODING_LENGTH, NeuralEngine
from kreyol_ia.translation.neural.loading import (
    MARIAN,
    LoadedModel,
    ModelError,
    clear_model_cache,
    detect_family,
    is_model_dir,
    load_model,
)

__all__ = [
    "MARIAN",
    "MAX_DECODING_LENGTH",
    "LoadedModel",
    "ModelError",
    "NeuralEngine",
    "clear_model_cache",
    "detect_family",
    "is_model_dir",
    "load_model",
    "split_pieces",
]
