"""Per-format extraction and re-assembly: what a translator sees, and a faithful file back.

Every fixture is built here at test time (python-docx, pypdf, strings); no binary is committed.
"""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import docx
import pytest
import srt
from bs4 import BeautifulSoup
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from kreyol_ia.documents.extract import extract
from kreyol_ia.documents.formats import SUPPORTED, detect_format
from kreyol_ia.documents.model import DocumentError


def upper(units: list[str]) -> list[str]:
    return [unit.upper() for unit in units]


def error_code(filename: str, data: bytes, **kwargs: object) -> str:
    with pytest.raises(DocumentError) as caught:
        extract(filename, data, **kwargs)
    return caught.value.code


# -- fixtures built at test time ----------------------------------------------------------------

TXT = "Health notice\n\n- Wash your hands.\n  * Drink clean water.\n3. Rest well.\n-----\n12:30\n"

MD = (
    "---\ntitle: Clean water\n---\n"
    "# Clean water\n"
    "\n"
    "## Why it matters\n"
    "- Wash your hands.\n"
    "1. Run `make test` then read [the guide](https://example.org/guide) now.\n"
    "> **Boil water first**\n"
    "\n"
    "```bash\necho do not translate\n```\n"
    "| Name | Role |\n|---|---|\n| Ana | Nurse |\n"
    "[ref]: https://example.org/ref\n"
)

SRT = (
    "1\n00:00:01,000 --> 00:00:03,500\nWash your hands.\n\n"
    "2\n00:00:04,000 --> 00:00:06,250\nDrink clean water\nevery day.\n\n"
    "3\n00:00:07,000 --> 00:00:08,000\n♪\n\n"
)

HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Health tips</title>
<style>p { color: red; }</style>
<script>var message = "Do not translate";</script></head>
<body>
  <!-- Internal comment -->
  <h1 class="big" id="top">Clean water</h1>
  <p>Wash your hands <a href="/soap" title="About soap">with soap</a>.</p>
  <img src="pump.png" alt="A water pump">
  <pre>keep   this as is</pre>
  <p>Run <code>make test</code> daily.</p>
  <noscript>Enable scripts</noscript>
  <p>2024</p>
