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
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from kreyol_ia.documents import extract as extract_module
from kreyol_ia.documents.extract import extract
from kreyol_ia.documents.formats import SUPPORTED, detect_format
from kreyol_ia.documents.model import DocumentError


def upper(units: list[str]) -> list[str]:
    return [unit.upper() for unit in units]


def error_code(filename: str, data: bytes, **kwargs: int) -> str:
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


def test_malformed_srt_is_corrupt() -> None:
    bad = SRT + "4\n00:00:09,000 -> 00:00:10,000\nBroken arrow.\n"
    assert error_code("movie.srt", bad.encode()) == "corrupt_document"


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
    assert tags(after) == tags(before)
    assert after.html["lang"] == "en"
    assert after.title.string == "HEALTH TIPS"
    assert after.find("a")["title"] == "ABOUT SOAP"
    assert '<img src="pump.png" alt="A WATER PUMP"/>' in rebuilt
    assert '<h1 class="big" id="top">CLEAN WATER</h1>' in rebuilt
    assert "<p>WASH YOUR HANDS <a" in rebuilt and "</a>.</p>" in rebuilt
    assert "<p>RUN <code>make test</code> DAILY.</p>" in rebuilt
    assert 'var message = "Do not translate";' in rebuilt
    assert "<!-- Internal comment -->" in rebuilt and "<pre>keep   this as is</pre>" in rebuilt
    assert "Enable scripts" in rebuilt and "<p>2024</p>" in rebuilt
    assert rebuilt.startswith("<!DOCTYPE html>")


def test_html_deep_nesting_is_no_crash() -> None:
    deep = "<div>" * 5000 + "Hello there" + "</div>" * 5000
    document = extract("deep.html", deep.encode())
    assert document.units == ["Hello there"]
    assert b"HELLO THERE" in document.rebuild(upper(document.units))


# -- docx -----------------------------------------------------------------------------------------


def test_docx_units_in_document_order() -> None:
    document = extract("leaflet.docx", docx_bytes())
    assert document.units == DOCX_UNITS
    assert document.format == "docx" and document.suffix == ".docx"
    assert document.media_type.endswith("wordprocessingml.document")
    assert document.pages == 1


def test_docx_round_trip_keeps_formatting_tables_and_headers() -> None:
    document = extract("leaflet.docx", docx_bytes())
    rebuilt = docx.Document(io.BytesIO(document.rebuild(upper(document.units))))
    paragraphs = rebuilt.paragraphs
    assert [p.text for p in paragraphs] == [
        "CLEAN WATER",
        "WASH YOUR HANDS OFTEN.",
        "",
        "DRINK CLEAN WATER.",
    ]
    assert paragraphs[0].style.name == "Heading 1"
    first, *others = paragraphs[1].runs
    assert first.text == "WASH YOUR HANDS OFTEN." and first.bold
    assert [run.text for run in others] == ["", ""]
    table = rebuilt.tables[0]
    assert [cell.text for cell in table._cells[:3]] == ["NAME", "ROLE", "ANA"]
    assert table.cell(1, 1).tables[0].cell(0, 0).text == "NURSE"
    section = rebuilt.sections[0]
    assert section.header.paragraphs[0].text == "MINISTRY OF HEALTH"
    assert section.footer.paragraphs[0].text == "KEEP THIS LEAFLET"
    assert extract("again.docx", document.rebuild(document.units)).units == DOCX_UNITS


def test_docx_hyperlink_text_is_not_duplicated_and_breaks_survive() -> None:
    source = docx.Document()
    linked = source.add_paragraph()
    linked.add_run("Read ").bold = True
    hyperlink = f'<w:hyperlink {nsdecls("w", "r")} r:id="rId99"><w:r><w:t>the guide</w:t></w:r>'
    linked._p.append(parse_xml(hyperlink + "</w:hyperlink>"))
    linked.add_run(" today.")
    broken = source.add_paragraph().add_run("Chapter two")
    broken.add_break(WD_BREAK.PAGE)
    broken.add_text("Line one")
    broken.add_break()
    broken.add_text("line two\tend")
    out = io.BytesIO()
    source.save(out)
    document = extract("links.docx", out.getvalue())
    assert document.units == ["Read the guide today.", "Chapter twoLine one\nline two\tend"]
    rebuilt = docx.Document(io.BytesIO(document.rebuild(["Li gid la jodi a.", "A\nB\tC"])))
    assert [p.text for p in rebuilt.paragraphs] == ["Li gid la jodi a.", "A\nB\tC"]
    assert rebuilt.paragraphs[0].runs[0].bold
    run = rebuilt.paragraphs[1].runs[0]._r
    assert [child.tag.split("}")[1] for child in run] == ["t", "br", "t", "tab", "t", "br"]
    assert run[-1].get(qn("w:type")) == "page"


def test_docx_that_would_inflate_too_far_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract_module, "_MAX_UNZIPPED", 1000)
    assert error_code("leaflet.docx", docx_bytes()) == "document_too_large"


def test_docx_page_estimate_honours_max_pages() -> None:
    data = docx_bytes(extra_paragraphs=80)
    assert extract("long.docx", data).pages == 3
    assert error_code("long.docx", data, max_pages=2) == "too_many_pages"


# -- pdf ------------------------------------------------------------------------------------------


def test_pdf_units_are_paragraphs_and_output_is_markdown() -> None:
    document = extract("leaflet.pdf", pdf_bytes(PDF_PAGES))
    assert document.units == [
        "Wash your hands with soap and clean water before every meal.",
        "Boil the translation.",
        "Drink clean water.",
        "Rest well.",
    ]
    assert document.pages == 2
    assert (document.format, document.suffix) == ("pdf", ".md")
    assert document.media_type == "text/markdown; charset=utf-8"
    assert document.rebuild(upper(document.units)).decode() == (
        "# Page 1\n\n"
        "WASH YOUR HANDS WITH SOAP AND CLEAN WATER BEFORE EVERY MEAL.\n\n"
        "BOIL THE TRANSLATION.\n\n"
        "# Page 2\n\n"
        "DRINK CLEAN WATER.\n\nREST WELL.\n\n12\n"
    )


def test_pdf_limits_encryption_and_scans() -> None:
    assert error_code("leaflet.pdf", pdf_bytes(PDF_PAGES), max_pages=1) == "too_many_pages"
    assert error_code("locked.pdf", encrypted_pdf("pw")) == "encrypted_document"
    assert extract("owner-only.pdf", encrypted_pdf("")).units[-1] == "Rest well."
    assert error_code("scan.pdf", pdf_bytes([[]])) == "no_text"
    with pytest.raises(DocumentError, match="OCR"):
        extract("scan.pdf", pdf_bytes([[], []]))


@pytest.mark.parametrize("data", [b"%PDF-1.4\ngarbage", b"%PDF-"])
def test_damaged_pdf_is_corrupt(data: bytes) -> None:
    assert error_code("broken.pdf", data) == "corrupt_document"


def test_truncated_pdf_is_corrupt() -> None:
    good = pdf_bytes(PDF_PAGES)
    assert error_code("broken.pdf", good[: len(good) // 2]) == "corrupt_document"


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
