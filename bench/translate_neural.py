"""Benchmark: NeuralEngine (CTranslate2, int8) against transformers (PyTorch, fp32) on CPU.

Both run one randomly initialised model with NLLB-200-distilled-600M's shapes and the *same*
weights, on the same segments, greedy (or beam 2), so the work per segment is comparable.
Random weights say nothing about quality; they measure speed without downloading anything.

    python bench/translate_neural.py [--segments 64] [--threads 2] [--beam 1]
"""

from __future__ import annotations

import argparse
import io
import math
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import ctranslate2
import numpy as np
import sentencepiece as spm
from ctranslate2.specs import common_spec, transformer_spec

from kreyol_ia.translation.languages import NLLB_CODES
from kreyol_ia.translation.neural import NeuralEngine

REAL_NLLB_VOCABULARY = 256_206
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>")
PAD_ID, EOS_ID = 1, 2

SENTENCES = (
    "Good morning, how are you today?",
    "The school opens at eight in the morning.",
    "Where is the nearest hospital?",
    "We need clean water and food for the children.",
    "The market is closed on Sunday.",
    "Please send me the documents before Friday.",
    "My mother works at the bank downtown.",
    "The rain was heavy last night in the mountains.",
    "Thank you for your help with the application.",
    "The clinic gives free vaccines to children under five.",
    "Bring your identity card and a photo to the office.",
    "The bus to Cap-Haïtien leaves at six in the morning.",
    "Wash your hands with soap before you eat.",
    "The teacher asked the students to read two chapters.",
    "How much does a kilo of rice cost at the market?",
    "The road is blocked because of the flood.",
    "Call this number if you have a fever for more than two days.",
    "The meeting will take place in the church hall on Saturday.",
    "Farmers are planting corn and beans this season.",
    "Our office is open from Monday to Friday.",
    "Drink water that has been boiled or treated.",
    "The mayor announced new rules for street vendors.",
    "I would like to open a savings account.",
    "The pharmacy is next to the police station.",
    "Children must be registered before the first day of school.",
    "The storm damaged many houses near the coast.",
    "Please fill in the form with a black pen.",
    "The doctor will see you in twenty minutes.",
    "We are looking for volunteers to distribute food.",
    "The price of fuel went up again this week.",
    "Keep the medicine in a cool and dry place.",
    "The exam results will be published next month.",
    "My brother is learning to repair motorcycles.",
    "The water system in the village was repaired.",
    "Do you speak French or Creole at home?",
    "The court hearing was postponed until next week.",
    "Electricity will be cut tonight from ten to midnight.",
    "She sells mangoes and avocados at the market.",
    "The new school has six classrooms and a library.",
    "Pregnant women can get free checkups at the clinic.",
    "The bridge was rebuilt after the earthquake.",
    "You can pay your bill at any branch.",
    "The fishermen did not go out because of the wind.",
    "Please keep your children away from the river.",
    "The workshop teaches young people to use computers.",
    "Our family moved to Port-au-Prince last year.",
    "The farmers' cooperative bought a new water pump.",
    "Vaccination is free for all children.",
    "The hospital needs blood donors this week.",
    "The government published a new law on land titles.",
    "Turn left after the church and walk two blocks.",
    "The festival starts on Friday evening.",
    "Students must wear their uniform every day.",
    "Cholera spreads through dirty water and food.",
    "The bank will be closed on the national holiday.",
    "I lost my phone on the bus yesterday.",
    "The nurse explained how to take the medicine.",
    "Many families depend on money sent from abroad.",
    "The radio station broadcasts the news in Creole.",
    "The harvest was good this year thanks to the rain.",
    "Please write your name and address clearly.",
    "The children planted trees around the school.",
    "The price of bread has not changed.",
    "The community center offers free literacy classes.",
)


@dataclass(frozen=True, slots=True)
class Shapes:
    """Model dimensions; the defaults are NLLB-200-distilled-600M's, with a smaller vocabulary."""

    d_model: int = 1024
    layers: int = 12
    heads: int = 16
    ffn: int = 4096
    vocabulary: int = 32_000
    positions: int = 1024


@dataclass(frozen=True, slots=True)
class Measurement:
    """Throughput of one system on the benchmark segments, and what it wrote."""

    seconds: float
    texts: list[str]

    @property
    def per_second(self) -> float:
        return len(self.texts) / self.seconds


