"""Word and PDF extraction: order, formatting kept on rebuild, limits, encryption, damage.

Every fixture is built at test time (python-docx, pypdf); no binary is committed.
"""

from __future__ import annotations

import io

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from kreyol_ia.documents.extract import extract
from kreyol_ia.documents.model import DocumentError, ParseLimits
from tests.test_documents_extract import (
    DOCX_UNITS,
    PDF_PAGES,
    docx_bytes,
    encrypted_pdf,
    error_code,
    pdf_bytes,
    upper,
)

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
    bold, italic, plain = paragraphs[1].runs  # each formatted span found again in its run
    assert [bold.text, italic.text, plain.text] == ["WASH ", "YOUR HANDS", " OFTEN."]
    assert bold.bold and italic.italic and not (plain.bold or plain.italic)
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


def test_docx_that_would_inflate_too_far_is_refused() -> None:
    small = ParseLimits(max_unzipped_bytes=1000)
    assert error_code("leaflet.docx", docx_bytes(), limits=small) == "document_too_large"
    tight = ParseLimits(max_member_bytes=1000)
    assert error_code("leaflet.docx", docx_bytes(), limits=tight) == "decompression_bomb"


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
    assert document.rebuild(upper(document.units)).decode() == (  # no English scaffolding
        "WASH YOUR HANDS WITH SOAP AND CLEAN WATER BEFORE EVERY MEAL.\n\n"
        "BOIL THE TRANSLATION.\n\n"
        "---\n\n"
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


def test_refusals_speak_in_our_words_not_the_libraries() -> None:
    good_pdf, good_docx = pdf_bytes(PDF_PAGES), docx_bytes()
    for name, data in [
        ("broken.pdf", good_pdf[: len(good_pdf) // 2]),
        ("broken.pdf", b"%PDF-1.4\ngarbage"),
        ("report.docx", good_docx[: len(good_docx) // 2]),
        ("report.docx", b"PK\x03\x04 not really a zip"),
    ]:
        with pytest.raises(DocumentError) as caught:
            extract(name, data)
        message = caught.value.message  # library text used to follow a colon
        assert "is damaged" in message and ":" not in message, message
