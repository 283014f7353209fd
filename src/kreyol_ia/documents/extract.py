"""Per-format extraction: the text a translator should see, and how to rebuild the file around it.

Every rebuild re-reads the original bytes, so it is pure and can run again (a retried job).
Everything that is not prose (markup, list markers, code, URLs, timings, formatting) stays
outside the units and comes back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import srt
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.dammit import EntitySubstitution
from bs4.element import PreformattedString
from bs4.formatter import HTMLFormatter

from kreyol_ia.documents.formats import detect_format
from kreyol_ia.documents.model import DocumentError, ExtractedDocument, ParseLimits
from kreyol_ia.documents.office import extract_docx, extract_pdf
from kreyol_ia.documents.units import decode, document, keep_space, split_space, translatable


def extract(
    filename: str, data: bytes, max_pages: int = 200, limits: ParseLimits | None = None
) -> ExtractedDocument:
    """Units and a rebuilder for any supported upload; every refusal is a ``DocumentError``."""
    limits = limits or ParseLimits(max_pages=max_pages)
    extracted = _EXTRACTORS[detect_format(filename, data)](data, limits)
    characters = sum(len(unit) for unit in extracted.units)
    if characters > limits.max_characters:
        raise DocumentError(
            "document_too_long",
            f"This document has {characters} characters of text; the limit per document is "
            f"{limits.max_characters}.",
        )
    return extracted


# -- txt and md: one unit per line -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Slot:
    """Where translation ``index`` goes; ``spans`` are what its ``{n}`` placeholders stand for."""

    index: int
    spans: tuple[str, ...] = ()


class _Template:
    """Literal text and unit slots, in order; joined with the translations it gives the file."""

    def __init__(self) -> None:
        self.units: list[str] = []
        self.parts: list[str | _Slot] = []

    def literal(self, text: str) -> None:
        self.parts.append(text)

    def text(self, text: str, spans: tuple[str, ...] = ()) -> None:
        """A piece of prose: a unit if it has letters, else kept as it was."""
        lead, core, trail = split_space(text)
        self.parts.append(lead)
        if translatable(core):
            self.parts.append(_Slot(len(self.units), spans))
            self.units.append(core)
        else:
            self.parts.append(_restore(core, spans))
        self.parts.append(trail)

    def fill(self, translations: list[str]) -> str:
        return "".join(
            part if isinstance(part, str) else _restore(translations[part.index], part.spans)
            for part in self.parts
        )


_TEXT_PREFIX = re.compile(r"[ \t]*(?:(?:[-*+•–]|\d{1,9}[.)])[ \t]+)?")
_MD_PREFIX = re.compile(
    r"[ \t]*(?:>[ \t]?)*[ \t]*(?:#{1,6}[ \t]+|(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?)?"
)
_MD_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_MD_REFERENCE = re.compile(r" {0,3}\[[^\]]+\]:\s*\S")
_MD_TABLE_CELL = re.compile(r"(?<!\\)\|")
_MD_EMPHASIS = re.compile(r"([*_]{1,3})(\S.*?\S|\S)\1")
_MD_PROTECTED = re.compile(
    r"(`+)[^`]+\1"  # inline code span
    r"|(?<=\])\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"  # link destination after ]
    r"|(?<=\])\[[^\]]*\]"  # reference link label
    r"|<[^<>\s][^<>]*>"  # autolink or inline HTML
    r"|\{\d+\}"  # text that looks like our placeholders
)
_PLACEHOLDER = re.compile(r"\{(\d+)\}")


def _mask(text: str) -> tuple[str, tuple[str, ...]]:
    """Replace code spans, link URLs and inline tags by ``{n}`` so no translator touches them."""
    spans: list[str] = []

    def hide(match: re.Match[str]) -> str:
        spans.append(match.group())
        return f"{{{len(spans) - 1}}}"

    return _MD_PROTECTED.sub(hide, text), tuple(spans)


def _restore(text: str, spans: tuple[str, ...]) -> str:
    """Put each protected span back once; spans the translator dropped are appended, not lost.

    A link destination is glued back to its ``]`` even if the translator put a space between.
    """
    used: set[int] = set()
    out: list[str] = []
    for number, piece in enumerate(_PLACEHOLDER.split(text)):
        index = int(piece) if number % 2 else None
        if index is None or index >= len(spans) or index in used:
            out.append(piece if index is None else f"{{{piece}}}")
            continue
        used.add(index)
        if spans[index][0] in "([" and out:
            out[-1] = out[-1].rstrip()
        out.append(spans[index])
    missing = [span for index, span in enumerate(spans) if index not in used]
    return " ".join(["".join(out), *missing]) if missing else "".join(out)


def _lines(text: str, line: Callable[[str, _Template], None]) -> _Template:
    """Split on ``\\n`` only: each line keeps its ``\\r``, so line endings survive as they were."""
    template = _Template()
    for number, content in enumerate(text.split("\n")):
        if number:
            template.literal("\n")
        line(content, template)
    return template


def _text_line(line: str, template: _Template) -> None:
    prefix = _TEXT_PREFIX.match(line).end()  # type: ignore[union-attr]
    template.literal(line[:prefix])
    template.text(line[prefix:])


class _MarkdownLines:
    """Markdown, line by line: fences and front matter are literal; syntax stays outside units."""

    def __init__(self) -> None:
        self.closing: re.Pattern[str] | None = None
        self.first = True

    def __call__(self, line: str, template: _Template) -> None:
        first, self.first = self.first, False
        if self.closing is not None:
            if self.closing.match(line):
                self.closing = None
            template.literal(line)
        elif first and line.rstrip() == "---":
            self.closing = re.compile(r"(?:---|\.\.\.)\s*$")
            template.literal(line)
        elif fence := _MD_FENCE.match(line):
            marker = fence.group(1)
            self.closing = re.compile(rf" {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
            template.literal(line)
        elif _MD_REFERENCE.match(line):
            template.literal(line)
        elif line.lstrip().startswith("|"):
            _markdown_table_row(line, template)
        else:
            _markdown_line(line, template)


def _markdown_table_row(line: str, template: _Template) -> None:
    for number, cell in enumerate(_MD_TABLE_CELL.split(line)):
        if number:
            template.literal("|")
        template.text(*_mask(cell))


def _markdown_line(line: str, template: _Template) -> None:
    prefix = _MD_PREFIX.match(line).end()  # type: ignore[union-attr]
    template.literal(line[:prefix])
    lead, body, trail = split_space(line[prefix:])
    marker = _emphasis_marker(body)
    template.literal(lead + marker)
    template.text(*_mask(body[len(marker) : len(body) - len(marker)]))
    template.literal(marker + trail)


def _emphasis_marker(body: str) -> str:
    """The ``**`` or ``_`` wrapping a whole line, kept out of the unit like other syntax."""
    match = _MD_EMPHASIS.fullmatch(body)
    return match.group(1) if match and match.group(1) not in match.group(2) else ""


def _plain(data: bytes, fmt: str, line: Callable[[str, _Template], None]) -> ExtractedDocument:
    bom, text = decode(data)
    template = _lines(text, line)

    def rebuild(translations: list[str]) -> bytes:
        return (bom + template.fill(translations)).encode("utf-8")

    media_type = "text/plain" if fmt == "txt" else "text/markdown"
    return document(fmt, template.units, rebuild, f"{media_type}; charset=utf-8", f".{fmt}")


def _txt(data: bytes, limits: ParseLimits) -> ExtractedDocument:
    return _plain(data, "txt", _text_line)


def _md(data: bytes, limits: ParseLimits) -> ExtractedDocument:
    return _plain(data, "md", _MarkdownLines())


# -- srt: one unit per subtitle ------------------------------------------------------------------


_SRT_TIME = r"\d{1,3}:[0-5]\d:[0-5]\d[,.]\d{1,3}"
_SRT_TIMING = re.compile(rf"[ \t]*{_SRT_TIME}[ \t]*-->[ \t]*{_SRT_TIME}(?:[ \t].*)?")


def _invalid_srt(block: int, why: str) -> DocumentError:
    return DocumentError("invalid_srt", f"Subtitle block {block} {why}.")


def _check_srt(text: str, subtitles: list[srt.Subtitle]) -> None:
    """What the lenient ``srt`` parser lets through: bad clock values, untimed blocks, reversals."""
    timings = [line for line in text.split("\n") if "-->" in line]
    for block, line in enumerate(timings, start=1):
        if not _SRT_TIMING.fullmatch(line.rstrip("\r")):
            raise _invalid_srt(block, "has an invalid timing line (expected HH:MM:SS,mmm --> …)")
    for block, sub in enumerate(subtitles, start=1):
        if sub.end < sub.start:
            raise _invalid_srt(block, "ends before it starts")
        if re.search(r"\n[ \t]*\n", sub.content.strip().replace("\r", "")):
            raise _invalid_srt(block, "is followed by a block without a timestamp")


def _srt(data: bytes, limits: ParseLimits) -> ExtractedDocument:
    bom, text = decode(data)
    eol = "\r\n" if "\r\n" in text else "\n"
    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError, TypeError) as exc:
        raise DocumentError(
            "invalid_srt",
            "The subtitle file is malformed: every block needs an index and a timing.",
        ) from exc
    _check_srt(text, subtitles)
    units = [sub.content.strip() for sub in subtitles if translatable(sub.content)]

    def rebuild(translations: list[str]) -> bytes:
        pending = iter(translations)
        out = [
            srt.Subtitle(
                sub.index,
                sub.start,
                sub.end,
                keep_space(sub.content, next(pending)),
                sub.proprietary,
            )
            if translatable(sub.content)
            else sub
            for sub in subtitles
        ]
        return (bom + srt.compose(out, reindex=False, eol=eol)).encode("utf-8")

    return document("srt", units, rebuild, "application/x-subrip; charset=utf-8", ".srt")


# -- html: one unit per text node or alt/title attribute -----------------------------------------

_HTML_SKIP = frozenset({"script", "style", "code", "pre", "noscript"})
_HTML_ATTRIBUTES = ("alt", "title")
_HtmlSlot = tuple[Tag, str] | NavigableString


class _SourceOrderFormatter(HTMLFormatter):
    """bs4's "minimal" output, but attributes stay in the author's order instead of sorted."""

    def attributes(self, tag: Tag) -> list[tuple[str, object]]:  # type: ignore[override]
        return list(tag.attrs.items())


_HTML_FORMATTER = _SourceOrderFormatter(entity_substitution=EntitySubstitution.substitute_xml)


def _html_slots(soup: BeautifulSoup) -> list[_HtmlSlot]:
    """Translatable text nodes and attributes in document order (iterative: no recursion limit)."""
    slots: list[_HtmlSlot] = []
    stack = [iter(soup.contents)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag) and node.name not in _HTML_SKIP:
            slots += [
                (node, name)
                for name in _HTML_ATTRIBUTES
                if isinstance(node.get(name), str) and translatable(node[name])  # type: ignore[arg-type]
            ]
            stack.append(iter(node.contents))
        elif (
            isinstance(node, NavigableString)
            and not isinstance(node, PreformattedString)
            and translatable(node)
        ):
            slots.append(node)
    return slots


def _slot_text(slot: _HtmlSlot) -> str:
    text = str(slot[0][slot[1]]) if isinstance(slot, tuple) else str(slot)
    return " ".join(text.split())


_SCRIPT_URL = re.compile(r"\s*(?:javascript|vbscript|data\s*:\s*text/html)", re.I)


def _sanitise(soup: BeautifulSoup) -> None:
    """People open translated pages: drop scripts, event handlers and ``javascript:`` links."""
    for script in soup.find_all("script"):
        script.decompose()
    for tag in soup.find_all(True):
        for name in [name for name in tag.attrs if name.lower().startswith("on")]:
            del tag[name]
        for name, value in list(tag.attrs.items()):
            if isinstance(value, str) and _SCRIPT_URL.match(value.replace("\x00", "")):
                del tag[name]


def _label_language(soup: BeautifulSoup, language: str | None) -> None:
    """A translated page says its new language (``<html lang>``, and ``xml:lang`` if present)."""
    root = soup.find("html")
    if language is None or not isinstance(root, Tag):
        return
    root["lang"] = language
    if "xml:lang" in root.attrs:
        root["xml:lang"] = language


def html_markup(text: str) -> ExtractedDocument:
    """HTML given as text (``/translate`` with ``format: html``): the document path's rules."""
    return _html(text.encode("utf-8"), ParseLimits())


def _html(data: bytes, limits: ParseLimits) -> ExtractedDocument:
    bom, text = decode(data)
    units = [_slot_text(slot) for slot in _html_slots(BeautifulSoup(text, "html.parser"))]

    def rebuild(translations: list[str], language: str | None = None) -> bytes:
        soup = BeautifulSoup(text, "html.parser")
        for slot, translation in zip(_html_slots(soup), translations, strict=True):
            if isinstance(slot, tuple):
                tag, name = slot
                tag[name] = keep_space(str(tag[name]), translation)
            else:
                slot.replace_with(type(slot)(keep_space(str(slot), translation)))
        _sanitise(soup)
        _label_language(soup, language)
        return bom.encode("utf-8") + soup.encode("utf-8", formatter=_HTML_FORMATTER)

    media_type = "text/html; charset=utf-8"
    return document("html", units, rebuild, media_type, ".html", labels_language=True)


_EXTRACTORS: dict[str, Callable[[bytes, ParseLimits], ExtractedDocument]] = {
    "txt": _txt,
    "md": _md,
    "srt": _srt,
    "html": _html,
    "docx": extract_docx,
    "pdf": extract_pdf,
}
