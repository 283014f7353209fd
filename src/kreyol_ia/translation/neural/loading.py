"""A converted CTranslate2 model directory, checked and loaded once per process.

Three families: NLLB-200 and M2M100 (one shared sentencepiece, language tokens, every service
direction) and Marian/OPUS-MT (a source and a target sentencepiece, no language tokens, one
direction, which the caller says: the files do not).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import sentencepiece as spm

from kreyol_ia.translation.languages import M2M100_CODES, NLLB_CODES

logger = logging.getLogger(__name__)

MARIAN = "marian"
_PREFERRED_SENTENCEPIECE = ("sentencepiece.bpe.model", "sentencepiece.model", "spm.128k.model")
_MARIAN_SENTENCEPIECE = ("source.spm", "target.spm")
_VOCABULARY_FILES = (
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "source_vocabulary.json",
    "source_vocabulary.txt",
    "target_vocabulary.json",
    "target_vocabulary.txt",
)
_FAMILIES: dict[str, Mapping[str, str]] = {"nllb": NLLB_CODES, "m2m100": M2M100_CODES}


class ModelError(RuntimeError):
    """The model directory is missing, incomplete, or holds a model this engine cannot drive."""


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """One translator and its tokenizers per process, shared by every engine on the same files.

    ``codes`` maps service languages to the model's language tokens (empty for Marian);
    ``add_source_eos``: CTranslate2 appends ``</s>`` itself (models converted from Marian's own
    files), else the engine does.
    """

    translator: ctranslate2.Translator
    source_tokenizer: spm.SentencePieceProcessor
    target_tokenizer: spm.SentencePieceProcessor
    family: str
    codes: Mapping[str, str]
    model_id: str
    add_source_eos: bool


_CacheKey = tuple[Path, str, str, int, int]
_CACHE: dict[_CacheKey, LoadedModel] = {}
_CACHE_LOCK = threading.Lock()


def is_model_dir(path: Path) -> bool:
    """Cheap check (no loading) that ``path`` looks like an installed model directory."""
    path = Path(path)
    return (
        (path / "model.bin").is_file()
        and (path / "config.json").is_file()
        and any((path / name).is_file() for name in _VOCABULARY_FILES)
        and bool(sentencepiece_files(path))
    )


def load_model(
    model_dir: Path,
    *,
    device: str = "cpu",
    compute_type: str = "int8",
    inter_threads: int = 1,
    intra_threads: int = 0,
) -> LoadedModel:
    """Load the model once per process and settings; later calls return the same objects."""
    resolved = Path(model_dir).expanduser().resolve()
    key = (resolved, device, compute_type, inter_threads, intra_threads)
    with _CACHE_LOCK:
        loaded = _CACHE.get(key)
        if loaded is None:
            loaded = _load(resolved, device, compute_type, inter_threads, intra_threads)
            _CACHE[key] = loaded
        return loaded


def clear_model_cache() -> None:
    """Forget loaded models (after the operator replaces the files, and between tests)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _load(
    model_dir: Path, device: str, compute_type: str, inter_threads: int, intra_threads: int
) -> LoadedModel:
    """Validate the directory, detect the family, then load CTranslate2 and sentencepiece."""
    for required in ("model.bin", "config.json"):
        if not (model_dir / required).is_file():
            raise ModelError(
                f"{model_dir} is not a CTranslate2 model directory ({required} is missing); "
                "install one with `kreyol model install NAME` or `kreyol model install --from DIR`"
            )
    vocabularies = _vocabulary_paths(model_dir)
    sp_paths = sentencepiece_files(model_dir)
    if not sp_paths:
        raise ModelError(
            f"{model_dir} has no sentencepiece model (sentencepiece.bpe.model, or source.spm "
            "and target.spm for an OPUS-MT model)"
        )
    family, codes = _detect_family(model_dir, vocabularies)
    effective_type = _resolve_compute_type(device, compute_type)
    started = time.perf_counter()
    try:
        translator = ctranslate2.Translator(
            str(model_dir),
            device=device,
            compute_type=effective_type,
            inter_threads=inter_threads,
            intra_threads=intra_threads,
        )
        tokenizers = [spm.SentencePieceProcessor(model_file=str(path)) for path in sp_paths]
    except (RuntimeError, ValueError, OSError) as exc:
        raise ModelError(f"cannot load the model in {model_dir}: {exc}") from exc
    logger.info(
        "neural model loaded: %s (%s, %s, %s) in %.1fs",
        model_dir.name,
        family,
        device,
        translator.compute_type,
        time.perf_counter() - started,
    )
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    return LoadedModel(
        translator=translator,
        source_tokenizer=tokenizers[0],
        target_tokenizer=tokenizers[-1],
        family=family,
        codes=codes,
        model_id=_model_id(model_dir, [*vocabularies, *sp_paths]),
        add_source_eos=bool(config.get("add_source_eos", False)),
    )


