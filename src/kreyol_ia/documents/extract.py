"""Per-format extraction: the text a translator should see, and how to rebuild the file around it.

Every rebuild re-reads the original bytes, so it is pure and can run again (a retried job).
Everything that is not prose (markup, list markers, code, URLs, timings, formatting) stays
outside the units and comes back unchanged.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import srt
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.dammit import EntitySubstitution
from bs4.element import PreformattedString
from bs4.formatter import HTMLFormatter
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.etree import _Element
from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from kreyol_ia.documents.formats import detect_format
from kreyol_ia.documents.model import DocumentError, ExtractedDocument

_BOM = "\ufeff"
_LETTER = re.compile(r"[^\W\d_]")


def extract(filename: str, data: bytes, max_pages: int = 200) -> ExtractedDocument:
    """Units and a rebuilder for any supported upload; every refusal is a ``DocumentError``."""
    return _EXTRACTORS[detect_format(filename, data)](data, max_pages)


# -- shared helpers ---------------------------------------------------------------------------


def _translatable(text: str) -> bool:
    """Only text with a letter is worth a translator's time (not "---", "12:30" or "©")."""
    return _LETTER.search(text) is not None


def _split_space(text: str) -> tuple[str, str, str]:
    """(leading space, core, trailing space); no regex, so long blank runs cannot stall it."""
    start = len(text) - len(text.lstrip())
    end = max(start, len(text.rstrip()))
    return text[:start], text[start:end], text[end:]


def _keep_space(original: str, translation: str) -> str:
    """The translation, wearing the original's leading and trailing whitespace."""
    lead, _, trail = _split_space(original)
    return f"{lead}{translation.strip()}{trail}"


@contextmanager
def _reading(kind: str) -> Iterator[None]:
    """Library errors on a damaged file (the parsers raise many types) become one clear refusal."""
    try:
        yield
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError("corrupt_document", f"This {kind} is damaged: {exc}") from exc


