"""The Documents page in a real browser: upload, live progress, download, refusals, deletion."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from playwright.sync_api import BrowserContext, Locator, Page, expect

from kreyol_ia.api.routes.health import DOCUMENT_FORMATS
from kreyol_ia.documents.storage import safe_filename
from kreyol_ia.web.catalogue import catalogue
from tests.web.harness import USER, LiveSite, Shots, sign_in

ENGLISH = "Wash your hands with soap and water before you eat. Drink clean water every day."
TXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DONE_TIMEOUT_MS = 30_000
SENT_TIMEOUT_MS = 20_000  # the first upload starts the server's sandboxed readers
EN = catalogue("en")


def docx_bytes(*paragraphs: str) -> bytes:
    """A small Word document, made here rather than committed as a binary."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def open_documents(page: Page, site: LiveSite, language: str = "en") -> None:
    """Signed in as marie, on the Documents page in this interface language."""
    page.context.add_cookies([{"name": "kreyol_lang", "value": language, "url": site.url}])
    sign_in(page, site, USER.username, USER.password)
    page.locator('#nav a[data-page="documents"]').click()
    expect(page.locator('main[data-ready="documents"]')).to_be_attached()
    expect(page.locator("#jobs")).not_to_have_attribute("aria-busy", "true")


def choose(page: Page, name: str, data: bytes, mime: str) -> None:
    """Pick a file through the real file input (as the label's picker would)."""
    page.set_input_files("#file-input", files=[{"name": name, "mimeType": mime, "buffer": data}])


def upload(page: Page, name: str, data: bytes, mime: str, target: str = "ht") -> None:
    choose(page, name, data, mime)
    page.select_option("#doc-target", target)
    page.click("#doc-submit")


def card(page: Page, name: str) -> Locator:
    """The job card whose title is exactly this file name."""
    return page.locator("#jobs [data-task-id]").filter(
        has=page.get_by_role("heading", name=name, exact=True)
    )


def completed(page: Page, name: str) -> Locator:
    job = card(page, name)
    expect(job.locator('[data-status="completed"]')).to_be_visible(timeout=DONE_TIMEOUT_MS)
    return job


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_docx_is_translated_followed_and_downloaded(
    page: Page, phone: BrowserContext, site: LiveSite, shots: Shots, tmp_path: Path
) -> None:
    open_documents(page, site)
    accept = ",".join(f["extension"] for f in DOCUMENT_FORMATS)
    expect(page.locator("#file-input")).to_have_attribute("accept", accept)
    expect(page.locator("#doc-limits")).to_contain_text("20 MB")
    upload(page, "clinic-notice.docx", docx_bytes("Wash your hands.", ENGLISH), DOCX)
    expect(page.locator("#doc-ok")).to_have_text(EN["documents.sent"], timeout=SENT_TIMEOUT_MS)
    expect(page.locator("#doc-error")).to_be_empty()
    job = completed(page, "clinic-notice.docx")
    expect(job).to_contain_text("English → Haitian Creole")
    expect(job.locator(".job-count")).to_have_text("2 / 2 parts translated")
    bar = job.locator("progress")
    assert bar.evaluate("el => el.value === el.max && el.max === 2")
    expect(job.locator(".job-matches")).to_contain_text(EN["documents.matches"])
    expect(page.locator("#jobs-updated")).to_contain_text("Last updated")

    with page.expect_download() as downloading:
        job.locator(".job-download").click()
    download = downloading.value
    assert download.suggested_filename == "clinic-notice.ht.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = "\n".join(p.text for p in docx.Document(str(saved)).paragraphs)
    assert "Lave men ou" in text and "dlo pwòp" in text, text
    assert "Wash" not in text, text
    shots.take(page, "documents")

    handheld = phone.new_page()
    open_documents(handheld, site, "ht")
    kreyol = catalogue("ht")
    expect(handheld.locator('label[for="file-input"]')).to_have_text(kreyol["documents.choose"])
    on_phone = completed(handheld, "clinic-notice.docx")
    expect(on_phone.locator(".badge")).to_have_text(kreyol["documents.status.completed"])
    expect(on_phone.locator(".job-download")).to_have_text(kreyol["documents.download"])
    assert fits_the_screen(handheld)
    shots.take(handheld, "documents")