def train_tokenizer(size: int, seed: int) -> bytes:
    """A BPE sentencepiece model of about ``size`` pieces, so every output token is real text.

    Trained on the benchmark sentences (kept whole-word, ~1.1 pieces a word, like NLLB's English)
    plus random syllable words that fill the rest of the vocabulary.
    """
    rng = np.random.default_rng(seed)
    syllables = [c + v for c in "bcdfghjklmnprstvwyz" for v in "aeiou"]
    words = np.array(["".join(rng.choice(syllables, rng.integers(1, 4))) for _ in range(40_000)])
    filler = [" ".join(rng.choice(words, size=12)) for _ in range(20_000)]
    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter([*filler, *SENTENCES * 50]),
        model_writer=buffer,
        model_type="bpe",
        vocab_size=size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        minloglevel=2,
    )
    return buffer.getvalue()


def vocabulary_for(sp_model: bytes, size: int) -> list[str]:
    """Specials, sentencepiece pieces, the NLLB codes, then filler tokens up to ``size``."""
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    pieces = [
        processor.id_to_piece(i)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]
    tokens = [*SPECIALS, *pieces, *NLLB_CODES.values()]
    return tokens + [f"madeupword{i}" for i in range(size - len(tokens))]


def sinusoids(count: int, dim: int) -> np.ndarray:
    """M2M100's position table (tensor2tensor layout), without its 2-row padding offset."""
    half = dim // 2
    rates = np.exp(np.arange(half, dtype=np.float32) * -(math.log(10000) / (half - 1)))
    angles = np.arange(count + 2, dtype=np.float32)[:, None] * rates[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1)[2:].astype(np.float32)


def random_weights(shapes: Shapes, seed: int) -> dict[str, np.ndarray]:
    """Random weights (std 0.02, like transformers' init) named as in M2M100's state dict.

    The output projection is not tied to the embeddings (NLLB's is): tied random weights make the
    decoder copy its last token forever, untied ones write varied text; the cost is the same.
    """
    rng = np.random.default_rng(seed)
    d, f = shapes.d_model, shapes.ffn
    weights: dict[str, np.ndarray] = {}

    def normal(*shape: int) -> np.ndarray:
        return rng.standard_normal(shape, dtype=np.float32) * np.float32(0.02)

    def linear(name: str, out: int, inp: int) -> None:
        weights[f"{name}.weight"] = normal(out, inp)
        weights[f"{name}.bias"] = np.zeros(out, dtype=np.float32)

    def norm(name: str) -> None:
        weights[f"{name}.weight"] = np.ones(d, dtype=np.float32)
        weights[f"{name}.bias"] = np.zeros(d, dtype=np.float32)

    weights["model.shared.weight"] = normal(shapes.vocabulary, d)
    weights["lm_head.weight"] = normal(shapes.vocabulary, d)
    for stack in ("encoder", "decoder"):
        norm(f"model.{stack}.layer_norm")
        attentions = ("self_attn", "encoder_attn") if stack == "decoder" else ("self_attn",)
        for i in range(shapes.layers):
            prefix = f"model.{stack}.layers.{i}"
            for attention in attentions:
                for projection in ("q_proj", "k_proj", "v_proj", "out_proj"):
                    linear(f"{prefix}.{attention}.{projection}", d, d)
                norm(f"{prefix}.{attention}_layer_norm")
            linear(f"{prefix}.fc1", f, d)
            linear(f"{prefix}.fc2", d, f)
            norm(f"{prefix}.final_layer_norm")
    return weights


def build_ct2_model(
    weights: dict[str, np.ndarray],
    shapes: Shapes,
    vocabulary: list[str],
    out_dir: Path,
    quantization: str = "int8",
) -> None:
    """Fill a CTranslate2 spec from the state dict the way its M2M100 converter does."""

    def linear(spec: common_spec.LinearSpec, *names: str) -> None:
        spec.weight = np.concatenate([weights[f"{n}.weight"] for n in names])
        spec.bias = np.concatenate([weights[f"{n}.bias"] for n in names])

    def norm(spec: common_spec.LayerNormSpec, name: str) -> None:
        spec.gamma = weights[f"{name}.weight"]
        spec.beta = weights[f"{name}.bias"]

    spec = transformer_spec.TransformerSpec.from_config(
        shapes.layers, shapes.heads, pre_norm=True, activation=common_spec.Activation.RELU
    )
    embeddings = weights["model.shared.weight"]
    for name, stack in (("encoder", spec.encoder), ("decoder", spec.decoder)):
        stack.scale_embeddings = math.sqrt(shapes.d_model)
        stack.position_encodings.encodings = sinusoids(shapes.positions, shapes.d_model)
        norm(stack.layer_norm, f"model.{name}.layer_norm")
        for i, layer in enumerate(stack.layer):
            prefix = f"model.{name}.layers.{i}"
            attn = f"{prefix}.self_attn"
            linear(
                layer.self_attention.linear[0], f"{attn}.q_proj", f"{attn}.k_proj", f"{attn}.v_proj"
            )
            linear(layer.self_attention.linear[1], f"{attn}.out_proj")
            norm(layer.self_attention.layer_norm, f"{prefix}.self_attn_layer_norm")
            if name == "decoder":
                cross = f"{prefix}.encoder_attn"
                linear(layer.attention.linear[0], f"{cross}.q_proj")
                linear(layer.attention.linear[1], f"{cross}.k_proj", f"{cross}.v_proj")
                linear(layer.attention.linear[2], f"{cross}.out_proj")
                norm(layer.attention.layer_norm, f"{prefix}.encoder_attn_layer_norm")
            linear(layer.ffn.linear_0, f"{prefix}.fc1")
            linear(layer.ffn.linear_1, f"{prefix}.fc2")
            norm(layer.ffn.layer_norm, f"{prefix}.final_layer_norm")
    spec.encoder.embeddings[0].weight = embeddings
    spec.decoder.embeddings.weight = embeddings
    spec.decoder.projection.weight = weights["lm_head.weight"]
    spec.config.decoder_start_token = "</s>"
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization=quantization)
    spec.save(str(out_dir))


