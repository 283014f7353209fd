"""Builds a tiny CTranslate2 translation model and sentencepiece model on disk, at test time.

The weights are random (fixed seed), so translations are gibberish, but every file is in the
format a converted M2M100 or NLLB-200 model uses: the engine's real load, tokenise, translate and
detokenise code runs with no download.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Literal

import numpy as np
import sentencepiece as spm
from ctranslate2.specs import common_spec, transformer_spec

Family = Literal["nllb", "m2m100"]

LANGUAGE_TOKENS: dict[Family, tuple[str, ...]] = {
    "nllb": ("eng_Latn", "fra_Latn", "hat_Latn"),
    "m2m100": ("__en__", "__fr__", "__ht__"),
}
SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>")

CORPUS = (
    "Good morning, how are you today?",
    "I am fine, thank you very much.",
    "The school opens at eight in the morning.",
    "Where is the nearest hospital?",
    "We need clean water and food for the children.",
    "The market is closed on Sunday.",
    "Please send me the documents before Friday.",
    "My mother works at the bank downtown.",
    "The rain was heavy last night in the mountains.",
    "Thank you for your help with the application.",
    "Bonjour, comment allez-vous aujourd'hui ?",
    "Je vais bien, merci beaucoup.",
    "L'école ouvre à huit heures du matin.",
    "Où se trouve l'hôpital le plus proche ?",
    "Nous avons besoin d'eau potable et de nourriture pour les enfants.",
    "Le marché est fermé le dimanche.",
    "Veuillez m'envoyer les documents avant vendredi.",
    "Ma mère travaille à la banque au centre-ville.",
    "Il a beaucoup plu la nuit dernière dans les montagnes.",
    "Merci pour votre aide avec la demande.",
    "Bonjou, kijan ou ye jodi a?",
    "Mwen byen, mèsi anpil.",
    "Lekòl la louvri a uit è nan maten.",
    "Ki kote lopital ki pi pre a ye?",
    "Nou bezwen dlo pwòp ak manje pou timoun yo.",
    "Mache a fèmen dimanch.",
    "Tanpri voye dokiman yo ban mwen anvan vandredi.",
    "Manman m travay nan bank lan anba lavil.",
    "Lapli a te tonbe fò yè swa nan mòn yo.",
    "Mèsi pou èd ou ak aplikasyon an.",
    "Timoun yo ale lekòl chak jou.",
    "Gouvènman an pibliye yon nouvo lwa.",
)

SENTENCEPIECE_FILE: dict[Family, str] = {
    "nllb": "sentencepiece.bpe.model",
    "m2m100": "spm.128k.model",
}


def train_sentencepiece(vocab_size: int = 160) -> bytes:
    """A tiny BPE sentencepiece model trained in memory on the trilingual corpus above."""
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS),
        model_writer=buffer,
        model_type="bpe",
        vocab_size=vocab_size,
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
    )
    return buffer.getvalue()


def model_vocabulary(sp_model: bytes, family: Family) -> list[str]:
    """The model vocabulary laid out like fairseq's: specials, sentencepiece pieces, languages."""
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [
        processor.id_to_piece(index)
        for index in range(processor.get_piece_size())
        if not (processor.is_control(index) or processor.is_unknown(index))
    ]
    extra = ["<mask>"] if family == "nllb" else ["madeupword0", "madeupword1"]
    return [*SPECIAL_TOKENS, *pieces, *LANGUAGE_TOKENS[family], *extra]


def _layer_norm(spec: common_spec.LayerNormSpec, d_model: int) -> None:
    spec.gamma = np.ones(d_model, dtype=np.float32)
    spec.beta = np.zeros(d_model, dtype=np.float32)


def _linear(spec: common_spec.LinearSpec, rng: np.random.Generator, out: int, inp: int) -> None:
    spec.weight = rng.normal(0.0, 0.2, size=(out, inp)).astype(np.float32)
    spec.bias = rng.normal(0.0, 0.02, size=out).astype(np.float32)


def _fill_ffn(spec: transformer_spec.FeedForwardSpec, rng: np.random.Generator, d: int) -> None:
    _layer_norm(spec.layer_norm, d)
    _linear(spec.linear_0, rng, 2 * d, d)
    _linear(spec.linear_1, rng, d, 2 * d)