def _decode(data: bytes) -> tuple[str, str]:
    """(BOM, text): the BOM is given back on output so the file round-trips byte for byte."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            "invalid_encoding", f"The file is not valid UTF-8 (byte {exc.start}); save it as UTF-8."
        ) from exc
    return (_BOM, text[1:]) if text.startswith(_BOM) else ("", text)


def _document(
    fmt: str,
    units: list[str],
    rebuild: Callable[[list[str]], bytes],
    media_type: str,
    suffix: str,
    pages: int = 1,
) -> ExtractedDocument:
    """Wrap ``rebuild`` so a wrong number of translations fails loudly, never misplaces text."""

    def checked(translations: list[str]) -> bytes:
        if len(translations) != len(units):
            raise DocumentError(
                "translation_count_mismatch",
                f"Expected {len(units)} translations, got {len(translations)}.",
            )
        return rebuild(translations)

    return ExtractedDocument(fmt, units, checked, media_type, suffix, pages)


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
        lead, core, trail = _split_space(text)
        self.parts.append(lead)
        if _translatable(core):
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
    lead, body, trail = _split_space(line[prefix:])
    marker = _emphasis_marker(body)
    template.literal(lead + marker)
    template.text(*_mask(body[len(marker) : len(body) - len(marker)]))
    template.literal(marker + trail)


def _emphasis_marker(body: str) -> str:
    """The ``**`` or ``_`` wrapping a whole line, kept out of the unit like other syntax."""
    match = _MD_EMPHASIS.fullmatch(body)
    return match.group(1) if match and match.group(1) not in match.group(2) else ""


def _plain(data: bytes, fmt: str, line: Callable[[str, _Template], None]) -> ExtractedDocument:
    bom, text = _decode(data)
    template = _lines(text, line)

    def rebuild(translations: list[str]) -> bytes:
        return (bom + template.fill(translations)).encode("utf-8")

    media_type = "text/plain" if fmt == "txt" else "text/markdown"
    return _document(fmt, template.units, rebuild, f"{media_type}; charset=utf-8", f".{fmt}")


def _txt(data: bytes, max_pages: int) -> ExtractedDocument:
    return _plain(data, "txt", _text_line)


def _md(data: bytes, max_pages: int) -> ExtractedDocument:
    return _plain(data, "md", _MarkdownLines())


# -- srt: one unit per subtitle ------------------------------------------------------------------


def _srt(data: bytes, max_pages: int) -> ExtractedDocument:
    bom, text = _decode(data)
    eol = "\r\n" if "\r\n" in text else "\n"
    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError, TypeError) as exc:
        raise DocumentError("corrupt_document", f"The subtitle file is malformed: {exc}") from exc
    units = [sub.content.strip() for sub in subtitles if _translatable(sub.content)]

    def rebuild(translations: list[str]) -> bytes:
        pending = iter(translations)
        out = [
            srt.Subtitle(
                sub.index,
                sub.start,
                sub.end,
                _keep_space(sub.content, next(pending)),
                sub.proprietary,
            )
            if _translatable(sub.content)
            else sub
            for sub in subtitles
        ]
        return (bom + srt.compose(out, reindex=False, eol=eol)).encode("utf-8")

    return _document("srt", units, rebuild, "application/x-subrip; charset=utf-8", ".srt")


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
                if isinstance(node.get(name), str) and _translatable(node[name])  # type: ignore[arg-type]
            ]
            stack.append(iter(node.contents))
        elif (
            isinstance(node, NavigableString)
            and not isinstance(node, PreformattedString)
            and _translatable(node)
        ):
            slots.append(node)
    return slots


def _slot_text(slot: _HtmlSlot) -> str:
    text = str(slot[0][slot[1]]) if isinstance(slot, tuple) else str(slot)
    return " ".join(text.split())


def _html(data: bytes, max_pages: int) -> ExtractedDocument:
    bom, text = _decode(data)
    units = [_slot_text(slot) for slot in _html_slots(BeautifulSoup(text, "html.parser"))]

    def rebuild(translations: list[str]) -> bytes:
        soup = BeautifulSoup(text, "html.parser")
        for slot, translation in zip(_html_slots(soup), translations, strict=True):
            if isinstance(slot, tuple):
                tag, name = slot
                tag[name] = _keep_space(str(tag[name]), translation)
            else:
                slot.replace_with(type(slot)(_keep_space(str(slot), translation)))
        return bom.encode("utf-8") + soup.encode("utf-8", formatter=_HTML_FORMATTER)

    return _document("html", units, rebuild, "text/html; charset=utf-8", ".html")


# -- docx: one unit per paragraph --------------------------------------------------------------

_MAX_UNZIPPED = 256 * 1024 * 1024
_HEADERS_FOOTERS = (
    "header",
    "first_page_header",
    "even_page_header",
    "footer",
    "first_page_footer",
    "even_page_footer",
)
_RUN_TEXT_TAGS = frozenset(qn(tag) for tag in ("w:t", "w:tab", "w:cr", "w:noBreakHyphen", "w:ptab"))
_RUN_LINE_BREAK = re.compile(r"(\t|\n)")


def _open_docx(data: bytes) -> DocxDocument:
    """python-docx on the bytes, refusing archives that would inflate past a sane size."""
    with _reading("Word document"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
        if unzipped > _MAX_UNZIPPED:
            raise DocumentError(
                "document_too_large", "This Word document expands to more than 256 MiB."
            )
        return Document(io.BytesIO(data))


def _blocks(container: _Element, parent: object) -> Iterator[Paragraph]:
    """Paragraphs of a body, cell or header, entering tables (nested too) and content controls."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            yield Paragraph(child, parent)  # type: ignore[arg-type]
        elif child.tag == qn("w:tbl"):
            for cell in child.iterchildren(qn("w:tr")):
                for tc in cell.iterchildren(qn("w:tc")):
                    yield from _blocks(tc, parent)
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, parent)


def _docx_paragraphs(document: DocxDocument) -> Iterator[Paragraph]:
    """Body first, then each section's own headers and footers (linked ones are the same part)."""
    yield from _blocks(document.element.body, document)
    seen: set[int] = set()
    for section in document.sections:
        for name in _HEADERS_FOOTERS:
            story = getattr(section, name)
            if not story.is_linked_to_previous and id(story.part) not in seen:
                seen.add(id(story.part))
                yield from _blocks(story._element, story)


def _text_runs(paragraph: Paragraph) -> list[Run]:
    """Runs holding the paragraph's text, inside hyperlinks and fields too, never in text boxes."""
    runs = paragraph._p.xpath(".//w:r[not(ancestor::w:txbxContent)]")
    return [run for run in (Run(r, paragraph) for r in runs) if run.text]


def _is_text(element: _Element) -> bool:
    """Text-bearing run content; page and column breaks are layout and stay."""
    if element.tag == qn("w:br"):
        return element.get(qn("w:type")) in (None, "textWrapping")
    return element.tag in _RUN_TEXT_TAGS


