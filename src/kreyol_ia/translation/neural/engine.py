"""One installed model as an engine: NLLB-200/M2M100 (every direction) or OPUS-MT (its own)."""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path

import ctranslate2
import sentencepiece as spm

from kreyol_ia.translation.engine import EngineInfo, Result
from kreyol_ia.translation.languages import SUPPORTED_PAIRS, describe_pairs
from kreyol_ia.translation.neural.chunking import split_pieces
from kreyol_ia.translation.neural.loading import (
    MARIAN,
    LoadedModel,
    ModelError,
    is_model_dir,
    load_model,
)

MAX_DECODING_LENGTH = 1000
"""Longest output the engine may ask for: the models have 1024 positions, CTranslate2 fails past."""

_TARGET_GROWTH = 1.5
"""Targets run up to about 1.5× the source in pieces: source chunks leave the decoder that room."""

_EOS = "</s>"
Direction = tuple[str, str]


class NeuralEngine:
    """Translate with one installed CTranslate2 model (int8 on CPU by default).

    Segments longer than ``max_decoding_length / 1.5`` pieces (at most 666, within the models'
    1024 positions) are split into chunks (see ``split_pieces``), translated separately and
    joined with a space, so no text is silently dropped or truncated. An OPUS-MT model serves
    the one direction given as ``directions``; NLLB-200 and M2M100 serve every service direction.
    """

    name = "neural"

    def __init__(
        self,
        model_dir: Path,
        *,
        directions: Sequence[Direction] | None = None,
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
        self._directions = _directions(self._model, model_dir, directions)
        self._translator = self._model.translator
        self._beam_size = beam_size
        self._max_decoding_length = max_decoding_length
        self._max_batch_tokens = max_batch_tokens
        self._chunk_pieces = max(1, int(max_decoding_length / _TARGET_GROWTH))

    @property
    def translator(self) -> ctranslate2.Translator:
        """The process-wide CTranslate2 translator behind this engine."""
        return self._model.translator

    @property
    def tokenizer(self) -> spm.SentencePieceProcessor:
        """The process-wide source sentencepiece (the only one of NLLB-200 and M2M100)."""
        return self._model.source_tokenizer

    is_model_dir = staticmethod(is_model_dir)

    @property
    def family(self) -> str:
        """``nllb``, ``m2m100`` or ``marian``, detected from the files."""
        return self._model.family

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[Result]:
        """One Result per segment; blank segments are returned unchanged without the model."""
        if (source, target) not in self._directions:
            served = describe_pairs() if self._model.codes else _named(self._directions)
            raise ValueError(f"unsupported language pair {source}→{target}; supported: {served}")
        owners, batch = self._encode(segments, source)
        target_code = self._model.codes.get(target)
        outputs = (
            self._translator.translate_batch(
                batch,
                target_prefix=[[target_code]] * len(batch) if target_code else None,
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

    def _encode(self, segments: Sequence[str], source: str) -> tuple[list[int], list[list[str]]]:
        """Source pieces per chunk (language token and ``</s>`` where the model wants them)."""
        tokenizer = self._model.source_tokenizer
        source_code = self._model.codes.get(source)
        prefix = [source_code] if source_code else []
        suffix = [] if self._model.add_source_eos else [_EOS]
        owners: list[int] = []
        batch: list[list[str]] = []
        for index, segment in enumerate(segments):
            if not segment.strip():
                continue
            pieces = tokenizer.encode(segment, out_type=str)
            for chunk in split_pieces(pieces, self._chunk_pieces):
                owners.append(index)
                batch.append([*prefix, *chunk, *suffix])
        return owners, batch

    def _detokenize(self, hypothesis: Sequence[str], target_code: str | None) -> str:
        """Drop the forced language token and anything sentencepiece does not know, then decode."""
        tokenizer = self._model.target_tokenizer
        forced = target_code is not None and hypothesis and hypothesis[0] == target_code
        tokens = hypothesis[1:] if forced else hypothesis
        unknown = tokenizer.unk_id()
        pieces = [piece for piece in tokens if tokenizer.piece_to_id(piece) != unknown]
        return tokenizer.decode_pieces(pieces)

    def languages(self) -> list[tuple[str, str]]:
        """The directions this model serves."""
        return list(self._directions)

    def info(self) -> EngineInfo:
        """CTranslate2 version and a model id that changes when the model files change."""
        return EngineInfo(
            name=self.name, version=ctranslate2.__version__, model_id=self._model.model_id
        )


def _directions(
    model: LoadedModel, model_dir: Path, given: Sequence[Direction] | None
) -> tuple[Direction, ...]:
    """Every service direction for a multilingual model; the given one(s) for Marian."""
    if model.family != MARIAN:
        wanted = tuple(given) if given else tuple(SUPPORTED_PAIRS)
    elif not given:
        raise ModelError(
            f"{model_dir} is an OPUS-MT model and its files do not say which direction it "
            "translates: install it with `kreyol model install`, which records it"
        )
    else:
        wanted = tuple(given)
    unknown = [pair for pair in wanted if pair not in SUPPORTED_PAIRS]
    if unknown:
        raise ModelError(f"{model_dir}: {_named(unknown)} is not a direction this service offers")
    return wanted


def _named(directions: Sequence[Direction]) -> str:
    return ", ".join(f"{source}→{target}" for source, target in directions)


def _score(chunks: Sequence[tuple[float, int]]) -> float:
    """exp of the mean token log-prob (CTranslate2's length-normalised score), chunk-weighted."""
    total = sum(length for _, length in chunks)
    mean = sum(score * length for score, length in chunks) / total
    return min(1.0, max(math.exp(mean), sys.float_info.min))
