"""Segments per second of each engine, measured in one run on the same sentences.

Phrasebook: the embedded engine per direction, split into memory hits and glossed sentences,
printed as a ratio of the two paths. Neural: a randomly initialised model with NLLB-200-600M's
shapes in CTranslate2 int8 against the same shapes in PyTorch (see bench/translate_neural.py),
run with --neural because it takes minutes and several GB of memory.

    .venv/bin/python bench/translate.py [--rounds 5] [--neural]
"""

from __future__ import annotations

import argparse
import runpy
import sys
import time
from pathlib import Path

from kreyol_ia.translation.phrasebook import PhrasebookEngine

SENTENCES = {
    ("en", "ht"): [
        "Good morning, how are you?",
        "The children are eating rice.",
        "My mother went to the market yesterday.",
        "Do you have a fever?",
        "We will go to school tomorrow.",
        "The big red car is near the church.",
        "Wash your hands with soap and clean water.",
        "Take 3 pills every day.",
    ],
    ("fr", "ht"): [
        "Bonjour, comment allez-vous?",
        "Les enfants mangent du riz.",
        "Ma mère est allée au marché.",
        "Où est l'hôpital?",
        "Je ne comprends pas.",
        "Mon frère travaille à l'hôpital.",
        "La maison est petite.",
        "Nous allons manger.",
    ],
    ("ht", "en"): [
        "Bonjou, kijan ou ye?",
        "Timoun yo ap manje diri.",
        "Manman mwen te ale nan mache a yè.",
        "Èske ou gen lafyèv?",
        "Nou pral lekòl demen.",
        "Machin wouj la bèl.",
        "Li te manje pen an.",
        "Frè mwen se pwofesè.",
    ],
    ("ht", "fr"): [
        "Bonjou, kijan ou ye?",
        "Timoun yo malad.",
        "Manman mwen te ale nan mache a.",
        "Mwen bezwen dlo.",
        "Kay la piti.",
        "Nou pral manje.",
        "Mwen pa konprann.",
        "Frè mwen travay nan lopital la.",
    ],
}


def _rate(engine: PhrasebookEngine, sentences: list[str], pair: tuple[str, str], rounds: int):
    start = time.perf_counter()
    for _ in range(rounds):
        engine.translate(sentences, *pair)
    elapsed = time.perf_counter() - start
    return rounds * len(sentences) / elapsed


def bench_phrasebook(rounds: int) -> None:
    """Memory-hit and glossed sentences per second, per direction."""
    engine = PhrasebookEngine()
    print(f"{'direction':10} {'all seg/s':>10} {'memory seg/s':>13} {'gloss seg/s':>12} ratio")
    for pair, sentences in SENTENCES.items():
        engine.translate(sentences, *pair)
        results = engine.translate(sentences, *pair)
        hits = [s for s, r in zip(sentences, results, strict=True) if r.match in {"exact", "fuzzy"}]
        glossed = [s for s, r in zip(sentences, results, strict=True) if r.match == "gloss"]
        overall = _rate(engine, sentences, pair, rounds)
        memory = _rate(engine, hits, pair, rounds) if hits else float("nan")
        gloss = _rate(engine, glossed, pair, rounds) if glossed else float("nan")
        print(
            f"{pair[0]}→{pair[1]:7} {overall:10.0f} {memory:13.0f} {gloss:12.0f} "
            f"memory/gloss = {memory / gloss:.1f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--neural", action="store_true", help="also run the neural comparison")
    args, rest = parser.parse_known_args()
    bench_phrasebook(args.rounds)
    if args.neural:
        sys.argv = [str(Path(__file__).with_name("translate_neural.py")), *rest]
        runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
