"""Word translations learned from parallel sentences: IBM Model 1 both ways, links intersected.

The operator's memories translate words no lexicon has; aligning them lets the glosser reuse
those words in sentences the memory does not hold. Pure Python: memories are thousands of lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kreyol_ia.translation.phrasebook import closed_words, english, french, from_kreyol, kreyol
from kreyol_ia.translation.phrasebook.lexicon import match_words

NULL = ""  # the empty word every target word may align to instead of a real one
_FR_ELIDED = {"l", "d", "j", "m", "t", "s", "n", "c", "qu", "jusqu", "lorsqu", "puisqu"}
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(closed_words.EN_CLOSED)
    | english.PREPOSITIONS
    | frozenset("or but if so than then as no yes all some any been being s one".split()),
    "fr": frozenset(closed_words.FR_CLOSED)
    | french.PREPOSITIONS
    | french.ARTICLES
    | frozenset("que y ou mais si est sont a ont été être ai as avons avez plus ne".split()),
    "ht": frozenset(kreyol.SUBJECT_PRONOUNS)
    | frozenset(kreyol.TENSE_MARKERS)
    | frozenset(kreyol.DETERMINERS)
    | frozenset(from_kreyol.FUNCTION_WORDS)
    | frozenset(from_kreyol.MODALS)
    | frozenset(from_kreyol.QUESTION_WORDS)
    | frozenset("se ye pa yon ki ke de pi k p m w l n y".split()),
}


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds on the work (pairs, words, cells per iteration) and on what counts as learned."""

    max_pairs: int = 5000
    max_words: int = 40
    max_cells: int = 800_000  # cells one EM iteration visits, both directions together
    iterations: int = 5
    min_count: int = 2  # sentence pairs where both directions link the two words
    min_probability: float = 0.2  # P(target word | source word) in the table's direction
    max_word_chars: int = 64


@dataclass(frozen=True, slots=True)
class Translation:
    """The best target word for a source word, how often it was linked, and P(target|source)."""

    word: str
    count: int
    probability: float


Table = dict[str, Translation]
Model = dict[str, dict[str, float]]  # t[source word][target word] = P(target | source)


def content_words(text: str, language: str, limits: Limits = Limits()) -> list[str]:
    """The engine's match words, elisions split off, without function words or numbers."""
    skip = FUNCTION_WORDS.get(language, frozenset())
    out: list[str] = []
    for word in match_words(text, language):
        for part in _split_elision(word.replace("’", "'"), language):
            if (
                part not in skip
                and len(part) > 1
                and len(part) <= limits.max_word_chars
                and any(c.isalpha() for c in part)
                and not any(c.isdigit() for c in part)
            ):
                out.append(part)
    return out


def _split_elision(word: str, language: str) -> list[str]:
    """``l'enfant`` → ``enfant``, ``child's`` → ``child``, ``m'ap`` → ``mwen ap``: the engine
    looks words up after the same splits."""
    if "'" not in word:
        return [word]
    head, _, rest = word.partition("'")
    if language == "fr":
        return [rest] if head in _FR_ELIDED and rest else [word]
    if language == "en":
        return [head] if rest == "s" else [word]
    if language == "ht":
        return kreyol.expand_short_forms([p for p in word.split("'") if p])
    return [word]


def learn(
    pairs: Iterable[tuple[str, str]], source: str, target: str, limits: Limits = Limits()
) -> tuple[Table, Table]:
    """(source → target, target → source) word tables from (source text, target text) pairs.

    Deterministic for a given order of pairs; stops reading pairs once a bound is reached.
    """
    corpus = _corpus(pairs, source, target, limits)
    forward = _train(corpus, limits.iterations)
    backward = _train([(t, s) for s, t in corpus], limits.iterations)
    counts: dict[tuple[str, str], int] = {}
    for src, tgt in corpus:
        links = _viterbi(forward, src, tgt)
        back = _viterbi(backward, tgt, src)
        for j, i in enumerate(links):
            if i >= 0 and back[i] == j:
                key = (src[i], tgt[j])
                counts[key] = counts.get(key, 0) + 1
    flipped = {(t, s): n for (s, t), n in counts.items()}
    return _table(counts, forward, limits), _table(flipped, backward, limits)


def _corpus(
    pairs: Iterable[tuple[str, str]], source: str, target: str, limits: Limits
) -> list[tuple[list[str], list[str]]]:
    corpus: list[tuple[list[str], list[str]]] = []
    cells = 0
    for source_text, target_text in pairs:
        src = content_words(source_text, source, limits)
        tgt = content_words(target_text, target, limits)
        if not src or not tgt or len(src) > limits.max_words or len(tgt) > limits.max_words:
            continue
        cells += (len(src) + 1) * len(tgt) + (len(tgt) + 1) * len(src)
        if cells > limits.max_cells or len(corpus) >= limits.max_pairs:
            break
        corpus.append((src, tgt))
    return corpus


def _train(corpus: list[tuple[list[str], list[str]]], iterations: int) -> Model:
    """IBM Model 1 by EM from a uniform start; every source sentence also holds NULL."""
    model: Model = {}
    for src, tgt in corpus:
        for word in (NULL, *src):
            row = model.setdefault(word, {})
            for other in tgt:
                row[other] = 1.0
    for _ in range(iterations):
        counts: Model = {word: dict.fromkeys(row, 0.0) for word, row in model.items()}
        for src, tgt in corpus:
            heads = (NULL, *src)
            rows = [model[word] for word in heads]
            sums = [counts[word] for word in heads]
            for other in tgt:
                total = sum(row[other] for row in rows)
                for row, acc in zip(rows, sums, strict=True):
                    acc[other] += row[other] / total
        model = {}
        for word, row in counts.items():
            total = sum(row.values())
            model[word] = {other: value / total for other, value in row.items()}
    return model


def _viterbi(model: Model, src: list[str], tgt: list[str]) -> list[int]:
    """For each target position, the likeliest source position (-1 for NULL; first on ties)."""
    links: list[int] = []
    for other in tgt:
        best, best_p = -1, model[NULL].get(other, 0.0)
        for i, word in enumerate(src):
            p = model[word].get(other, 0.0)
            if p > best_p:
                best, best_p = i, p
        links.append(best)
    return links


def _table(counts: dict[tuple[str, str], int], model: Model, limits: Limits) -> Table:
    table: Table = {}
    for (word, other), count in sorted(counts.items()):
        probability = model[word][other]
        if count < limits.min_count or probability < limits.min_probability:
            continue
        found = table.get(word)
        if found is None or (count, probability) > (found.count, found.probability):
            table[word] = Translation(other, count, probability)
    return table
