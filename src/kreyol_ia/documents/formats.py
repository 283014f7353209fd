"""Which supported format an uploaded file is, decided from its bytes, not from its name.

Names lie (a renamed file, a wrong extension); the extension only breaks ties that the content
cannot: plain text versus Markdown, and undecodable text versus binary.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

from kreyol_ia.documents.model import DocumentError

SUPPORTED = ("txt", "md", "srt", "html", "docx", "pdf")
SUPPORTED_TEXT = "plain text (.txt), Markdown (.md), subtitles (.srt), HTML, Word (.docx) and PDF"

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_TEXT_SUFFIXES = {".txt", ".text", ".srt", ".html", ".htm", ".xhtml", *_MARKDOWN_SUFFIXES}
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_SNIFF = 8192

_HTML_DOCUMENT = re.compile(
    r"(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S
)
_HTML_FRAGMENT = re.compile(
    r"(?:<!--.*?-->\s*)*<(?:head|body|meta|title|link|style|script|div|p|h[1-6]|table|ul|ol"
    r"|section|article|header|footer|main|nav|span|a|br|img|form|blockquote)[\s>/]",
    re.I | re.S,
)
_OTHER_MARKUP = re.compile(r"<\?xml|<svg[\s>]|\{\\rtf", re.I)
_SRT_FIRST_BLOCK = re.compile(
    r"\d+[ \t]*\r?\n\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}[ \t]*-->[ \t]*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}"
)


def detect_format(filename: str, data: bytes) -> str:
    """One of ``SUPPORTED``, judged from the content so a wrong extension cannot mislead."""
    head = data.lstrip(b" \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_ZIP_MAGICS):
        return _zip_format(filename, data)
    if data.startswith(_OLE_MAGIC):
        raise _ole_error(filename, data)
    if data.startswith(_UTF16_BOMS):
        raise DocumentError("invalid_encoding", "The file is UTF-16 text; save it as UTF-8.")
    if _looks_binary(filename, data):
        raise _unsupported("This file is binary")
    return _text_format(filename, data[:_SNIFF].decode("utf-8", errors="replace"))


def _suffix(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def _unsupported(what: str) -> DocumentError:
    return DocumentError("unsupported_format", f"{what}; supported formats: {SUPPORTED_TEXT}.")


def _zip_format(filename: str, data: bytes) -> str:
    """A ZIP is a .docx only if it holds the Word body; a damaged one is reported as such."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        if _suffix(filename) == ".docx" or b"word/" in data[:_SNIFF]:
            raise DocumentError(
                "corrupt_document", "This Word document is damaged (not a readable ZIP archive)."
            ) from exc
        raise _unsupported("This file is a damaged ZIP archive") from exc
    if "word/document.xml" in names:
        return "docx"
    if _suffix(filename) == ".docx" and "[Content_Types].xml" in names:
        raise DocumentError("corrupt_document", "This Word document has no word/document.xml.")
    raise _unsupported("ZIP archives other than Word documents are not supported")


def _ole_error(filename: str, data: bytes) -> DocumentError:
    """Office stores password-protected .docx files in an OLE container, like legacy .doc files."""
    if "EncryptedPackage".encode("utf-16-le") in data or _suffix(filename) == ".docx":
        return DocumentError(
            "encrypted_document",
            "This Word document is password-protected (or a legacy .doc); remove the password "
            "or save it as .docx, then upload it again.",
        )
    return _unsupported("Legacy Office files (.doc, .xls, .ppt) are not supported; save as .docx")


def _looks_binary(filename: str, data: bytes) -> bool:
    """NUL bytes mean binary; undecodable bytes with few control codes may be legacy-encoded text.

    Such text passes (the extractor then asks for UTF-8) only when the name says it is text.
    """
    sample = data[:_SNIFF]
    if b"\x00" in sample:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
        return controls > len(sample) // 100 or _suffix(filename) not in _TEXT_SUFFIXES
    return False


def _text_format(filename: str, text: str) -> str:
    head = text.lstrip("\ufeff \t\r\n")
    markdown = _suffix(filename) in _MARKDOWN_SUFFIXES
    if _HTML_DOCUMENT.match(head):
        return "html"
    if _HTML_FRAGMENT.match(head) and not markdown:
        return "html"
    if _OTHER_MARKUP.match(head):
        raise _unsupported("XML, SVG and RTF files are not supported")
    if _SRT_FIRST_BLOCK.match(head):
        return "srt"
    return "md" if markdown else "txt"