def timed(run: Callable[[], list[list[str]]], tokenizer: spm.SentencePieceProcessor) -> Measurement:
    """Time ``run`` (output pieces per segment), then detokenise them as the engine does."""
    started = time.perf_counter()
    outputs = run()
    seconds = time.perf_counter() - started
    unknown = tokenizer.unk_id()
    texts = [
        tokenizer.decode_pieces([p for p in pieces if tokenizer.piece_to_id(p) != unknown])
        for pieces in outputs
    ]
    return Measurement(seconds, texts)


def mean_pieces(tokenizer: spm.SentencePieceProcessor, texts: Sequence[str]) -> float:
    """Average output length in pieces: equal work on both sides shows as equal numbers."""
    return sum(len(tokenizer.encode(text)) for text in texts) / len(texts)


def measure_engine(
    model_dir: Path, segments: Sequence[str], beam: int, threads: int, max_length: int
) -> tuple[Measurement, NeuralEngine]:
    """NeuralEngine.translate on all segments, after one warm-up call."""
    engine = NeuralEngine(
        model_dir, beam_size=beam, max_decoding_length=max_length, intra_threads=threads
    )
    engine.translate(segments[:2], "en", "ht")
    started = time.perf_counter()
    results = engine.translate(segments, "en", "ht")
    seconds = time.perf_counter() - started
    return Measurement(seconds, [result.text for result in results]), engine


def token_batches(sources: list[list[int]], budget: int) -> list[list[int]]:
    """Indices grouped as CTranslate2's ``batch_type="tokens"`` does: by length, padded ≤ budget."""
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    batches: list[list[int]] = [[]]
    for index in order:
        if batches[-1] and (len(batches[-1]) + 1) * len(sources[index]) > budget:
            batches.append([])
        batches[-1].append(index)
    return batches