def build_spec(
    vocabulary: list[str],
    *,
    d_model: int = 32,
    num_layers: int = 1,
    num_heads: int = 2,
    max_positions: int = 1024,
    seed: int = 1234,
) -> transformer_spec.TransformerSpec:
    """An M2M100-shaped (pre-norm, ReLU) Transformer spec filled with small random weights."""
    rng = np.random.default_rng(seed)
    size = len(vocabulary)
    spec = transformer_spec.TransformerSpec.from_config(
        num_layers, num_heads, pre_norm=True, activation=common_spec.Activation.RELU
    )
    for stack in (spec.encoder, spec.decoder):
        stack.scale_embeddings = float(np.sqrt(d_model))
        stack.position_encodings.encodings = rng.normal(
            0.0, 0.1, size=(max_positions, d_model)
        ).astype(np.float32)
        _layer_norm(stack.layer_norm, d_model)
    spec.encoder.embeddings[0].weight = rng.normal(0.0, 0.2, size=(size, d_model)).astype(
        np.float32
    )
    spec.decoder.embeddings.weight = rng.normal(0.0, 0.2, size=(size, d_model)).astype(np.float32)
    _linear(spec.decoder.projection, rng, size, d_model)
    for layer in spec.encoder.layer:
        _layer_norm(layer.self_attention.layer_norm, d_model)
        _linear(layer.self_attention.linear[0], rng, 3 * d_model, d_model)
        _linear(layer.self_attention.linear[1], rng, d_model, d_model)
        _fill_ffn(layer.ffn, rng, d_model)
    for layer in spec.decoder.layer:
        _layer_norm(layer.self_attention.layer_norm, d_model)
        _linear(layer.self_attention.linear[0], rng, 3 * d_model, d_model)
        _linear(layer.self_attention.linear[1], rng, d_model, d_model)
        _layer_norm(layer.attention.layer_norm, d_model)
        _linear(layer.attention.linear[0], rng, d_model, d_model)
        _linear(layer.attention.linear[1], rng, 2 * d_model, d_model)
        _linear(layer.attention.linear[2], rng, d_model, d_model)
        _fill_ffn(layer.ffn, rng, d_model)
    spec.config.bos_token = "<s>"
    spec.config.eos_token = "</s>"
    spec.config.unk_token = "<unk>"
    spec.config.decoder_start_token = "</s>"
    spec.config.layer_norm_epsilon = 1e-5
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    return spec


def build_tiny_model(
    out_dir: Path,
    family: Family,
    *,
    seed: int = 1234,
    quantization: str = "int8",
    text_vocabulary: bool = False,
) -> Path:
    """Write a tiny converted model to ``out_dir`` (created), as an operator would install it.

    ``text_vocabulary`` writes ``shared_vocabulary.txt`` instead of ``.json`` (older converters).
    """
    sp_model = train_sentencepiece()
    vocabulary = model_vocabulary(sp_model, family)
    spec = build_spec(vocabulary, seed=seed)
    spec.validate()
    spec.optimize(quantization=quantization)
    out_dir.mkdir(parents=True, exist_ok=False)
    spec.save(str(out_dir))
    if text_vocabulary:
        json_path = out_dir / "shared_vocabulary.json"
        tokens = json.loads(json_path.read_text(encoding="utf-8"))
        (out_dir / "shared_vocabulary.txt").write_text("\n".join(tokens) + "\n", encoding="utf-8")
        json_path.unlink()
    (out_dir / SENTENCEPIECE_FILE[family]).write_bytes(sp_model)
    return out_dir


def build_tiny_hf_checkpoint(out_dir: Path, family: Family, *, seed: int = 1234) -> Path:
    """Save a tiny random ``M2M100ForConditionalGeneration`` and its tokenizer, as the Hub would.

    Needs the ``convert`` extra (transformers, torch, protobuf); imported here, lazily.
    """
    import torch
    import transformers

    out_dir.mkdir(parents=True, exist_ok=False)
    sp_path = out_dir / "sentencepiece.bpe.model"
    sp_path.write_bytes(train_sentencepiece())
    if family == "nllb":
        tokenizer = transformers.NllbTokenizer.from_pretrained(str(out_dir))
        tokenizer.add_tokens(list(LANGUAGE_TOKENS["nllb"]), special_tokens=True)
        tokenizer.save_pretrained(out_dir)
        vocab_size = len(tokenizer.get_vocab())
    else:
        _write_m2m100_tokenizer(out_dir, sp_path.read_bytes())
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(out_dir))
        vocab_size = len(tokenizer.get_vocab()) + tokenizer.num_madeup_words
    config = transformers.M2M100Config(
        vocab_size=vocab_size,
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=1024,
        scale_embedding=True,
        bos_token_id=0,
        pad_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    torch.manual_seed(seed)
    transformers.M2M100ForConditionalGeneration(config).save_pretrained(out_dir)
    return out_dir


def _write_m2m100_tokenizer(out_dir: Path, sp_model: bytes) -> None:
    """vocab.json, tokenizer_config.json and special_tokens_map.json laid out as on the Hub."""
    vocabulary = model_vocabulary(sp_model, "m2m100")
    base = [token for token in vocabulary if not token.startswith(("__", "madeupword"))]
    (out_dir / "vocab.json").write_text(json.dumps({token: i for i, token in enumerate(base)}))
    specials = {
        "bos_token": "<s>",
        "eos_token": "</s>",
        "sep_token": "</s>",
        "pad_token": "<pad>",
        "unk_token": "<unk>",
        "additional_special_tokens": list(LANGUAGE_TOKENS["m2m100"]),
    }
    (out_dir / "special_tokens_map.json").write_text(json.dumps(specials))
    config = {
        **specials,
        "tokenizer_class": "M2M100Tokenizer",
        "language_codes": "m2m100",
        "num_madeup_words": 8,
        "model_max_length": 1024,
    }
    (out_dir / "tokenizer_config.json").write_text(json.dumps(config))
