"""Builds a tiny OPUS-MT (Marian) checkpoint on disk from NumPy weights, at test time.

The files are laid out as an OPUS-MT release ships them (``model.npz`` with Marian's own weight
names and ``special:model.yml``, ``decoder.yml``, a vocabulary ``.yml`` and the source and target
sentencepiece models), so the real conversion (CTranslate2's OPUS-MT converter, no torch), load,
tokenise, translate and detokenise path runs with no download. The weights are random.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import sentencepiece as spm
import yaml

from tests.neural_fixture import train_sentencepiece

MODEL_FILE = "opus.spm.transformer.model1.npz"
VOCABULARY_FILE = "opus.spm.vocab.yml"
MARIAN_CONFIG = {
    "type": "transformer",
    "enc-depth": 1,
    "dec-depth": 1,
    "transformer-heads": 2,
    "transformer-decoder-autoreg": "self-attention",
    "transformer-no-projection": False,
    "transformer-ffn-activation": "swish",
    "transformer-preprocess": "",
    "transformer-postprocess": "dan",
    "transformer-postprocess-emb": "d",
    "transformer-guided-alignment-layer": "last",
}


def vocabulary(sp_model: bytes) -> list[str]:
    """Marian's layout: ``</s>`` and ``<unk>`` first, then the pieces, then ``<pad>``."""
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [
        processor.id_to_piece(index)
        for index in range(processor.get_piece_size())
        if not (processor.is_control(index) or processor.is_unknown(index))
    ]
    return ["</s>", "<unk>", *pieces, "<pad>"]


def _attention(
    weights: dict[str, np.ndarray], rng: np.random.Generator, scope: str, d: int
) -> None:
    for part in ("q", "k", "v", "o"):
        weights[f"{scope}_W{part}"] = rng.normal(0.0, 0.2, size=(d, d)).astype(np.float32)
        weights[f"{scope}_b{part}"] = np.zeros((1, d), dtype=np.float32)
    weights[f"{scope}_Wo_ln_scale"] = np.ones((1, d), dtype=np.float32)
    weights[f"{scope}_Wo_ln_bias"] = np.zeros((1, d), dtype=np.float32)


def _ffn(weights: dict[str, np.ndarray], rng: np.random.Generator, scope: str, d: int) -> None:
    weights[f"{scope}_W1"] = rng.normal(0.0, 0.2, size=(d, 2 * d)).astype(np.float32)
    weights[f"{scope}_b1"] = np.zeros((1, 2 * d), dtype=np.float32)
    weights[f"{scope}_W2"] = rng.normal(0.0, 0.2, size=(2 * d, d)).astype(np.float32)
    weights[f"{scope}_b2"] = np.zeros((1, d), dtype=np.float32)
    weights[f"{scope}_ffn_ln_scale"] = np.ones((1, d), dtype=np.float32)
    weights[f"{scope}_ffn_ln_bias"] = np.zeros((1, d), dtype=np.float32)


def marian_weights(size: int, *, d_model: int = 32, seed: int = 1234) -> dict[str, np.ndarray]:
    """A post-norm, one-layer Marian transformer with tied embeddings, as ``np.savez`` takes it."""
    rng = np.random.default_rng(seed)
    weights: dict[str, np.ndarray] = {
        "Wemb": rng.normal(0.0, 0.2, size=(size, d_model)).astype(np.float32),
        "decoder_ff_logit_out_b": np.zeros((1, size), dtype=np.float32),
    }
    _attention(weights, rng, "encoder_l1_self", d_model)
    _ffn(weights, rng, "encoder_l1_ffn", d_model)
    _attention(weights, rng, "decoder_l1_self", d_model)
    _attention(weights, rng, "decoder_l1_context", d_model)
    _ffn(weights, rng, "decoder_l1_ffn", d_model)
    config = yaml.safe_dump(MARIAN_CONFIG).encode() + b"\0"
    weights["special:model.yml"] = np.frombuffer(config, dtype=np.int8)
    return weights


def build_opus_mt_checkpoint(out_dir: Path, *, seed: int = 1234) -> Path:
    """Write a tiny OPUS-MT release directory to ``out_dir`` (created)."""
    sp_model = train_sentencepiece()
    tokens = vocabulary(sp_model)
    out_dir.mkdir(parents=True, exist_ok=False)
    np.savez(out_dir / MODEL_FILE, **marian_weights(len(tokens), seed=seed))
    lines = [
        f"{json.dumps(token, ensure_ascii=False)}: {index}" for index, token in enumerate(tokens)
    ]
    (out_dir / VOCABULARY_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    decoder = {"models": [MODEL_FILE], "vocabs": [VOCABULARY_FILE, VOCABULARY_FILE]}
    (out_dir / "decoder.yml").write_text(yaml.safe_dump(decoder), encoding="utf-8")
    (out_dir / "source.spm").write_bytes(sp_model)
    (out_dir / "target.spm").write_bytes(sp_model)
    return out_dir
