"""The lexicon files are well formed: three fields, no duplicates, standard Kreyòl spelling."""

from __future__ import annotations

import csv
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

DATA = Path(str(resources.files("kreyol_ia.translation").joinpath("data")))
FOLDERS = ("en_ht", "fr_ht")
# letters and sequences standard Kreyòl spelling (IPN) never writes (u only in ou and ui, as in
# kuit, uit; à only before n, as in pàn, bekàn); names of places may keep their own spelling only
# in places.tsv
NOT_KREYOL = re.compile(r"q|x|c(?!h)|(?<!o)u(?!i)|à(?!n)|[éêâîôûçëïüœ]|eau|tion", re.IGNORECASE)
NAME_FILES = {"places.tsv"}


def _rows(folder: str) -> list[tuple[str, int, list[str]]]:
    rows = []
    for path in sorted((DATA / folder).glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            header = next(reader)
            assert header[1:] == ["ht", "domain"], (path.name, header)
            for number, row in enumerate(reader, start=2):
                rows.append((path.name, number, row))
    return rows


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_line_has_three_non_empty_fields(folder: str) -> None:
    bad = [
        f"{name}:{number}"
        for name, number, row in _rows(folder)
        if len(row) != 3 or not all(cell.strip() for cell in row) or row != [c.strip() for c in row]
    ]
    assert bad == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_no_entry_is_written_twice(folder: str) -> None:
    """Within a file; the same pair may stand in two domains' files (its domain differs)."""
    pairs = Counter(
        (name, row[0].lower(), row[1].lower()) for name, _, row in _rows(folder) if len(row) == 3
    )
    assert [pair for pair, count in pairs.items() if count > 1] == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_kreyol_side_uses_the_standard_spelling(folder: str) -> None:
    bad = [
        f"{name}:{number}: {row[1]}"
        for name, number, row in _rows(folder)
        if len(row) == 3 and name not in NAME_FILES and NOT_KREYOL.search(row[1])
    ]
    assert bad == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_kreyol_side_is_one_clean_translation(folder: str) -> None:
    """Read backwards for ht→en/fr, so no notes, alternatives or brackets in a cell."""
    bad = [
        f"{name}:{number}: {row[1]}"
        for name, number, row in _rows(folder)
        if len(row) == 3 and re.search(r"[/()\[\];|]", row[1])
    ]
    assert bad == []
