"""Word and PDF extraction, with cheap structural limits checked before and while parsing.

A .docx is a ZIP: declared sizes, compression ratios and the bytes actually inflated are
counted, and its XML parts are streamed through a counting parser (no DTDs, no entities)
before python-docx builds a tree. PDFs parse under pypdf's own limits, lowered to ours.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import iterparse
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.etree import _Element
from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, LimitReachedError

from kreyol_ia.documents import runs
from kreyol_ia.documents.model import DocumentError, ExtractedDocument, MiB, ParseLimits
from kreyol_ia.documents.units import document, reading, translatable

PARAGRAPHS_PER_PAGE = 40
_CHUNK = 64 * 1024
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
_PARAGRAPH = qn("w:p")


def _bomb(what: str) -> DocumentError:
    return DocumentError("decompression_bomb", f"This Word document {what}; it was refused.")


class _CountingReader(io.RawIOBase):
    """A ZIP member read in chunks, refusing it once it inflates past ``budget`` bytes."""

    def __init__(self, member: IO[bytes], budget: int):
        self.member = member
        self.budget = budget
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self.member.read(min(len(buffer), _CHUNK))
        self.count += len(chunk)
        if self.count > self.budget:
            raise _bomb("inflates past its declared size or the server's limit")
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _check_archive(data: bytes, limits: ParseLimits) -> None:
    """Refuse a .docx by its ZIP directory and by streaming its XML, before any tree is built."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > limits.max_member_bytes:
                raise _bomb(f"holds a part larger than {limits.max_member_bytes // MiB} MiB")
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MiB and ratio > limits.max_compression_ratio:
                raise _bomb(f"holds a part compressed {int(ratio)}:1")
        if total > limits.max_unzipped_bytes:
            raise DocumentError(
                "document_too_large",
                f"This Word document expands to more than {limits.max_unzipped_bytes // MiB} MiB.",
            )
        elements = paragraphs = 0
        for info in infos:
            if not (info.filename.startswith("word/") and info.filename.endswith(".xml")):
                continue
            with archive.open(info) as member:
                for _, element in iterparse(
                    io.BufferedReader(_CountingReader(member, info.file_size)), forbid_dtd=True
                ):
                    elements += 1
                    paragraphs += element.tag == _PARAGRAPH
                    element.clear()
                    if elements > limits.max_xml_elements:
                        raise DocumentError(
                            "document_too_complex",
                            f"This Word document has more than {limits.max_xml_elements} elements.",
                        )
                    _check_pages(paragraphs // PARAGRAPHS_PER_PAGE + 1, limits.max_pages)


def _check_pages(pages: int, max_pages: int) -> None:
    if pages > max_pages:
        raise DocumentError(
            "too_many_pages", f"This document has about {pages} pages; the limit is {max_pages}."
        )


def _open_docx(data: bytes, limits: ParseLimits) -> DocxDocument:
    """python-docx on the bytes, once the archive has passed the structural limits."""
    with reading("Word document"):
        try:
            _check_archive(data, limits)
        except DefusedXmlException as exc:
            raise DocumentError(
                "document_too_complex", "This Word document declares a DTD or entities."
            ) from exc
        return Document(io.BytesIO(data))


def _blocks(container: _Element, parent: object) -> Iterator[Paragraph]:
    """Paragraphs of a body, cell or header, entering tables (nested too) and content controls."""
    for child in container.iterchildren():
        if child.tag == _PARAGRAPH:
            yield Paragraph(child, parent)  # type: ignore[arg-type]
        elif child.tag == qn("w:tbl"):
            for cell in child.iterchildren(qn("w:tr")):
                for tc in cell.iterchildren(qn("w:tc")):
                    yield from _blocks(tc, parent)
        elif child.tag == qn("w:sdt"):
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _blocks(content, parent)


def _docx_paragraphs(doc: DocxDocument) -> Iterator[Paragraph]:
    """Body first, then each section's own headers and footers (linked ones are the same part)."""
    yield from _blocks(doc.element.body, doc)
    seen: set[int] = set()
    for section in doc.sections:
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


def _put(runs: list[Run], text: str) -> None:
    """``text`` takes the first text run's place (its formatting wins); the others empty.

    Drawings, page breaks and run properties are kept where they were.
    """
    first = runs[0]._r
    position = next(index for index, child in enumerate(first) if _is_text(child))
    for run in runs:
        for child in [child for child in run._r if _is_text(child)]:
            run._r.remove(child)
    kept = len(first)
    for piece in _RUN_LINE_BREAK.split(text):
        if piece == "\t":
            runs[0].add_tab()
        elif piece == "\n":
            runs[0].add_break()
        elif piece:
            runs[0].add_text(piece)
    for offset, element in enumerate(list(first)[kept:]):
        first.insert(position + offset, element)


def extract_docx(data: bytes, limits: ParseLimits) -> ExtractedDocument:
    """``pages`` is an estimate (40 paragraphs a page): .docx files store no page count."""
    with reading("Word document"):
        every = [_text_runs(p) for p in _docx_paragraphs(_open_docx(data, limits))]
        paragraphs = [p for p in every if translatable("".join(r.text for r in p))]
        units = ["".join(run.text for run in texts).strip() for texts in paragraphs]
        hints = [span for texts in paragraphs for span in runs.spans(texts)]
    pages = len(every) // PARAGRAPHS_PER_PAGE + 1
    _check_pages(pages, limits.max_pages)

    def rebuild(translations: list[str], hinted: list[str]) -> bytes:
        doc = _open_docx(data, limits)
        pending, spans = iter(translations), iter(hinted)
        for paragraph in _docx_paragraphs(doc):
            texts = _text_runs(paragraph)
            original = "".join(run.text for run in texts)
            if translatable(original):
                found = [next(spans) for _ in runs.spans(texts)]
                runs.write(texts, original, next(pending), found, _put)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()

    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return document("docx", units, rebuild, media_type, ".docx", pages, hints)


# -- pdf: paragraphs of each page, rebuilt as Markdown (pages apart by a rule) ---------------------

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HYPHEN_BREAK = re.compile(r"([^\W\d_])-[ \t]*\n[ \t]*([^\W\d_])")


def _pdf_limits(limits: ParseLimits) -> dict[str, int]:
    """pypdf's resource limits, lowered from its 75 MB defaults to the server's stream budget."""
    stream = limits.max_stream_bytes
    return {
        "maximum_declared_stream_length": stream,
        "array_based_stream_maximum_output_length": stream,
        "zlib_maximum_output_length": stream,
        "lzw_maximum_output_length": stream,
        "run_length_maximum_output_length": stream,
        "brotli_maximum_output_length": stream,
        "jbig2_maximum_output_length": stream,
        "image_maximum_buffer_size": stream,
        "stream_decoding_work_maximum_length": 4 * stream,
        "stream_parsing_work_maximum_count": 300_000,
    }


def _open_pdf(data: bytes) -> PdfReader:
    """A readable PDF; encryption without an empty user password is refused, not guessed."""
    with reading("PDF"):
        try:
            reader = PdfReader(io.BytesIO(data))
            locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
        except DependencyError as exc:  # AES needs the optional cryptography package
            raise DocumentError(
                "encrypted_document",
                "This PDF uses an encryption the server cannot read; remove it and upload again.",
            ) from exc
    if locked:
        raise DocumentError(
            "encrypted_document", "This PDF needs a password; remove it and upload it again."
        )
    return reader


def _page_texts(reader: PdfReader, limits: ParseLimits) -> list[str]:
    with reading("PDF"):
        count = len(reader.pages)
        if count > limits.max_pages:
            raise DocumentError(
                "too_many_pages", f"This PDF has {count} pages; the limit is {limits.max_pages}."
            )
        texts: list[str] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            if len(text) > limits.max_page_characters:
                raise DocumentError(
                    "document_too_complex",
                    f"Page {number} of this PDF has more than {limits.max_page_characters} "
                    "characters of text.",
                )
            texts.append(text)
        return texts


def _unhyphenate(match: re.Match[str]) -> str:
    """A word cut at a line end ("transla-\\ntion") is joined; "Port-\\nAu" keeps its hyphen."""
    before, after = match.groups()
    return before + after if after.islower() else f"{before}-{after}"


def _paragraphs(page_text: str) -> list[str]:
    """Blank-line separated blocks, or lines when the page has no blank line; one line each."""
    text = _HYPHEN_BREAK.sub(_unhyphenate, page_text.replace("\r\n", "\n"))
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [" ".join(block.split()) for block in blocks if block.strip()]


def extract_pdf(data: bytes, limits: ParseLimits) -> ExtractedDocument:
    try:
        with apply_configuration(**_pdf_limits(limits)):
            pages = [_paragraphs(text) for text in _page_texts(_open_pdf(data), limits)]
    except DocumentError as exc:
        limit = exc.__cause__
        if isinstance(limit, LimitReachedError):
            if "decompress" in str(limit).lower():
                raise DocumentError(
                    "decompression_bomb",
                    "This PDF inflates past the server's limits (a compressed stream or object "
                    "is too large); it was refused.",
                ) from exc
            raise DocumentError(
                "document_too_complex",
                "This PDF has more drawing or text operations than the server reads per page.",
            ) from exc
        raise
    units = [paragraph for page in pages for paragraph in page if translatable(paragraph)]
    if not units:
        raise DocumentError(
            "no_text", "This PDF has no extractable text (a scanned PDF?); run OCR first."
        )

    def rebuild(translations: list[str]) -> bytes:
        """Paragraphs apart by blank lines, pages by a horizontal rule: no words of our own."""
        pending = iter(translations)
        texts = [
            "\n\n".join(next(pending) if translatable(p) else p for p in paragraphs)
            for paragraphs in pages
        ]
        return ("\n\n---\n\n".join(text for text in texts if text) + "\n").encode("utf-8")

    return document("pdf", units, rebuild, "text/markdown; charset=utf-8", ".md", len(pages))
