"""The LibreTranslate facade, driven over real HTTP by the unmodified ``libretranslatepy`` client
(and by httpx for what that client cannot send: batches, HTML, files, settings)."""

from __future__ import annotations

import io
import json
import time
import urllib.error
from collections.abc import Iterator
from urllib.parse import urlsplit

import docx
import httpx
import pytest
from fastapi.testclient import TestClient
from libretranslatepy import LibreTranslateAPI
from pydantic import SecretStr

from kreyol_ia.api import create_app
from kreyol_ia.auth import APIKeyCreate
from kreyol_ia.compat.libretranslate import links
from kreyol_ia.config import Settings
from tests.compat.conftest import LiveAPI
from tests.conftest import derive, make_user

ENGLISH = "Good morning"
KREYOL = "Bonjou, kijan ou ye?"


def refusal(call: object) -> tuple[int, dict[str, object], urllib.error.HTTPError]:
    """The HTTPError libretranslatepy raised, with its JSON body."""
    with pytest.raises(urllib.error.HTTPError) as caught:
        call()  # type: ignore[operator]
    error = caught.value
    return error.code, json.loads(error.read().decode()), error


@pytest.fixture(scope="module")
def key(live_api: LiveAPI) -> str:
    """An enterprise account's key: the anonymous per-IP limit (10 a minute) is tested apart."""
    return live_api.key(live_api.user("lt_main"), name="lt-main")


@pytest.fixture(scope="module")
def client(live_api: LiveAPI, key: str) -> LibreTranslateAPI:
    return LibreTranslateAPI(live_api.url, api_key=key)


@pytest.fixture(scope="module")
def http(live_api: LiveAPI, key: str) -> Iterator[httpx.Client]:
    """httpx with the key in the native header (the facade reads it as well as api_key)."""
    with httpx.Client(base_url=live_api.url, headers={"X-API-Key": key}, timeout=90) as client:
        yield client


@pytest.fixture(scope="module")
def doc_key(live_api: LiveAPI) -> str:
    """A key of an account that may translate documents."""
    return live_api.key(live_api.user("lt_docs"), name="lt-docs")


def test_translate_english_to_kreyol(client: LibreTranslateAPI, live_api: LiveAPI) -> None:
    assert LibreTranslateAPI(live_api.url).translate(ENGLISH, "en", "ht") == "Bonjou"  # anonymous
    assert client.translate(ENGLISH, "en", "ht") == "Bonjou"
    assert "Lave men ou" in client.translate("Wash your hands before eating.", "en", "ht")


def test_translate_kreyol_to_english_and_french(client: LibreTranslateAPI) -> None:
    assert "how are you" in client.translate(KREYOL, "ht", "en").lower()
    assert "merci" in client.translate("Mèsi anpil.", "ht", "fr").lower()


def test_source_auto(client: LibreTranslateAPI, http: httpx.Client) -> None:
    assert "lave men" in client.translate("Wash your hands before eating.", "auto", "ht").lower()
    body = {"q": KREYOL, "source": "auto", "target": "en"}
    answer = http.post("/translate", data=body).json()
    assert answer["detectedLanguage"]["language"] == "ht"
    assert 1 < answer["detectedLanguage"]["confidence"] <= 100  # a percentage, not 0–1


def test_detect(client: LibreTranslateAPI) -> None:
    [found] = client.detect("Bonjou, kijan ou ye? Mwen byen, mèsi anpil.")
    assert found["language"] == "ht"
    assert 1 < found["confidence"] <= 100


def test_languages(client: LibreTranslateAPI) -> None:
    languages = {entry["code"]: entry for entry in client.languages()}
    assert languages["ht"]["name"] == "Haitian Creole"
    assert set(languages["ht"]["targets"]) == {"en", "fr"}
    assert languages["en"]["targets"] == ["ht"] and languages["fr"]["targets"] == ["ht"]


def test_api_key_in_the_body_and_native_headers(live_api: LiveAPI) -> None:
    key = live_api.key(live_api.user("lt_keyed"), name="lt-keyed")
    assert LibreTranslateAPI(live_api.url, api_key=key).translate(ENGLISH, "en", "ht") == "Bonjou"
    body = {"q": ENGLISH, "source": "en", "target": "ht"}
    answer = httpx.post(f"{live_api.url}/translate", json=body, headers={"X-API-Key": key})
    assert answer.status_code == 200 and answer.json()["translatedText"] == "Bonjou"


