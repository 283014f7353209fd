"""Parsing operators' translation memories (TMX 1.4, TSV) and glossaries, error by error."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from kreyol_ia.translation.languages import SUPPORTED_PAIRS

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE_ALIASES = {
    "en": "en",
    "eng": "en",
    "fr": "fr",
    "fra": "fr",
    "fre": "fr",
    "ht": "ht",
    "hat": "ht",
    "cpf": "ht",
}
MAX_TEXT = 2000


@dataclass(frozen=True, slots=True)
class ImportRow:
    """One pair to store: always another language → Kreyòl or Kreyòl → another language."""

    source_lang: str
    target_lang: str
    source_text: str
    target_text: str
    domain: str = "imported"


@dataclass(frozen=True, slots=True)
class Problem:
    """Why one line, unit or the whole file was refused; ``str()`` is the CLI's line."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ParseResult:
    """What was read and, per line or unit, what was refused and why."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """The problems as text ("line 3: empty source or target"), as the CLI prints them."""
        return [str(problem) for problem in self.problems]

    def refuse(self, where: str, message: str) -> None:
        """Record one problem."""
        self.problems.append(Problem(where, message))


def normalise_language(code: str) -> str | None:
    """``en-US`` → ``en``, ``hat`` → ``ht``; None for languages the service does not handle."""
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return LANGUAGE_ALIASES.get(base)


def _pair_ok(source: str | None, target: str | None) -> bool:
    return source is not None and target is not None and (source, target) in SUPPORTED_PAIRS


def _check_texts(source: str, target: str) -> str | None:
    if not source or not target:
        return "empty source or target"
    if len(source) > MAX_TEXT or len(target) > MAX_TEXT:
        return f"text longer than {MAX_TEXT} characters"
    return None


def parse_tsv(data: bytes, source: str | None = None, target: str | None = None) -> ParseResult:
    """TSV of ``source<TAB>target[<TAB>domain]``; a header of language codes may name the pair."""
    return _parse_delimited(data, source, target, TSV)


def parse_csv(data: bytes, source: str | None = None, target: str | None = None) -> ParseResult:
    """CSV with the TSV's columns, header rule and checks, and ordinary CSV quoting."""
    return _parse_delimited(data, source, target, CSV)


@dataclass(frozen=True, slots=True)
class _Format:
    """How one delimited format splits cells, and how problems name its separator."""

    delimiter: str
    quoting: int
    columns: str
    header: str


TSV = _Format("\t", csv.QUOTE_NONE, "tab-separated", "en<TAB>ht")
CSV = _Format(",", csv.QUOTE_MINIMAL, "comma-separated", "en,ht")


def _parse_delimited(
    data: bytes, source: str | None, target: str | None, form: _Format
) -> ParseResult:
    result = ParseResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.refuse("file", f"not UTF-8 ({exc.reason} at byte {exc.start})")
        return result
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=form.delimiter, quoting=form.quoting
    )
    try:
        for number, row in enumerate(reader, start=1):
            if not row or not any(cell.strip() for cell in row):
                continue
            if number == 1 and len(row) >= 2:
                header = (normalise_language(row[0]), normalise_language(row[1]))
                if all(header) and row[0].strip().isalpha():
                    source, target = header
                    continue
            where = f"line {reader.line_num}"
            if not _pair_ok(source, target):
                result.refuse(
                    where,
                    f"unknown language pair; add a header like '{form.header}' or pass --from/--to",
                )
                return result
            _add_row(result, row, where, source, target, form)  # type: ignore[arg-type]
    except csv.Error as exc:
        result.refuse(f"line {reader.line_num}", f"unreadable {form.columns} text ({exc})")
    return result


def _add_row(
    result: ParseResult, row: list[str], where: str, source: str, target: str, form: _Format
) -> None:
    if len(row) < 2:
        result.refuse(where, f"expected 2 or 3 {form.columns} columns")
        return
    src, tgt = row[0].strip(), row[1].strip()
    problem = _check_texts(src, tgt)
    if problem:
        result.refuse(where, problem)
        return
    domain = row[2].strip() if len(row) > 2 and row[2].strip() else "imported"
    result.rows.append(ImportRow(source, target, src, tgt, domain[:64]))


def parse_tmx(data: bytes) -> ParseResult:
    """TMX 1.4: each ``<tu>`` gives one row per (other language, Kreyòl) pair it contains."""
    result = ParseResult()
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        result.refuse("file", f"not a readable TMX document ({exc})")
        return result
    if root.tag != "tmx":
        result.refuse("file", "the root element is not <tmx>")
        return result
    for number, unit in enumerate(root.iter("tu"), start=1):
        variants = _variants(unit)
        kreyol = variants.pop("ht", None)
        if kreyol is None or not variants:
            result.refuse(f"tu {number}", "needs a Kreyòl (ht) variant and an en or fr one")
            continue
        for language, text in variants.items():
            problem = _check_texts(text, kreyol)
            if problem:
                result.refuse(f"tu {number}", problem)
                continue
            result.rows.append(ImportRow(language, "ht", text, kreyol))
    return result


def _variants(unit: Element) -> dict[str, str]:
    variants: dict[str, str] = {}
    for variant in unit.iter("tuv"):
        language = normalise_language(variant.get(XML_LANG) or variant.get("lang") or "")
        segment = variant.find("seg")
        if language is None or segment is None:
            continue
        variants[language] = " ".join("".join(segment.itertext()).split())
    return variants


def parse_file(name: str, data: bytes, source: str | None, target: str | None) -> ParseResult:
    """Pick the parser from the content (``<tmx`` or XML prolog) rather than the name alone.

    A ``.csv`` or ``.tsv`` name decides between the two; otherwise a first line with a comma
    and no tab is CSV.
    """
    name = name.lower()
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<tmx")) or name.endswith(".tmx"):
        return parse_tmx(data)
    first_line = data.partition(b"\n")[0]
    looks_csv = b"," in first_line and b"\t" not in first_line
    if name.endswith(".csv") or (looks_csv and not name.endswith(".tsv")):
        return parse_csv(data, source, target)
    return parse_tsv(data, source, target)
