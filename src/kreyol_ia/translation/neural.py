"""Neural engine: an M2M100 or NLLB-200 model converted to CTranslate2, plus its sentencepiece.

The operator installs the model directory (see ``docs/MODELS.md``); nothing is downloaded here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import sentencepiece as spm

from kreyol_ia.translation.engine import EngineInfo, Result
from kreyol_ia.translation.languages import (
    M2M100_CODES,
    NLLB_CODES,
    SUPPORTED_PAIRS,
    describe_pairs,
    is_supported,
)

logger = logging.getLogger(__name__)

MAX_DECODING_LENGTH = 1000
"""Longest output the engine may ask for: the models have 1024 positions, CTranslate2 fails past."""

_TARGET_GROWTH = 1.5
"""Targets run up to about 1.5× the source in pieces: source chunks leave the decoder that room."""

_EOS = "</s>"
_PREFERRED_SENTENCEPIECE = ("sentencepiece.bpe.model", "sentencepiece.model", "spm.128k.model")
_VOCABULARY_FILES = (
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "source_vocabulary.json",
    "source_vocabulary.txt",
    "target_vocabulary.json",
    "target_vocabulary.txt",
)
_FAMILIES: dict[str, Mapping[str, str]] = {"nllb": NLLB_CODES, "m2m100": M2M100_CODES}
_BREAK_AFTER = (".", "!", "?", ";", ":", ",")
_WORD_START = "▁"


class ModelError(RuntimeError):
    """The model directory is missing, incomplete, or holds a model this engine cannot drive."""


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """One translator and tokenizer per process, shared by every engine built on the same files."""

    translator: ctranslate2.Translator
    tokenizer: spm.SentencePieceProcessor
    family: str
    codes: Mapping[str, str]
    model_id: str


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
        and _find_sentencepiece(path) is not None
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
                "convert a Hugging Face model with `kreyol model convert HF_DIR OUT`"
            )
    vocabularies = _vocabulary_paths(model_dir)
    sp_path = _find_sentencepiece(model_dir)
    if sp_path is None:
        raise ModelError(
            f"{model_dir} has no sentencepiece model (*.model, e.g. sentencepiece.bpe.model)"
        )
    family, codes = _detect_family(vocabularies)
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
        tokenizer = spm.SentencePieceProcessor(model_file=str(sp_path))
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
    return LoadedModel(
        translator=translator,
        tokenizer=tokenizer,
        family=family,
        codes=codes,
        model_id=_model_id(model_dir, [*vocabularies, sp_path]),
    )


def _find_sentencepiece(model_dir: Path) -> Path | None:
    """The known file names first (NLLB, then M2M100 ones), else any single ``*.model``."""
    for name in _PREFERRED_SENTENCEPIECE:
        if (model_dir / name).is_file():
            return model_dir / name
    found = sorted(path for path in model_dir.glob("*.model") if path.is_file())
    return found[0] if found else None


def _vocabulary_paths(model_dir: Path) -> list[Path]:
    """The CTranslate2 vocabulary files present (shared, or source and target)."""
    found = [model_dir / name for name in _VOCABULARY_FILES if (model_dir / name).is_file()]
    if not found:
        raise ModelError(f"{model_dir} has no shared_vocabulary.json/.txt or source/target one")
    return found


def detect_family(model_dir: Path) -> str:
    """``nllb`` or ``m2m100`` for a converted model directory; ModelError for anything else."""
    return _detect_family(_vocabulary_paths(Path(model_dir)))[0]


def _read_vocabulary(path: Path) -> set[str]:
    """Tokens of a CTranslate2 vocabulary file, JSON list or one token per line."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return set(json.loads(text))
    return set(text.splitlines())