def _write_paragraph(runs: list[Run], original: str, translation: str) -> None:
    """The translation takes the first text run's place (its formatting wins); the others empty.

    Drawings, page breaks and run properties are kept where they were.
    """
    first = runs[0]._r
    position = next(index for index, child in enumerate(first) if _is_text(child))
    for run in runs:
        for child in [child for child in run._r if _is_text(child)]:
            run._r.remove(child)
    kept = len(first)
    for piece in _RUN_LINE_BREAK.split(_keep_space(original, translation)):
        if piece == "\t":
            runs[0].add_tab()
        elif piece == "\n":
            runs[0].add_break()
        elif piece:
            runs[0].add_text(piece)
    for offset, element in enumerate(list(first)[kept:]):
        first.insert(position + offset, element)


def _docx(data: bytes, max_pages: int) -> ExtractedDocument:
    """``pages`` is an estimate (40 paragraphs a page): .docx files store no page count."""
    paragraphs = [
        "".join(run.text for run in _text_runs(p)) for p in _docx_paragraphs(_open_docx(data))
    ]
    pages = len(paragraphs) // 40 + 1
    if pages > max_pages:
        raise DocumentError(
            "too_many_pages", f"This document has about {pages} pages; the limit is {max_pages}."
        )
    units = [text.strip() for text in paragraphs if _translatable(text)]

    def rebuild(translations: list[str]) -> bytes:
        document = _open_docx(data)
        pending = iter(translations)
        for paragraph in _docx_paragraphs(document):
            runs = _text_runs(paragraph)
            original = "".join(run.text for run in runs)
            if _translatable(original):
                _write_paragraph(runs, original, next(pending))
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()

    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _document("docx", units, rebuild, media_type, ".docx", pages)


# -- pdf: paragraphs of each page, rebuilt as Markdown --------------------------------------------

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HYPHEN_BREAK = re.compile(r"([^\W\d_])-[ \t]*\n[ \t]*([^\W\d_])")


def _open_pdf(data: bytes) -> PdfReader:
    """A readable PDF; encryption without an empty user password is refused, not guessed."""
    with _reading("PDF"):
        try:
            reader = PdfReader(io.BytesIO(data))
            locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
        except DependencyError as exc:  # AES needs the optional cryptography package
            raise DocumentError(
                "encrypted_document", f"This PDF uses an encryption the server cannot read: {exc}"
            ) from exc
    if locked:
        raise DocumentError(
            "encrypted_document", "This PDF needs a password; remove it and upload it again."
        )
    return reader


def _page_texts(reader: PdfReader, max_pages: int) -> list[str]:
    with _reading("PDF"):
        count = len(reader.pages)
        if count > max_pages:
            raise DocumentError(
                "too_many_pages", f"This PDF has {count} pages; the limit is {max_pages}."
            )
        return [page.extract_text() or "" for page in reader.pages]


def _unhyphenate(match: re.Match[str]) -> str:
    """A word cut at a line end ("transla-\\ntion") is joined; "Port-\\nAu" keeps its hyphen."""
    before, after = match.groups()
    return before + after if after.islower() else f"{before}-{after}"


def _paragraphs(page_text: str) -> list[str]:
    """Blank-line separated blocks, or lines when the page has no blank line; one line each."""
    text = _HYPHEN_BREAK.sub(_unhyphenate, page_text.replace("\r\n", "\n"))
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _pdf(data: bytes, max_pages: int) -> ExtractedDocument:
    pages = [_paragraphs(text) for text in _page_texts(_open_pdf(data), max_pages)]
    units = [paragraph for page in pages for paragraph in page if _translatable(paragraph)]
    if not units:
        raise DocumentError(
            "no_text", "This PDF has no extractable text (a scanned PDF?); run OCR first."
        )

    def rebuild(translations: list[str]) -> bytes:
        pending = iter(translations)
        blocks: list[str] = []
        for number, paragraphs in enumerate(pages, start=1):
            blocks.append(f"# Page {number}")
            blocks += [next(pending) if _translatable(p) else p for p in paragraphs]
        return ("\n\n".join(blocks) + "\n").encode("utf-8")

    return _document("pdf", units, rebuild, "text/markdown; charset=utf-8", ".md", len(pages))


_EXTRACTORS: dict[str, Callable[[bytes, int], ExtractedDocument]] = {
    "txt": _txt,
    "md": _md,
    "srt": _srt,
    "html": _html,
    "docx": _docx,
    "pdf": _pdf,
}
