"""The DeepL API v2 facade, driven by DeepL's official, unmodified ``deepl`` client over HTTP.

A live ``kreyol serve`` (tests/compat/conftest.py's, without anonymous use); keys are minted
with the CLI as an operator would. Refusals must surface as the client's own exception types.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import deepl
import docx
import httpx
import pytest
from deepl import http_client

from kreyol_ia.compat.deepl.errors import QUOTA_EXCEEDED, deepl_status
from kreyol_ia.compat.errors import Refusal
from tests.compat.conftest import LiveAPI
from tests.web.harness import ADMIN, USER


def translator_for(api: LiveAPI, key: str) -> deepl.Translator:
    return deepl.Translator(key, server_url=api.url, send_platform_info=False)


@pytest.fixture(scope="module")
def site(keyed_api: LiveAPI) -> Iterator[LiveAPI]:
    """The shared server where every request needs a key, as on DeepL."""
    retries = http_client.max_network_retries
    http_client.max_network_retries = 0  # a 429 must reach the test, not be retried away
    yield keyed_api
    http_client.max_network_retries = retries


@pytest.fixture(scope="module")
def translator(site: LiveAPI) -> deepl.Translator:
    return translator_for(site, site.key(USER.username))


def test_translate_text_single_and_batch(translator: deepl.Translator) -> None:
    one = translator.translate_text("Good morning, how are you?", target_lang="HT")
    assert one.detected_source_lang == "EN"
    assert one.billed_characters == len("Good morning, how are you?")
    assert "bonjou" in one.text.lower()
    batch = translator.translate_text(
        ["Wash your hands.", "Drink clean water."], source_lang="EN", target_lang="HT"
    )
    assert [r.detected_source_lang for r in batch] == ["EN", "EN"]
    assert "lave" in batch[0].text.lower() and "dlo" in batch[1].text.lower()


def test_kreyol_to_english_and_french(translator: deepl.Translator) -> None:
    english = translator.translate_text("Bonjou, kijan ou ye?", target_lang="EN-US")
    assert english.detected_source_lang == "HT"
    assert "how are you" in english.text.lower()
    french = translator.translate_text("Mèsi anpil.", source_lang="HT", target_lang="FR")
    assert "merci" in french.text.lower()


def test_html_tags_are_kept(translator: deepl.Translator) -> None:
    result = translator.translate_text(
        "<p>Wash your <b>hands</b>.</p>", source_lang="EN", target_lang="HT", tag_handling="html"
    )
    assert result.text.startswith("<p>") and "<b>" in result.text and "</p>" in result.text


def test_usage_counts_what_was_translated(site: LiveAPI) -> None:
    translator = translator_for(site, site.key(ADMIN.username))
    before = translator.get_usage().character
    assert before.valid and before.limit == 100_000 * 1000  # enterprise: 100,000 units a day
    translator.translate_text("Good evening.", target_lang="HT")
    after = translator.get_usage().character
    assert after.count > before.count
    assert not after.limit_reached


def test_languages(translator: deepl.Translator) -> None:
    sources = {lang.code: lang.name for lang in translator.get_source_languages()}
    assert sources == {"EN": "English", "FR": "French", "HT": "Haitian Creole"}
    targets = {lang.code for lang in translator.get_target_languages()}
    assert targets == {"EN-GB", "EN-US", "FR", "HT"}
    pairs = {(p.source_lang, p.target_lang) for p in translator.get_glossary_languages()}
    assert ("en", "ht") in pairs and ("ht", "fr") in pairs


def test_glossary_lifecycle(translator: deepl.Translator) -> None:
    glossary = translator.create_glossary(
        "Clinic", "EN", "HT", {"nurse": "enfimyè klinik", "clinic": "dispansè"}
    )
    assert glossary.ready and glossary.entry_count == 2
    assert (glossary.source_lang, glossary.target_lang) == ("EN", "HT")
    assert glossary.glossary_id in {g.glossary_id for g in translator.list_glossaries()}
    assert translator.get_glossary_entries(glossary) == {
        "nurse": "enfimyè klinik",
        "clinic": "dispansè",
    }
    plain = translator.translate_text(
        "The nurse is at the clinic.", source_lang="EN", target_lang="HT"
    )
    used = translator.translate_text(
        "The nurse is at the clinic.", source_lang="EN", target_lang="HT", glossary=glossary
    )
    assert "dispansè" not in plain.text.lower()
    assert "enfimyè klinik" in used.text.lower() and "dispansè a" in used.text.lower()
    with pytest.raises(deepl.DeepLException, match="glossary"):  # an en→ht glossary for fr→ht
        translator.translate_text(
            "Bonjour.", source_lang="FR", target_lang="HT", glossary=glossary.glossary_id
        )
    translator.delete_glossary(glossary)
    with pytest.raises(deepl.GlossaryNotFoundException):
        translator.get_glossary(glossary.glossary_id)


def test_glossary_from_csv_and_bad_entries(translator: deepl.Translator) -> None:
    made = translator.create_glossary_from_csv(
        "CSV", "FR", "HT", csv_data='"infirmière","enfimyè"\nvaccin,vaksen\n'
    )
    assert made.entry_count == 2
    translator.delete_glossary(made)
    with pytest.raises(deepl.DeepLException):
        translator.create_glossary("Twice", "EN", "HT", {"a": "b", "A": "c"})


def test_another_users_glossary_is_not_found(site: LiveAPI, translator: deepl.Translator) -> None:
    mine = translator.create_glossary("Mine", "EN", "HT", {"doctor": "doktè"})
    other = translator_for(site, site.key(ADMIN.username))
    with pytest.raises(deepl.GlossaryNotFoundException):
        other.get_glossary(mine.glossary_id)
    with pytest.raises(deepl.GlossaryNotFoundException):
        other.delete_glossary(mine.glossary_id)
    translator.delete_glossary(mine)


def test_translate_document_round_trip(translator: deepl.Translator) -> None:
    document = docx.Document()
    document.add_paragraph("Wash your hands before eating.")
    source = io.BytesIO()
    document.save(source)
    output = io.BytesIO()
    status = translator.translate_document(
        io.BytesIO(source.getvalue()), output, target_lang="HT", filename="care.docx"
    )
    assert status.done and status.billed_characters == len("Wash your hands before eating.")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(output.getvalue())).paragraphs]
    assert paragraphs == ["Lave men ou anvan ou manje."]


def test_document_key_and_owner_are_both_needed(
    site: LiveAPI, translator: deepl.Translator
) -> None:
    handle = translator.translate_document_upload(
        b"Drink clean water.", target_lang="HT", filename="water.txt"
    )
    wrong = deepl.DocumentHandle(handle.document_id, "0" * 64)
    with pytest.raises(deepl.DeepLException, match="not found"):
        translator.translate_document_get_status(wrong)
    other = translator_for(site, site.key(ADMIN.username))
    with pytest.raises(deepl.DeepLException, match="not found"):
        other.translate_document_get_status(handle)
    final = translator.translate_document_wait_until_done(handle)
    assert final.done
    downloaded = translator.translate_document_download(handle)
    assert downloaded is not None and "dlo" in downloaded.content.decode().lower()


def test_an_unavailable_output_format_is_refused_before_anything_is_charged(site: LiveAPI) -> None:
    site.user("okap", "free")
    translator = translator_for(site, site.key("okap"))
    with pytest.raises(deepl.DeepLException) as refused:
        translator.translate_document_upload(
            b"Drink clean water.", target_lang="HT", filename="water.txt", output_format="docx"
        )
    assert refused.value.http_status_code == 400
    assert translator.get_usage().character.count == 0
    same_format = translator.translate_document_upload(
        b"Drink clean water.", target_lang="HT", filename="water.txt", output_format="txt"
    )
    assert translator.translate_document_wait_until_done(same_format).done
    assert translator.get_usage().character.count > 0


def test_bad_and_revoked_keys_are_authorization_errors(site: LiveAPI) -> None:
    with pytest.raises(deepl.AuthorizationException):
        translator_for(site, "ka_not-a-real-key").translate_text("Hello", target_lang="HT")
    key = site.key(USER.username)
    translator = translator_for(site, key)
    assert translator.translate_text("Hello", target_lang="HT").text
    site.revoke(site.newest_key_id(USER.username))
    with pytest.raises(deepl.AuthorizationException):
        translator.translate_text("Hello", target_lang="HT")
    with pytest.raises(deepl.AuthorizationException):
        translator.get_usage()


def test_a_key_without_the_documents_scope_cannot_upload(site: LiveAPI) -> None:
    translator = translator_for(site, site.key(USER.username, scopes="translate"))
    assert translator.translate_text("Thank you.", target_lang="HT").text
    with pytest.raises(deepl.DeepLException) as refused:
        translator.translate_document_upload(b"Hello.", target_lang="HT", filename="a.txt")
    assert refused.value.http_status_code == 403


def test_rate_limit_is_too_many_requests(site: LiveAPI) -> None:
    site.user("jacmel", "free")  # 10 units a minute
    translator = translator_for(site, site.key("jacmel"))
    with pytest.raises(deepl.TooManyRequestsException):
        for _ in range(11):
            translator.translate_text("Good morning.", target_lang="HT")


def test_wire_details_other_clients_rely_on(site: LiveAPI) -> None:
    key = site.key(USER.username)
    with httpx.Client(base_url=site.url, timeout=30) as client:
        form = client.post(
            "/v2/translate",
            data={"text": ["Good night.", "Thank you."], "target_lang": "ht", "auth_key": key},
        )
        assert form.status_code == 200, form.text
        assert len(form.json()["translations"]) == 2
        headers = {"Authorization": f"DeepL-Auth-Key {key}"}
        broken = client.post(
            "/v2/translate",
            content=b'{"text": ["a"',
            headers={**headers, "Content-Type": "application/json"},
        )
        assert broken.status_code == 400 and broken.json()["detail"] == "malformed_json"
        unknown = client.post(
            "/v2/translate", json={"text": ["Hello"], "target_lang": "DE"}, headers=headers
        )
        assert unknown.status_code == 400 and "target_lang" in unknown.json()["message"]
        formal = client.post(
            "/v2/translate",
            json={"text": ["Hello"], "target_lang": "HT", "formality": "more"},
            headers=headers,
        )
        assert formal.status_code == 400
        numbers = client.post(
            "/v2/translate", json={"text": [1, 2], "target_lang": "HT"}, headers=headers
        )
        assert numbers.status_code == 400
        missing = client.post("/v2/translate", json={"text": ["Hello"], "target_lang": "HT"})
        assert missing.status_code == 403 and "DeepL-Auth-Key" in missing.json()["message"]
        query_key = client.get("/v2/usage", params={"auth_key": key})
        assert query_key.status_code == 403  # a key in a URL ends up in logs: not accepted


def test_quota_refusals_map_to_456_and_short_windows_to_429() -> None:
    day = Refusal(429, "rate_limited", "…", details={"limit": "day", "retry_after": 60})
    minute = Refusal(429, "rate_limited", "…", details={"limit": "minute", "retry_after": 5})
    assert deepl_status(day) == QUOTA_EXCEEDED
    assert deepl_status(minute) == 429
    assert deepl_status(Refusal(401, "invalid_api_key", "…")) == 403
    assert deepl_status(Refusal(422, "validation_error", "…")) == 400
