"""Issue 12 over HTTP: Word formatting and links survive, tasks report quality, a wrong source is
refused early, translated HTML says its language (documents and /translate), PDFs come back as
clean Markdown, and every request field shows a real example."""

from __future__ import annotations

import io
import re

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from fastapi.testclient import TestClient

from kreyol_ia.documents.worker import JobWorker
from tests.test_documents_extract import PDF_PAGES, pdf_bytes


def _translated(client: TestClient, name: str, data: bytes, **form: str):
    """Submit, run one worker pass, return (task view, result response)."""
    created = client.post(
        "/api/v1/documents",
        files={"file": (name, data)},
        data={"source": "en", "target": "ht", **form},
    )
    assert created.status_code == 202, created.text
    assert JobWorker(client.app.state.jobs, name="w1").run_once() == "completed"
    links = created.json()["links"]
    return client.get(links["task"]).json(), client.get(links["result"])


def _docx(*paragraphs: list[tuple[str, str]]) -> bytes:
    """Paragraphs of (text, look) runs; look is "", "bold", "italic", "underline" or "link"."""
    document = docx.Document()
    for runs in paragraphs:
        paragraph = document.add_paragraph()
        for text, look in runs:
            if look == "link":
                link = f'<w:hyperlink {nsdecls("w", "r")} r:id="rId42"><w:r><w:t>{text}</w:t>'
                paragraph._p.append(parse_xml(link + "</w:r></w:hyperlink>"))
            else:
                run = paragraph.add_run(text)
                if look:
                    setattr(run, look, True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _looks(paragraph) -> list[tuple[str, str]]:
    """(text, look) of each non-empty run or hyperlink, in order."""
    out = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, docx.text.hyperlink.Hyperlink):
            out.append((item.text, "link"))
        elif item.text:
            look = next((n for n in ("bold", "italic", "underline") if getattr(item, n)), "")
            out.append((item.text, look))
    return out


def test_word_bold_italic_underline_and_links_survive_en_to_ht(
    documents_client: TestClient,
) -> None:
    data = _docx(
        [("Take ", ""), ("2 pills", "bold"), (" every day.", "")],
        [("Wash", "italic"), (" your hands.", "")],
        [("Drink ", ""), ("clean water", "underline"), (".", "")],
        [("Visit ", ""), ("our website", "link"), (" today.", "")],
    )
    task, result = _translated(documents_client, "leaflet.docx", data)
    paragraphs = docx.Document(io.BytesIO(result.content)).paragraphs
    assert [_looks(p) for p in paragraphs] == [
        [("Pran ", ""), ("2 grenn", "bold"), (" chak jou.", "")],
        [("Lave", "italic"), (" men ou yo.", "")],
        [("Bwè ", ""), ("dlo pwòp", "underline"), (".", "")],
        [("Vizite ", ""), ("sit entènèt nou", "link"), (" jodi a.", "")],
    ]
    assert task["progress"] == {"done": 4, "total": 4}  # formatting hints are not billed units


def test_word_formatting_survives_ht_to_en_and_never_loses_text(
    documents_client: TestClient,
) -> None:
    data = _docx(
        [("Lave", "bold"), (" men ou yo.", "")],
        [
            ("Bwè ", ""),
            ("dlo pwòp", "italic"),
            (".", ""),
        ],  # the span is translated differently alone
    )
    _, result = _translated(documents_client, "fey.docx", data, source="ht", target="en")
    first, second = docx.Document(io.BytesIO(result.content)).paragraphs
    assert _looks(first)[0] == ("Wash", "bold") and first.text.startswith("Wash")
    assert second.text == "Drink clean water."  # fallback: whole text kept in the first run


def test_task_view_reports_match_kinds_and_unknown_words(documents_client: TestClient) -> None:
    text = b"Good morning.\nThe zorblax is broken.\nDrink clean water.\n"
    task, _ = _translated(documents_client, "note.txt", text)
    quality = task["quality"]
    assert sum(quality["matches"].values()) == 3 and quality["matches"]["exact"] >= 1
    assert quality["unknown_words"] >= 1 and "zorblax" in quality["unknown_sample"]
    assert "quality" not in (task["result"] or {})
    listed = documents_client.get("/api/v1/tasks").json()["tasks"][0]
    assert listed["quality"] == quality