</body>
</html>
"""


def docx_bytes(extra_paragraphs: int = 0) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "Ministry of Health"
    section.footer.paragraphs[0].text = "Keep this leaflet"
    document.add_heading("Clean water", level=1)
    paragraph = document.add_paragraph()
    paragraph.add_run("Wash ").bold = True
    paragraph.add_run("your hands").italic = True
    paragraph.add_run(" often.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Name"
    table.cell(0, 1).text = "Role"
    table.cell(1, 0).text = "Ana"
    table.cell(1, 1).add_table(rows=1, cols=1).cell(0, 0).text = "Nurse"
    document.add_paragraph("Drink clean water.")
    for number in range(extra_paragraphs):
        document.add_paragraph(f"Line {number}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


DOCX_UNITS = [
    "Clean water",
    "Wash your hands often.",
    "Name",
    "Role",
    "Ana",
    "Nurse",
    "Drink clean water.",
    "Ministry of Health",
    "Keep this leaflet",
]


def pdf_bytes(pages: list[list[str]]) -> bytes:
    """One Helvetica text line per entry; a " " line comes out as a blank line."""
    writer = PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for lines in pages:
        page = writer.add_blank_page(612, 792)
        drawn = " ".join(f"({line}) Tj T*" for line in lines)
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 12 Tf 14 TL 72 720 Td {drawn} ET".encode("latin-1"))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF_PAGES = [
    [
        "Wash your hands with soap and",
        "clean water before every meal.",
        " ",
        "Boil the transla-",
        "tion.",
    ],
    ["Drink clean water.", "Rest well.", "12"],
]


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(PDF_PAGES))))
    writer.encrypt(user_password, "owner-secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


# -- detection ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("notes.txt", TXT.encode(), "txt"),
        ("notes.md", TXT.encode(), "md"),
        ("README", MD.encode(), "txt"),
        ("notes.docx", TXT.encode(), "txt"),
        ("movie.txt", SRT.encode(), "srt"),
        ("movie.srt", ("\ufeff\r\n" + SRT.replace("\n", "\r\n")).encode(), "srt"),
        ("page.txt", HTML.encode(), "html"),
        ("page", b"\xef\xbb\xbf  \n<p>Hello</p>", "html"),
        ("readme.md", b'<p align="center">Logo</p>\n# Title\n', "md"),
        ("readme.md", b"<!doctype html><html><body>Hi</body></html>", "html"),
        ("report.pdf", docx_bytes(), "docx"),
        ("report.docx", pdf_bytes([["Hello there."]]), "pdf"),
    ],
)
def test_detects_format_from_content_not_name(filename: str, data: bytes, expected: str) -> None:
    assert detect_format(filename, data) == expected
    assert expected in SUPPORTED


@pytest.mark.parametrize(
    ("filename", "data"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32)),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
        ("blob.bin", bytes(range(256)) * 4),
        ("notes.txt", b"Hello\x00world"),
        ("archive.zip", zip_bytes({"a.txt": b"hello"})),
        ("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)),
        ("latin1.bin", "Café au lait".encode("latin-1")),
        ("data.txt", b'<?xml version="1.0"?><note>Hello</note>'),
        ("letter.txt", b"{\\rtf1\\ansi Hello}"),
    ],
)
def test_binary_and_other_formats_are_unsupported(filename: str, data: bytes) -> None:
    with pytest.raises(DocumentError) as caught:
        detect_format(filename, data)
    assert caught.value.code == "unsupported_format"
    assert ".docx" in caught.value.message and "PDF" in caught.value.message


def test_legacy_encoded_text_is_asked_for_in_utf8() -> None:
    assert error_code("notes.txt", "Kafe a bon, café.\n".encode("latin-1")) == "invalid_encoding"
    assert error_code("page.html", "<p>Café</p>".encode("latin-1")) == "invalid_encoding"
    assert error_code("notes.txt", "Bonjou".encode("utf-16")) == "invalid_encoding"


def test_damaged_and_encrypted_word_files() -> None:
    good = docx_bytes()
    assert error_code("report.docx", good[: len(good) // 2]) == "corrupt_document"
    assert error_code("report.docx", b"PK\x03\x04 not really a zip") == "corrupt_document"
    assert error_code("report.docx", zip_bytes({"[Content_Types].xml": b"<x/>"})) == (
        "corrupt_document"
    )
    broken_body = zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w:document"})
    assert error_code("report.bin", broken_body) == "corrupt_document"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)
    assert error_code("secret.docx", ole) == "encrypted_document"
    assert error_code("secret", ole + "EncryptedPackage".encode("utf-16-le")) == (
        "encrypted_document"
    )


# -- plain text -----------------------------------------------------------------------------------


def test_txt_units_are_lines_without_layout() -> None:
    document = extract("notes.txt", TXT.encode())
    assert document.units == [
        "Health notice",
        "Wash your hands.",
        "Drink clean water.",
        "Rest well.",
    ]
    assert (document.format, document.suffix) == ("txt", ".txt")
    assert document.media_type == "text/plain; charset=utf-8"
    assert document.rebuild(upper(document.units)).decode() == (
        "HEALTH NOTICE\n\n- WASH YOUR HANDS.\n  * DRINK CLEAN WATER.\n3. REST WELL.\n-----\n12:30\n"
    )


@pytest.mark.parametrize("text", ["One.\r\n\r\n  Two.\r\n", "One.\nTwo.", "\ufeffOne.\n"])
def test_txt_keeps_line_endings_final_newline_and_bom(text: str) -> None:
    document = extract("notes.txt", text.encode())
    rebuilt = document.rebuild(document.units).decode()
    assert rebuilt == text
    assert document.rebuild(upper(document.units)).decode() == text.upper()


def test_empty_text_has_no_units() -> None:
    document = extract("empty.txt", b"")
    assert document.units == []
    assert document.rebuild([]) == b""


def test_rebuild_refuses_a_wrong_number_of_translations() -> None:
    document = extract("notes.txt", TXT.encode())
    with pytest.raises(DocumentError) as caught:
        document.rebuild(["only one"])
    assert caught.value.code == "translation_count_mismatch"


# -- markdown -------------------------------------------------------------------------------------


def test_markdown_units_leave_syntax_code_and_urls_out() -> None:
    document = extract("guide.md", MD.encode())
    assert document.units == [
        "Clean water",
        "Why it matters",
        "Wash your hands.",
        "Run {0} then read [the guide]{1} now.",
        "Boil water first",
        "Name",
        "Role",
        "Ana",
        "Nurse",
    ]
    assert document.media_type == "text/markdown; charset=utf-8"
    assert document.suffix == ".md"


def test_markdown_round_trip_translates_in_place() -> None:
    document = extract("guide.md", MD.encode())
    assert document.rebuild(upper(document.units)).decode() == (
        "---\ntitle: Clean water\n---\n"
        "# CLEAN WATER\n"
        "\n"
        "## WHY IT MATTERS\n"
        "- WASH YOUR HANDS.\n"
        "1. RUN `make test` THEN READ [THE GUIDE](https://example.org/guide) NOW.\n"
        "> **BOIL WATER FIRST**\n"
        "\n"
        "```bash\necho do not translate\n```\n"
        "| NAME | ROLE |\n|---|---|\n| ANA | NURSE |\n"
        "[ref]: https://example.org/ref\n"
    )


def test_markdown_keeps_code_and_urls_a_translator_dropped_or_spaced() -> None:
    document = extract("a.md", b"Run `make` and see [docs](https://x.org) here.\r\n")
    assert document.rebuild(["Kouri {0} epi gade [dok] {1} la."]) == (
        b"Kouri `make` epi gade [dok](https://x.org) la.\r\n"
    )
    assert document.rebuild(["Kouri."]) == b"Kouri. `make` (https://x.org)\r\n"


def test_markdown_text_that_looks_like_a_placeholder_survives() -> None:
    document = extract("a.md", b"Write {0} in the box.\n")
    assert document.units == ["Write {0} in the box."]
    assert document.rebuild(["Ekri {0} nan bwat la."]) == b"Ekri {0} nan bwat la.\n"


# -- subtitles ------------------------------------------------------------------------------------


def test_srt_units_are_subtitles_and_timings_survive() -> None:
    document = extract("movie.srt", SRT.encode())
    assert document.units == ["Wash your hands.", "Drink clean water\nevery day."]
    assert document.suffix == ".srt"
    rebuilt = list(srt.parse(document.rebuild(upper(document.units)).decode()))
    original = list(srt.parse(SRT))
    assert [(s.index, s.start, s.end) for s in rebuilt] == [
        (s.index, s.start, s.end) for s in original
    ]
    assert rebuilt[1].end == timedelta(seconds=6, milliseconds=250)
    assert [s.content for s in rebuilt] == [
        "WASH YOUR HANDS.",
        "DRINK CLEAN WATER\nEVERY DAY.",
        "♪",
    ]


def test_srt_keeps_windows_line_endings_and_original_indices() -> None:
    text = SRT.replace("1\n00:00:01", "7\n00:00:01").replace("\n", "\r\n")
    document = extract("movie.srt", text.encode())
    rebuilt = document.rebuild(document.units).decode()
    assert rebuilt == text
    assert rebuilt.startswith("7\r\n00:00:01,000 --> 00:00:03,500\r\n")


def test_malformed_srt_is_refused_saying_which_block() -> None:
    bad = SRT + "4\n00:00:09,000 -> 00:00:10,000\nBroken arrow.\n"
    assert error_code("movie.srt", bad.encode()) == "invalid_srt"


@pytest.mark.parametrize(
    ("block", "why"),
    [
        ("1\n99:99:99,999 --> 99:99:99,999\nHello.\n", "invalid timing"),
        ("1\n00:00:05,000 --> 00:00:02,000\nHello.\n", "ends before it starts"),
        ("1\n00:00:01,000 --> 00:00:02,000\nHello.\n\nNo timing here.\n", "without a timestamp"),
    ],
)
def test_srt_with_impossible_or_missing_timings_is_invalid(block: str, why: str) -> None:
    with pytest.raises(DocumentError) as caught:
        extract("movie.srt", block.encode())
    assert caught.value.code == "invalid_srt"
    assert "block 1" in caught.value.message and why in caught.value.message


# -- html -----------------------------------------------------------------------------------------


def test_html_units_skip_code_scripts_and_comments() -> None:
    document = extract("page.html", HTML.encode())
    assert document.units == [
        "Health tips",
        "Clean water",
        "Wash your hands",
        "About soap",
        "with soap",
        "A water pump",
        "Run",
        "daily.",
    ]
    assert document.media_type == "text/html; charset=utf-8"


def tags(soup: BeautifulSoup) -> list[tuple[str, dict[str, object]]]:
    return [
        (tag.name, {k: v for k, v in tag.attrs.items() if k not in {"alt", "title"}})
        for tag in soup.find_all(True)
    ]


def test_html_round_trip_keeps_tags_attributes_and_spacing() -> None:
    document = extract("page.html", HTML.encode())
    rebuilt = document.rebuild(upper(document.units)).decode()
    before, after = BeautifulSoup(HTML, "html.parser"), BeautifulSoup(rebuilt, "html.parser")
    assert tags(after) == [tag for tag in tags(before) if tag[0] != "script"]
    assert after.html["lang"] == "en"
    assert after.title.string == "HEALTH TIPS"
    assert after.find("a")["title"] == "ABOUT SOAP"
    assert '<img src="pump.png" alt="A WATER PUMP"/>' in rebuilt
    assert '<h1 class="big" id="top">CLEAN WATER</h1>' in rebuilt
    assert "<p>WASH YOUR HANDS <a" in rebuilt and "</a>.</p>" in rebuilt
    assert "<p>RUN <code>make test</code> DAILY.</p>" in rebuilt
    assert "Do not translate" not in rebuilt  # scripts are removed from translated pages
    assert "<!-- Internal comment -->" in rebuilt and "<pre>keep   this as is</pre>" in rebuilt
    assert "Enable scripts" in rebuilt and "<p>2024</p>" in rebuilt
    assert rebuilt.startswith("<!DOCTYPE html>")


def test_translated_html_loses_scripts_event_handlers_and_script_urls() -> None:
    page = (
        '<p onclick="steal()">Wash your hands.</p><script>steal()</script>'
        '<a href=" JavaScript:steal()" title="Soap">Soap</a><img src="a.png" OnError="x()">'
        '<a href="https://example.org/">Water</a>'
    )
    document = extract("page.html", page.encode())
    rebuilt = document.rebuild(upper(document.units)).decode()
    assert "steal" not in rebuilt and "x()" not in rebuilt and "<script" not in rebuilt
    assert '<a href="https://example.org/">WATER</a>' in rebuilt and "WASH YOUR HANDS." in rebuilt


def test_html_deep_nesting_is_no_crash() -> None:
    deep = "<div>" * 5000 + "Hello there" + "</div>" * 5000
    document = extract("deep.html", deep.encode())
    assert document.units == ["Hello there"]
    assert b"HELLO THERE" in document.rebuild(upper(document.units))


# -- robustness -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["a.txt", "a.md", "a.srt", "a.html", "a.docx", "a.pdf"])
def test_damaged_inputs_only_ever_raise_document_error(name: str) -> None:
    samples = {
        "a.txt": TXT.encode(),
        "a.md": MD.encode(),
        "a.srt": SRT.encode(),
        "a.html": HTML.encode(),
        "a.docx": docx_bytes(),
        "a.pdf": pdf_bytes(PDF_PAGES),
    }
    good = samples[name]
    for cut in range(1, 20):
        damaged = bytearray(good[: len(good) * cut // 20])
        if damaged:
            damaged[len(damaged) // 2] ^= 0xFF
        try:
            document = extract(name, bytes(damaged))
            document.rebuild(document.units)
        except DocumentError:
            pass


def test_long_runs_of_spaces_and_backticks_stay_linear() -> None:
    line = "a" + " " * 200_000 + "b `x` " + "``y" * 50_000 + " [t](" + "u" * 100_000
    document = extract("long.md", (line + "\n").encode())
    assert document.rebuild([unit + "  {0}" for unit in document.units]).startswith(b"a")
    html = extract("long.html", ("<p>a" + " " * 300_000 + "b</p>").encode())
    assert html.units == ["a b"]