def test_a_key_is_needed_where_anonymous_use_is_off(keyed_api: LiveAPI) -> None:
    status, body, _ = refusal(
        lambda: LibreTranslateAPI(keyed_api.url).translate(ENGLISH, "en", "ht")
    )
    assert status == 400 and "get an API key" in str(body["error"])
    key = keyed_api.key(keyed_api.user("lt_operator_made"), name="lt")
    assert LibreTranslateAPI(keyed_api.url, api_key=key).translate(ENGLISH, "en", "ht") == "Bonjou"
    assert LibreTranslateAPI(keyed_api.url).languages()  # languages need no key


def test_a_bad_or_revoked_key_is_refused_at_once(live_api: LiveAPI) -> None:
    username = live_api.user("lt_revoked")
    key = live_api.key(username, name="lt-revoked")
    keyed = LibreTranslateAPI(live_api.url, api_key=key)
    assert keyed.translate(ENGLISH, "en", "ht") == "Bonjou"
    live_api.revoke(live_api.newest_key_id(username))
    status, body, _ = refusal(lambda: keyed.translate(ENGLISH, "en", "ht"))
    assert (status, body) == (403, {"error": "Invalid API key"})  # not served as anonymous
    status, body, _ = refusal(lambda: keyed.detect(KREYOL))
    assert (status, body) == (403, {"error": "Invalid API key"})
    wrong = LibreTranslateAPI(live_api.url, api_key="ka_" + "x" * 43)
    assert refusal(lambda: wrong.translate(ENGLISH, "en", "ht"))[0] == 403


def test_a_free_key_is_rate_limited(live_api: LiveAPI) -> None:
    keyed = LibreTranslateAPI(live_api.url, api_key=live_api.key(live_api.user("lt_free", "free")))
    with pytest.raises(urllib.error.HTTPError) as caught:
        for _ in range(30):  # the free tier allows 10 a minute
            keyed.translate(ENGLISH, "en", "ht")
    error = caught.value
    assert error.code == 429
    assert int(error.headers["Retry-After"]) >= 1
    assert error.headers["RateLimit-Remaining"] == "0"
    assert json.loads(error.read().decode())["error"].startswith("Slowdown:")


def test_batch_json_lists(http: httpx.Client) -> None:
    texts = ["Wash your hands before eating.", "Bonjour, comment allez-vous ?"]
    answer = http.post("/translate", json={"q": texts, "source": "auto", "target": "ht"}).json()
    assert isinstance(answer["translatedText"], list) and len(answer["translatedText"]) == 2
    assert "Lave men ou" in answer["translatedText"][0]
    assert [d["language"] for d in answer["detectedLanguage"]] == ["en", "fr"]
    fixed = {"q": ["Wash your hands.", "Good morning"], "source": "en", "target": "ht"}
    answer = http.post("/translate", json={**fixed, "alternatives": 2}).json()
    assert answer["translatedText"][1] == "Bonjou" and "detectedLanguage" not in answer
    assert answer["alternatives"] == [[], []]  # one engine installed: no other translation


def test_html_keeps_its_tags(http: httpx.Client) -> None:
    body = {"q": "<p>Wash your <b>hands</b>.</p>", "source": "en", "target": "ht", "format": "html"}
    text = http.post("/translate", json=body).json()["translatedText"]
    assert text.startswith("<p>") and "<b>" in text and text.endswith("</p>")
    assert "hands" not in text