def sentencepiece_files(model_dir: Path) -> list[Path]:
    """[shared] for NLLB/M2M100 (known names first, else a single ``*.model``) or [source,
    target] for Marian; empty when there is none."""
    marian = [model_dir / name for name in _MARIAN_SENTENCEPIECE]
    if all(path.is_file() for path in marian):
        return marian
    for name in _PREFERRED_SENTENCEPIECE:
        if (model_dir / name).is_file():
            return [model_dir / name]
    found = sorted(path for path in model_dir.glob("*.model") if path.is_file())
    return found[:1]


def _vocabulary_paths(model_dir: Path) -> list[Path]:
    """The CTranslate2 vocabulary files present (shared, or source and target)."""
    found = [model_dir / name for name in _VOCABULARY_FILES if (model_dir / name).is_file()]
    if not found:
        raise ModelError(f"{model_dir} has no shared_vocabulary.json/.txt or source/target one")
    return found


def detect_family(model_dir: Path) -> str:
    """``nllb``, ``m2m100`` or ``marian`` for a converted model directory; else ModelError."""
    model_dir = Path(model_dir)
    return _detect_family(model_dir, _vocabulary_paths(model_dir))[0]


def _read_vocabulary(path: Path) -> set[str]:
    """Tokens of a CTranslate2 vocabulary file, JSON list or one token per line."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return set(json.loads(text))
    return set(text.splitlines())


def _detect_family(model_dir: Path, vocabularies: Sequence[Path]) -> tuple[str, Mapping[str, str]]:
    """NLLB if the vocabulary has ``hat_Latn``, M2M100 if ``__ht__`` (all codes must be there),
    Marian if it has neither but a source and a target sentencepiece."""
    tokens = [_read_vocabulary(path) for path in vocabularies]
    if NLLB_CODES["ht"] in tokens[0]:
        family = "nllb"
    elif M2M100_CODES["ht"] in tokens[0]:
        family = "m2m100"
    elif len(sentencepiece_files(model_dir)) == 2:
        return MARIAN, {}
    else:
        raise ModelError(
            f"{vocabularies[0]} has neither {NLLB_CODES['ht']!r} (NLLB-200) nor "
            f"{M2M100_CODES['ht']!r} (M2M100), and the directory has no source.spm and "
            "target.spm (OPUS-MT): this model cannot translate Haitian Creole"
        )
    codes = _FAMILIES[family]
    for path, vocabulary in zip(vocabularies, tokens, strict=True):
        missing = sorted(code for code in codes.values() if code not in vocabulary)
        if missing:
            raise ModelError(f"{path} lacks the language tokens {', '.join(missing)}")
    return family, codes


def _resolve_compute_type(device: str, compute_type: str) -> str:
    """Keep the requested type when the device supports it, else warn and use ``default``."""
    try:
        supported = ctranslate2.get_supported_compute_types(device)
    except (RuntimeError, ValueError) as exc:
        raise ModelError(f"device {device!r} is not usable by CTranslate2: {exc}") from exc
    if compute_type in {"default", "auto"} or compute_type in supported:
        return compute_type
    logger.warning(
        "compute type %s is not supported on %s (supported: %s); using the default",
        compute_type,
        device,
        ", ".join(sorted(supported)),
    )
    return "default"


def _model_id(model_dir: Path, files: Sequence[Path]) -> str:
    """Directory name plus a hash of every model file, so cached translations follow the model.

    Hashing the weights costs about 0.4 s per GB (SHA-256), once per process.
    """
    digest = hashlib.sha256()
    for path in (model_dir / "config.json", model_dir / "model.bin", *files):
        digest.update(path.name.encode())
        with path.open("rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return f"{model_dir.name}-{digest.hexdigest()[:12]}"