def test_pending_task_has_an_empty_quality(documents_client: TestClient) -> None:
    created = documents_client.post(
        "/api/v1/documents",
        files={"file": ("a.txt", b"Good morning.")},
        data={"source": "en", "target": "ht"},
    )
    task = documents_client.get(created.json()["links"]["task"]).json()
    assert task["quality"] == {"matches": {}, "unknown_words": 0, "unknown_sample": []}


def test_english_document_sent_as_french_is_refused_unless_forced(
    documents_client: TestClient,
) -> None:
    data = _docx([("Wash your hands often and drink clean water every day.", "")])
    refused = documents_client.post(
        "/api/v1/documents",
        files={"file": ("leaflet.docx", data)},
        data={"source": "fr", "target": "ht"},
    )
    assert refused.status_code == 422, refused.text
    error = refused.json()["error"]
    assert error["code"] == "source_mismatch" and "(en)" in error["message"]
    assert documents_client.get("/api/v1/tasks").json()["tasks"] == []
    forced = documents_client.post(
        "/api/v1/documents",
        files={"file": ("leaflet.docx", data)},
        data={"source": "fr", "target": "ht", "force_source": "true"},
    )
    assert forced.status_code == 202, forced.text
    short = documents_client.post(  # too little text to be sure: accepted as sent
        "/api/v1/documents",
        files={"file": ("a.txt", b"Good morning.")},
        data={"source": "fr", "target": "ht"},
    )
    assert short.status_code == 202, short.text


def test_translated_html_document_says_its_new_language(documents_client: TestClient) -> None:
    page = b'<html lang="en" xml:lang="en"><body><p lang="en">Good morning.</p></body></html>'
    _, result = _translated(documents_client, "page.html", page)
    assert result.text.startswith('<html lang="ht" xml:lang="ht">')
    assert "Bonjou." in result.text


def test_translate_html_format_keeps_markup_and_sanitises(documents_client: TestClient) -> None:
    markup = (
        '<html lang="en"><body><p class="note" onclick="steal()">Good morning.</p>'
        '<img alt="Wash your hands" src="a.png"><script>var s = "Good morning";</script>'
        "<style>p { color: red }</style><code>Drink water</code></body></html>"
    )
    response = documents_client.post(
        "/api/v1/translate", json={"text": markup, "target": "ht", "format": "html"}
    )
    assert response.status_code == 200, response.text
    out = response.json()["translations"][0]
    html = out["translation"]
    assert html.startswith('<html lang="ht"><body><p class="note">Bonjou.</p>')
    assert 'alt="Lave men ou yo"' in html and "<script" not in html and "onclick" not in html
    assert "<style>p { color: red }</style><code>Drink water</code>" in html
    assert out["source"] == "en" and out["matches"] and len(out["segments"]) == 2
    plain = documents_client.post(
        "/api/v1/translate", json={"text": "<b>Good morning.</b>", "target": "ht"}
    )
    assert plain.json()["translations"][0]["translation"] != "<b>Bonjou.</b>"
    wrong = documents_client.post(
        "/api/v1/translate", json={"text": "x", "target": "ht", "format": "pdf"}
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "validation_error"


def test_translated_pdf_is_markdown_without_english_scaffolding(
    documents_client: TestClient,
) -> None:
    _, result = _translated(documents_client, "leaflet.pdf", pdf_bytes(PDF_PAGES))
    assert result.headers["content-type"].startswith("text/markdown")
    text = result.text
    assert not re.search(r"(?im)^#*\s*page\b", text)
    assert "\n\n---\n\n" in text and "Bwè dlo pwòp." in text


def test_every_request_field_has_a_real_example(documents_client: TestClient) -> None:
    schema = documents_client.get("/openapi.json").json()
    components = schema["components"]["schemas"]
    for model in ("TranslateRequest", "DetectRequest"):
        for name, field in components[model]["properties"].items():
            assert field.get("examples"), f"{model}.{name} has no example"
    upload = next(
        value for key, value in components.items() if key.startswith("Body_submit_document")
    )
    for name, field in upload["properties"].items():
        if name != "file":
            assert field.get("examples"), f"documents form field {name} has no example"