def test_form_line_ends_are_normalised(http: httpx.Client) -> None:
    body = {"q": "Good morning\r\nGood morning", "source": "en", "target": "ht"}
    text = http.post("/translate", data=body).json()["translatedText"]
    assert "\r" not in text and text.count("Bonjou") == 2


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"source": "en", "target": "ht"}, "Invalid request: missing q parameter"),
        ({"q": "Hi", "target": "ht"}, "Invalid request: missing source parameter"),
        ({"q": "Hi", "source": "en"}, "Invalid request: missing target parameter"),
        ({"q": [1, 2], "source": "en", "target": "ht"}, "q must be a string"),
        ({"q": {"a": 1}, "source": "en", "target": "ht"}, "q must be a string"),
        ({"q": ["Hi"] * 500, "source": "en", "target": "ht"}, "At most"),
        ({"q": "Hi", "source": "xx", "target": "ht"}, "Unsupported source"),
        ({"q": "Hi", "source": "en", "target": 7}, "target must be a string"),
        ({"q": "Hi", "source": "en", "target": "ht", "alternatives": "x"}, "not a number"),
        ({"q": "Hi", "source": "en", "target": "ht", "format": "pdf"}, "not supported"),
        ({"q": "x" * 20_001, "source": "en", "target": "ht"}, "at most"),
    ],
)
def test_bad_requests_are_400(http: httpx.Client, body: dict[str, object], words: str) -> None:
    answer = http.post("/translate", json=body)
    assert answer.status_code == 400, answer.text
    assert words in answer.json()["error"]
    assert answer.headers["X-Request-ID"]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b'{"q": "\\ud800", "source": "en", "target": "ht"}', "application/json"),
        (b'{"q": "\xff\xfe", "source": "en", "target": "ht"}', "application/json"),
        (b"q=%ED%A0%80&source=en&target=ht", "application/x-www-form-urlencoded"),
        (b"q=%FF%FE&source=en&target=ht", "application/x-www-form-urlencoded"),
        (b"[1, 2]", "application/json"),
    ],
)
def test_broken_text_is_400_never_500(http: httpx.Client, content: bytes, kind: str) -> None:
    for path in ("/translate", "/detect"):
        answer = http.post(path, content=content, headers={"content-type": kind})
        assert answer.status_code in {200, 400}, answer.text
        if answer.status_code == 400:
            assert set(answer.json()) == {"error"}
        else:  # undecodable form bytes become U+FFFD, never a lone surrogate
            assert "\ud800" not in answer.text


def test_frontend_settings(live_api: LiveAPI) -> None:
    settings = httpx.get(f"{live_api.url}/frontend/settings").json()
    assert settings["charLimit"] == 20_000 and settings["keyRequired"] is False
    assert settings["apiKeys"] is True and settings["suggestions"] is False
    assert settings["filesTranslation"] is True
    assert {".txt", ".docx", ".pdf"} <= set(settings["supportedFilesFormat"])
    assert settings["language"]["target"] == {"code": "ht", "name": "Haitian Creole"}


def test_suggestions_are_disabled(live_api: LiveAPI) -> None:
    body = {"q": "Hi", "s": "Bonjou", "source": "en", "target": "ht"}
    answer = httpx.post(f"{live_api.url}/suggest", json=body)
    assert answer.status_code == 403
    assert answer.json() == {"error": "Suggestions are disabled on this server."}


def translate_file(api: LiveAPI, key: str | None, name: str, data: bytes) -> httpx.Response:
    form = {"source": "en", "target": "ht", **({"api_key": key} if key else {})}
    return httpx.post(
        f"{api.url}/translate_file", data=form, files={"file": (name, data)}, timeout=90
    )


def test_translate_a_text_file(live_api: LiveAPI, doc_key: str) -> None:
    answer = translate_file(live_api, doc_key, "note.txt", b"Wash your hands before eating.\n")
    assert answer.status_code == 200, answer.text
    url = answer.json()["translatedFileUrl"]
    assert url.startswith(f"{live_api.url}/download_file/")
    download = httpx.get(url)
    assert download.status_code == 200
    assert "Lave men ou" in download.content.decode()
    assert "attachment" in download.headers["content-disposition"]
    token = urlsplit(url).path.rsplit("/", 1)[1]
    assert "/download_file/[redacted]" in live_api.log_text()
    assert token not in live_api.log_text()