def _detect_family(vocabularies: Sequence[Path]) -> tuple[str, Mapping[str, str]]:
    """NLLB if the vocabulary has ``hat_Latn``, M2M100 if ``__ht__``; all codes must be there."""
    tokens = [_read_vocabulary(path) for path in vocabularies]
    if NLLB_CODES["ht"] in tokens[0]:
        family = "nllb"
    elif M2M100_CODES["ht"] in tokens[0]:
        family = "m2m100"
    else:
        raise ModelError(
            f"{vocabularies[0]} has neither {NLLB_CODES['ht']!r} (NLLB-200) nor "
            f"{M2M100_CODES['ht']!r} (M2M100): this model cannot translate Haitian Creole"
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


def split_pieces(pieces: Sequence[str], limit: int) -> list[list[str]]:
    """Split an over-long segment into chunks of at most ``limit`` pieces, none dropped.

    Cuts after punctuation in the chunk's second half, else at a word start, else hard.
    """
    chunks: list[list[str]] = []
    start = 0
    while len(pieces) - start > limit:
        end = _cut_point(pieces, start, limit)
        chunks.append(list(pieces[start:end]))
        start = end
    chunks.append(list(pieces[start:]))
    return chunks


def _cut_point(pieces: Sequence[str], start: int, limit: int) -> int:
    """Index of the first piece of the next chunk."""
    hard = start + limit
    floor = start + max(1, limit // 2)
    candidates = range(hard, floor - 1, -1)
    for index in candidates:
        if pieces[index].startswith(_WORD_START) and pieces[index - 1].endswith(_BREAK_AFTER):
            return index
    for index in candidates:
        if pieces[index].startswith(_WORD_START):
            return index
    return hard


class NeuralEngine:
    """Translate with an installed M2M100/NLLB-200 CTranslate2 model (int8 on CPU by default).

    Segments longer than ``max_decoding_length / 1.5`` pieces (at most 666, within the models'
    1024 positions) are split into chunks (see ``split_pieces``), translated separately and
    joined with a space, so no text is silently dropped or truncated.
    """

    name = "neural"

    def __init__(
        self,
        model_dir: Path,
        *,
        device: str = "cpu",
        compute_type: str = "int8",
        beam_size: int = 4,
        max_decoding_length: int = 256,
        max_batch_tokens: int = 2048,
        inter_threads: int = 1,
        intra_threads: int = 0,
    ) -> None:
        for label, value in (
            ("beam_size", beam_size),
            ("max_decoding_length", max_decoding_length),
            ("max_batch_tokens", max_batch_tokens),
            ("inter_threads", inter_threads),
        ):
            if value < 1:
                raise ValueError(f"{label} must be at least 1, got {value}")
        if max_decoding_length > MAX_DECODING_LENGTH:
            raise ValueError(
                f"max_decoding_length must be at most {MAX_DECODING_LENGTH} "
                f"(the models have 1024 positions), got {max_decoding_length}"
            )
        if intra_threads < 0:
            raise ValueError(f"intra_threads must be 0 (automatic) or more, got {intra_threads}")
        self._model = load_model(
            Path(model_dir),
            device=device,
            compute_type=compute_type,
            inter_threads=inter_threads,
            intra_threads=intra_threads,
        )
        self._translator = self._model.translator
        self._beam_size = beam_size
        self._max_decoding_length = max_decoding_length
        self._max_batch_tokens = max_batch_tokens
        self._chunk_pieces = max(1, int(max_decoding_length / _TARGET_GROWTH))

    is_model_dir = staticmethod(is_model_dir)

    @property
    def translator(self) -> ctranslate2.Translator:
        """The process-wide CTranslate2 translator behind this engine."""
        return self._model.translator

    @property
    def tokenizer(self) -> spm.SentencePieceProcessor:
        """The process-wide sentencepiece processor behind this engine."""
        return self._model.tokenizer

    @property
    def family(self) -> str:
        """``nllb`` or ``m2m100``, detected from the vocabulary."""
        return self._model.family

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[Result]:
        """One Result per segment; blank segments are returned unchanged without the model."""
        if not is_supported(source, target):
            raise ValueError(
                f"unsupported language pair {source}→{target}; supported: {describe_pairs()}"
            )
        tokenizer = self._model.tokenizer
        source_code = self._model.codes[source]
        target_code = self._model.codes[target]
        owners: list[int] = []
        batch: list[list[str]] = []
        for index, segment in enumerate(segments):
            if not segment.strip():
                continue
            pieces = tokenizer.encode(segment, out_type=str)
            for chunk in split_pieces(pieces, self._chunk_pieces):
                owners.append(index)
                batch.append([source_code, *chunk, _EOS])
        outputs = (
            self._translator.translate_batch(
                batch,
                target_prefix=[[target_code]] * len(batch),
                max_batch_size=self._max_batch_tokens,
                batch_type="tokens",
                beam_size=self._beam_size,
                max_decoding_length=self._max_decoding_length,
                return_scores=True,
            )
            if batch
            else []
        )
        texts: dict[int, list[str]] = {}
        weighted: dict[int, list[tuple[float, int]]] = {}
        for index, output in zip(owners, outputs, strict=True):
            hypothesis = output.hypotheses[0]
            texts.setdefault(index, []).append(self._detokenize(hypothesis, target_code))
            weighted.setdefault(index, []).append((output.scores[0], max(1, len(hypothesis))))
        results: list[Result] = []
        for index, segment in enumerate(segments):
            if index not in texts:
                results.append(Result(segment, engine=self.name, match="passthrough", score=1.0))
                continue
            text = " ".join(part for part in texts[index] if part)
            results.append(
                Result(text, engine=self.name, match="neural", score=_score(weighted[index]))
            )
        return results

    def _detokenize(self, hypothesis: Sequence[str], target_code: str) -> str:
        """Drop the forced language token and anything sentencepiece does not know, then decode."""
        tokenizer = self._model.tokenizer
        tokens = hypothesis[1:] if hypothesis and hypothesis[0] == target_code else hypothesis
        unknown = tokenizer.unk_id()
        pieces = [piece for piece in tokens if tokenizer.piece_to_id(piece) != unknown]
        return tokenizer.decode_pieces(pieces)

    def languages(self) -> list[tuple[str, str]]:
        """The four service directions: both model families cover them all."""
        return list(SUPPORTED_PAIRS)

    def info(self) -> EngineInfo:
        """CTranslate2 version and a model id that changes when the model files change."""
        return EngineInfo(
            name=self.name, version=ctranslate2.__version__, model_id=self._model.model_id
        )


def _score(chunks: Sequence[tuple[float, int]]) -> float:
    """exp of the mean token log-prob (CTranslate2's length-normalised score), chunk-weighted."""
    total = sum(length for _, length in chunks)
    mean = sum(score * length for score, length in chunks) / total
    return min(1.0, max(math.exp(mean), sys.float_info.min))