def test_refused_files_say_why(page: Page, site: LiveSite, shots: Shots) -> None:
    open_documents(page, site)
    error = page.locator("#doc-error")
    choose(page, "setup.exe", b"MZ\x90\x00" + bytes(range(256)) * 4, "application/octet-stream")
    expect(error).to_have_text(
        EN["documents.bad_type"].format(
            name="setup.exe", formats=" ".join(f["extension"] for f in DOCUMENT_FORMATS)
        )
    )
    expect(page.locator("#doc-file")).to_have_text(EN["documents.none_selected"])
    page.click("#doc-submit")
    expect(error).to_have_text(EN["documents.no_file"])
    dropped = page.evaluate_handle(
        "() => { const t = new DataTransfer();"
        " t.items.add(new File([new Uint8Array(25 * 1048576)], 'big.pdf')); return t; }"
    )
    page.dispatch_event("#dropzone", "dragenter", {"dataTransfer": dropped})
    expect(page.locator("#dropzone")).to_have_class("dropzone stack over")
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": dropped})
    expect(page.locator("#dropzone")).to_have_class("dropzone stack")
    expect(error).to_have_text(
        EN["documents.too_big"].format(name="big.pdf", size="25 MB", limit="20 MB")
    )
    expect(page.locator("#doc-file")).to_have_text(EN["documents.none_selected"])

    for name, data, mime in (
        ("report.docx", b"MZ\x90\x00" + bytes(range(256)) * 4, DOCX),
        ("scan.pdf", bytes(range(256)) * 8, "application/pdf"),
    ):
        with page.expect_response("**/api/v1/documents") as answer:
            upload(page, name, data, mime)
        refusal = answer.value.json()["error"]
        assert answer.value.status == 422, refusal
        expect(error).to_have_text(EN[f"error.{refusal['code']}"])
        expect(page.locator("#jobs")).not_to_contain_text(name)
    shots.take(page, "documents-refused")


def test_a_wrong_source_language_offers_a_retry(page: Page, site: LiveSite) -> None:
    open_documents(page, site)
    choose(page, "mislabelled.txt", ENGLISH.encode(), TXT)
    page.select_option("#doc-source", "fr")
    page.select_option("#doc-target", "ht")
    page.click("#doc-submit")
    expect(page.locator("#doc-error")).to_have_text(EN["error.source_mismatch"])
    page.click("#doc-retry-auto")
    expect(page.locator("#doc-ok")).to_have_text(EN["documents.sent"], timeout=SENT_TIMEOUT_MS)
    expect(page.locator("#doc-source")).to_have_value("auto")
    expect(completed(page, "mislabelled.txt")).to_contain_text("English → Haitian Creole")


def test_a_hostile_file_name_is_only_text(page: Page, site: LiveSite) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    hostile = "<img src=x onerror=alert(1)>.txt"
    open_documents(page, site)
    choose(page, hostile, ENGLISH.encode(), TXT)
    expect(page.locator("#doc-file")).to_contain_text(hostile)
    page.click("#doc-submit")
    completed(page, safe_filename(hostile))
    assert page.locator("main img").count() == 0
    assert dialogs == []


def test_delete_asks_then_removes_the_job(page: Page, site: LiveSite) -> None:
    open_documents(page, site)
    upload(page, "to-delete.txt", ENGLISH.encode(), TXT)
    job = completed(page, "to-delete.txt")
    job.locator(".job-delete").click()
    expect(job).to_contain_text(EN["documents.confirm_delete"].format(name="to-delete.txt"))
    job.locator(".job-cancel").click()
    expect(job.locator(".job-delete")).to_be_focused()
    job.locator(".job-delete").click()
    job.locator(".job-confirm").click()
    expect(card(page, "to-delete.txt")).to_have_count(0)
    expect(page.locator("#jobs-ok")).to_have_text(
        EN["documents.deleted"].format(name="to-delete.txt")
    )
    page.reload()
    expect(page.locator('main[data-ready="documents"]')).to_be_attached()
    expect(page.locator("#jobs")).not_to_have_attribute("aria-busy", "true")
    expect(card(page, "to-delete.txt")).to_have_count(0)
