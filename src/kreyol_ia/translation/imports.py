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


@dataclass
class ParseResult:
    """What was read and, per line or unit, what was refused and why."""

    rows: list[ImportRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


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
    result = ParseResult()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.errors.append(f"file: not UTF-8 ({exc.reason} at byte {exc.start})")
        return result
    reader = csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(reader, start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if number == 1 and len(row) >= 2:
            header = (normalise_language(row[0]), normalise_language(row[1]))
            if all(header) and row[0].strip().isalpha():
                source, target = header
                continue
        if not _pair_ok(source, target):
            result.errors.append(
                f"line {number}: unknown language pair; add a header like 'en<TAB>ht' "
                "or pass --from/--to"
            )
            return result
        if len(row) < 2:
            result.errors.append(f"line {number}: expected 2 or 3 tab-separated columns")
            continue
        src, tgt = row[0].strip(), row[1].strip()
        problem = _check_texts(src, tgt)
        if problem:
            result.errors.append(f"line {number}: {problem}")
            continue
        domain = row[2].strip() if len(row) > 2 and row[2].strip() else "imported"
        result.rows.append(ImportRow(source, target, src, tgt, domain[:64]))  # type: ignore[arg-type]
    return result


def parse_tmx(data: bytes) -> ParseResult:
    """TMX 1.4: each ``<tu>`` gives one row per (other language, Kreyòl) pair it contains."""
    result = ParseResult()
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        result.errors.append(f"file: not a readable TMX document ({exc})")
        return result
    if root.tag != "tmx":
        result.errors.append("file: the root element is not <tmx>")
        return result
    for number, unit in enumerate(root.iter("tu"), start=1):
        variants = _variants(unit)
        kreyol = variants.pop("ht", None)
        if kreyol is None or not variants:
            result.errors.append(f"tu {number}: needs a Kreyòl (ht) variant and an en or fr one")
            continue
        for language, text in variants.items():
            problem = _check_texts(text, kreyol)
            if problem:
                result.errors.append(f"tu {number}: {problem}")
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
    """Pick the parser from the content (``<tmx`` or XML prolog) rather than the name alone."""
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<tmx")) or name.lower().endswith(".tmx"):
        return parse_tmx(data)
    return parse_tsv(data, source, target)
