"""Word run formatting through translation.

The paragraph is translated whole (placeholders inside it made the phrasebook lose phrase
matches), and each span that differs from the paragraph's base formatting (bold, italic, a
hyperlink…) is translated on its own as a hint; the hint's translation found, in order, in the
paragraph's translation becomes that span's run again. A hint not found falls back to the whole
translation in the first run: formatting may be lost, text never.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from docx.oxml.ns import qn
from docx.text.run import Run
from lxml.etree import tostring

from kreyol_ia.documents.units import keep_space

RunWriter = Callable[[list[Run], str], None]


def _key(run: Run) -> tuple[bytes, int | None]:
    """What makes a run look different: its properties and the hyperlink holding it."""
    properties = run._r.find(qn("w:rPr"))
    link = next((a for a in run._r.iterancestors(qn("w:hyperlink"))), None)
    return (
        tostring(properties) if properties is not None else b"",
        id(link) if link is not None else None,
    )


def groups(runs: list[Run]) -> list[tuple[bool, list[Run]]]:
    """Consecutive runs of one look, each marked ``True`` when it differs from the base look.

    The base is plain text (no run properties, outside links) when the paragraph has some, else
    the look carrying most of the text.
    """
    keys = [_key(run) for run in runs]
    weights: Counter[tuple[bytes, int | None]] = Counter()
    for key, run in zip(keys, runs, strict=True):
        weights[key] += len(run.text)
    plain = (b"", None)
    base = plain if plain in weights else weights.most_common(1)[0][0] if weights else None
    out: list[tuple[bool, list[Run]]] = []
    previous = None
    for key, run in zip(keys, runs, strict=True):
        if out and key == previous:
            out[-1][1].append(run)
        else:
            out.append((key != base, [run]))
        previous = key
    return [(differs and any(r.text.strip() for r in members), members) for differs, members in out]


def spans(runs: list[Run]) -> list[str]:
    """The text of each span that differs from the paragraph's base look, in order."""
    return [
        "".join(r.text for r in members).strip() for differs, members in groups(runs) if differs
    ]


def _pieces(translation: str, hints: list[str]) -> list[str] | None:
    """Plain slices around each hint found in order (whole words, any case), or None if one is
    not: a hint never matches inside a longer word."""
    out: list[str] = []
    start = 0
    for hint in hints:
        found = re.compile(rf"(?<!\w){re.escape(hint.strip())}(?!\w)", re.I).search(
            translation, start
        )
        if not hint.strip() or found is None:
            return None
        out += [translation[start : found.start()], found.group()]
        start = found.end()
    out.append(translation[start:])
    return out


def write(
    runs: list[Run], original: str, translation: str, hints: list[str], put: RunWriter
) -> None:
    """Spread ``translation`` over the paragraph's run groups, or all into the first run.

    ``hints`` are the translations of ``spans(runs)``.
    """
    parts = groups(runs)
    count = sum(differs for differs, _ in parts)
    pieces = _pieces(keep_space(original, translation), hints) if count == len(hints) else None
    if pieces is None or count == 0:
        put(runs, keep_space(original, translation))
        return
    texts = [""] * len(parts)
    slot = 0  # plain slice ``slot`` goes to the base group after span ``slot``, if there is one
    for index, (differs, _) in enumerate(parts):
        if differs:
            slot += 1
            texts[index] = pieces[2 * slot - 1]
        elif texts[index] == "":
            texts[index] = pieces[2 * slot]
            pieces[2 * slot] = ""
    owners = [index for index, (differs, _) in enumerate(parts) if differs]
    for number in range(count + 1):
        leftover = pieces[2 * number]  # no base group of its own: it joins the span before it
        if leftover:
            owner = owners[number - 1] if number else owners[0]
            texts[owner] = texts[owner] + leftover if number else leftover + texts[owner]
    for (_, members), text in zip(parts, texts, strict=True):
        put(members, text)