def measure_transformers(
    weights: dict[str, np.ndarray],
    shapes: Shapes,
    vocabulary: list[str],
    engine: NeuralEngine,
    segments: Sequence[str],
    beam: int,
    threads: int,
    max_length: int,
) -> tuple[Measurement, str] | None:
    """The same model as ``M2M100ForConditionalGeneration`` (fp32); None without torch."""
    try:
        import torch
        import transformers
    except ImportError:
        return None
    torch.set_num_threads(threads)
    config = transformers.M2M100Config(
        vocab_size=shapes.vocabulary,
        d_model=shapes.d_model,
        encoder_layers=shapes.layers,
        decoder_layers=shapes.layers,
        encoder_attention_heads=shapes.heads,
        decoder_attention_heads=shapes.heads,
        encoder_ffn_dim=shapes.ffn,
        decoder_ffn_dim=shapes.ffn,
        max_position_embeddings=shapes.positions,
        activation_function="relu",
        scale_embedding=True,
        tie_word_embeddings=False,
        dropout=0.0,
        bos_token_id=0,
        pad_token_id=PAD_ID,
        eos_token_id=EOS_ID,
        decoder_start_token_id=EOS_ID,
    )
    model = transformers.M2M100ForConditionalGeneration(config).eval()
    state = {name: torch.from_numpy(array) for name, array in weights.items()}
    for stack in ("encoder", "decoder"):
        state[f"model.{stack}.embed_tokens.weight"] = state["model.shared.weight"]
    model.load_state_dict(state, strict=True)
    ids = {token: i for i, token in enumerate(vocabulary)}
    tokenizer = engine.tokenizer
    sources = [
        [ids[NLLB_CODES["en"]], *(ids.get(p, 3) for p in tokenizer.encode(s, out_type=str)), EOS_ID]
        for s in segments
    ]
    target = ids[NLLB_CODES["ht"]]

    def generate(indices: Sequence[int]) -> list[list[str]]:
        longest = max(len(sources[i]) for i in indices)
        batch = torch.full((len(indices), longest), PAD_ID, dtype=torch.long)
        for row, index in enumerate(indices):
            batch[row, : len(sources[index])] = torch.tensor(sources[index])
        with torch.inference_mode():
            output = model.generate(
                input_ids=batch,
                attention_mask=batch.ne(PAD_ID),
                decoder_start_token_id=EOS_ID,
                forced_bos_token_id=target,
                num_beams=beam,
                do_sample=False,
                max_length=max_length + 1,
                min_length=0,
            )
        return [
            [vocabulary[t] for t in row[2:].tolist() if t not in (PAD_ID, EOS_ID)] for row in output
        ]

    def run() -> list[list[str]]:
        outputs: list[list[str]] = [[] for _ in segments]
        for indices in token_batches(sources, 2048):
            for index, pieces in zip(indices, generate(indices), strict=True):
                outputs[index] = pieces
        return outputs

    generate([0, 1])
    label = f"transformers {transformers.__version__} (torch {torch.__version__}, fp32)"
    return timed(run, tokenizer), label


def main(argv: Sequence[str] | None = None) -> int:
    """Build the model in a temporary directory, measure both systems, print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=64, help="how many sentences (cycled)")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for each system")
    parser.add_argument("--beam", type=int, default=1, choices=(1, 2), help="beam size")
    parser.add_argument("--max-length", type=int, default=64, help="max output tokens")
    parser.add_argument("--vocabulary", type=int, default=32_000, help="vocabulary size")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    shapes = Shapes(vocabulary=args.vocabulary)
    segments = [SENTENCES[i % len(SENTENCES)] for i in range(args.segments)]
    print(
        f"model: random weights, NLLB-200-distilled-600M shapes (d_model {shapes.d_model}, "
        f"{shapes.layers}+{shapes.layers} layers, {shapes.heads} heads, FFN {shapes.ffn}); "
        f"vocabulary shrunk to {shapes.vocabulary:,} (real {REAL_NLLB_VOCABULARY:,}) to save memory"
    )
    print(
        f"input: {len(segments)} segments en→ht, {'greedy' if args.beam == 1 else 'beam 2'}, "
        f"max {args.max_length} tokens, {args.threads} threads, CPU"
    )
    started = time.perf_counter()
    weights = random_weights(shapes, args.seed)
    sp_model = train_tokenizer(shapes.vocabulary - len(SPECIALS) - len(NLLB_CODES), args.seed)
    vocabulary = vocabulary_for(sp_model, shapes.vocabulary)
    with tempfile.TemporaryDirectory() as tmp:
        model_dir = Path(tmp) / "nllb-600m-shapes"
        model_dir.mkdir()
        build_ct2_model(weights, shapes, vocabulary, model_dir)
        (model_dir / "sentencepiece.bpe.model").write_bytes(sp_model)
        print(f"built the int8 model in {time.perf_counter() - started:.0f}s")
        ours, engine = measure_engine(model_dir, segments, args.beam, args.threads, args.max_length)
        print(
            f"neural engine (CTranslate2 {ctranslate2.__version__}, int8): "
            f"{ours.per_second:.2f} segments/s ({ours.seconds:.1f}s, "
            f"{mean_pieces(engine.tokenizer, ours.texts):.1f} output pieces/segment)"
        )
        peer = measure_transformers(
            weights, shapes, vocabulary, engine, segments, args.beam, args.threads, args.max_length
        )
    if peer is None:
        print(
            "peer skipped: transformers and torch are not installed "
            "(pip install 'kreyol-ia[convert]')"
        )
        return 0
    theirs, label = peer
    same = sum(a == b for a, b in zip(ours.texts, theirs.texts, strict=True))
    print(
        f"{label}: {theirs.per_second:.2f} segments/s ({theirs.seconds:.1f}s, "
        f"{mean_pieces(engine.tokenizer, theirs.texts):.1f} output pieces/segment)"
    )
    print(f"ratio: {ours.per_second / theirs.per_second:.2f}x faster (neural / transformers)")
    print(f"identical outputs: {same}/{len(segments)} (int8 vs fp32 on random weights may differ)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