def test_translate_a_word_file(live_api: LiveAPI, doc_key: str) -> None:
    document = docx.Document()
    document.add_paragraph("Good morning")
    document.add_paragraph("Wash your hands before eating.")
    buffer = io.BytesIO()
    document.save(buffer)
    answer = translate_file(live_api, doc_key, "clinic.docx", buffer.getvalue())
    assert answer.status_code == 200, answer.text
    download = httpx.get(answer.json()["translatedFileUrl"])
    text = [p.text for p in docx.Document(io.BytesIO(download.content)).paragraphs]
    assert "Bonjou" in text[0] and "Lave men ou" in text[1]


def test_download_links_cannot_be_forged(live_api: LiveAPI, doc_key: str) -> None:
    url = translate_file(live_api, doc_key, "a.txt", b"Good morning").json()["translatedFileUrl"]
    task_id, expires, signature = urlsplit(url).path.rsplit("/", 1)[1].split(".")
    base = f"{live_api.url}/download_file"
    tampered = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    secret = SecretStr((live_api.site.directory / "secret_key").read_text().strip())
    key = Settings(secret_key=secret).derived_key(links.LABEL)
    old = links.sign(key, task_id, now=time.time() - 3600)
    fresh = links.sign(key, task_id)
    for bad in (
        f"{task_id}.{expires}.{tampered}",
        f"{task_id}.{int(expires) + 3600}.{signature}",
        old,
        "nothing",
        f"{task_id}..{signature}",
    ):
        answer = httpx.get(f"{base}/{bad}")
        assert answer.status_code == 404, bad
        assert "expired" in answer.json()["error"], bad
    assert httpx.get(f"{base}/{fresh}").status_code == 200  # the server's own secret signs


def test_files_need_a_key_and_a_file(live_api: LiveAPI, doc_key: str) -> None:
    answer = translate_file(live_api, None, "a.txt", b"Good morning")
    assert answer.status_code == 400 and "API key" in answer.json()["error"]
    answer = httpx.post(f"{live_api.url}/translate_file", data={"api_key": doc_key})
    assert answer.json() == {"error": "Invalid request: missing file parameter"}
    answer = translate_file(live_api, doc_key, "a.exe", b"MZ\x90\x00\x03\x00\x00\x00")
    assert answer.status_code == 400 and set(answer.json()) == {"error"}


def test_a_slow_file_is_a_503_and_its_job_goes_on(settings: Settings) -> None:
    app = create_app(derive(settings, compat_file_wait_seconds=0.001))
    with TestClient(app) as client:
        make_user(app, "lt_slow", tier="enterprise")
        key = app.state.users.create_api_key("lt_slow", APIKeyCreate(name="slow")).key
        lines = "".join(f"Wash your hands before eating, {n} times a day.\n" for n in range(400))
        answer = client.post(
            "/translate_file",
            data={"source": "en", "target": "ht", "api_key": key},
            files={"file": ("long.txt", lines.encode())},
        )
        assert answer.status_code == 503, answer.text
        assert int(answer.headers["Retry-After"]) > 0
        task_id = answer.json()["error"].split("(task ")[1].split(")")[0]
        headers = {"X-API-Key": key}
        status = "queued"
        for _ in range(300):  # the job was accepted: it completes, and the native API serves it
            status = client.get(f"/api/v1/tasks/{task_id}", headers=headers).json()["status"]
            if status in {"completed", "failed"}:
                break
            time.sleep(0.1)
        assert status == "completed"
        result = client.get(f"/api/v1/tasks/{task_id}/result", headers=headers)
        assert result.status_code == 200 and "Lave men ou" in result.text


def test_download_links_start_with_the_public_url(settings: Settings) -> None:
    public = derive(settings, public_url="https://kreyol.example.org/")
    app = create_app(public)
    with TestClient(app, base_url="http://10.0.0.5:8000") as client:  # as a TLS proxy calls it
        make_user(app, "lt_public")
        key = app.state.users.create_api_key("lt_public", APIKeyCreate(name="public")).key
        answer = client.post(
            "/translate_file",
            data={"source": "en", "target": "ht", "api_key": key},
            files={"file": ("a.txt", b"Good morning")},
        )
        assert answer.status_code == 200, answer.text
        url = answer.json()["translatedFileUrl"]
        assert url.startswith("https://kreyol.example.org/download_file/")
        assert client.get(urlsplit(url).path).text.strip() == "Bonjou"
