"""The web application's server side: pages, assets, catalogues, docs and the cookie session."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kreyol_ia.api.app import create_app
from kreyol_ia.config import Settings
from kreyol_ia.web.catalogue import LANGUAGES, catalogue, missing_keys
from kreyol_ia.web.language import pick_language
from tests.conftest import PASSWORD, derive, make_user

ORIGIN = {"Origin": "http://testserver"}
PAGES = ("/", "/documents", "/account", "/keys", "/usage", "/admin")


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def test_every_catalogue_has_every_key() -> None:
    assert missing_keys() == {}
    for language in LANGUAGES:
        strings = catalogue(language)
        assert all(isinstance(value, str) and value.strip() for value in strings.values())


def test_a_missing_key_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    real = catalogue

    def lacking(language: str) -> dict[str, str]:
        strings = dict(real(language))
        if language == "fr":
            strings.pop("nav.translate")
        return strings

    monkeypatch.setattr("kreyol_ia.web.catalogue.catalogue", lacking)
    assert missing_keys() == {"fr": ["nav.translate"]}


def test_placeholders_agree_across_languages() -> None:
    """A {name} in one language's string must exist in the others', or a value goes missing."""
    reference = catalogue("en")
    for language in ("ht", "fr"):
        for key, text in catalogue(language).items():
            assert set(re.findall(r"\{(\w+)\}", text)) == set(
                re.findall(r"\{(\w+)\}", reference[key])
            ), (language, key)


@pytest.mark.parametrize(
    ("saved", "header", "expected"),
    [
        (None, None, "ht"),
        (None, "ht", "ht"),
        (None, "ht-HT,fr;q=0.8", "ht"),
        (None, "fr-CA,fr;q=0.9,en;q=0.8", "fr"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "de-DE,en;q=0.5,fr;q=0.7", "fr"),
        (None, "es,pt;q=0.9", "ht"),
        (None, "hat", "ht"),
        (None, "fr;q=abc, en;q=0.2", "en"),
        ("en", "fr", "en"),
        ("xx", "fr", "fr"),
    ],
)
def test_interface_language_choice(saved: str | None, header: str | None, expected: str) -> None:
    assert pick_language(saved, header) == expected


def test_pages_are_served_in_the_browser_s_language(client: TestClient) -> None:
    for path in PAGES:
        page = client.get(path, headers={"Accept-Language": "ht-HT,fr;q=0.5"})
        assert page.status_code == 200
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert '<html lang="ht"' in page.text
    french = client.get("/", headers={"Accept-Language": "fr"})
    assert '<html lang="fr"' in french.text
    assert catalogue("fr")["shell.skip"] in french.text
    client.cookies.set("kreyol_lang", "en")
    assert '<html lang="en"' in client.get("/", headers={"Accept-Language": "fr"}).text


def test_pages_have_a_strict_policy(client: TestClient) -> None:
    headers = client.get("/").headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "require-trusted-types-for 'script'" in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_the_shell_has_no_inline_script_or_style(client: TestClient) -> None:
    html = client.get("/").text
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None
    assert "<style" not in html
    assert " style=" not in html
    assert re.search(r"\son[a-z]+=", html) is None
    for url in _assets(html):
        assert url.startswith(("/static/", "#")), url


def test_static_files_are_cached_compressed_and_revalidated(client: TestClient) -> None:
    html = client.get("/").text
    script = next(url for url in _assets(html) if url.endswith("app.js"))
    plain = client.get(script, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("text/javascript")
    assert "immutable" in plain.headers["cache-control"]
    packed = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content  # httpx decodes it
    again = client.get(script, headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304
    stale = client.get(script.replace(client.app.state.web_assets.digest, "0" * 12))
    assert stale.status_code == 200
    assert stale.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    "path",
    [
        "/static/x/../../config.py",
        "/static/x/%2e%2e/%2e%2e/web/pages.py",
        "/static/x/js/nothing.js",
        "/static/x/",
    ],
)
def test_static_serves_only_its_own_files(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b"import" not in response.content


def test_catalogues_are_served_merged(client: TestClient) -> None:
    digest = client.app.state.web_assets.digest
    for language in LANGUAGES:
        served = client.get(f"/static/{digest}/i18n/{language}.json").json()
        assert served == catalogue(language)


def test_docs_use_local_bundles_only(client: TestClient) -> None:
    for path, bundle in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        html = client.get(path).text
        urls = _assets(html)
        assert any(url.endswith(bundle) for url in urls)
        for url in urls:
            assert url.startswith("/"), url
            assert client.get(url).status_code == 200
        assert "<script>" not in html  # the start-up code is a file, not inline


def test_no_file_the_site_serves_names_another_origin(client: TestClient) -> None:
    """No CDN, font service or analytics in our own files (the vendored bundles aside)."""
    assets = client.app.state.web_assets
    for path, asset in assets.files.items():
        if path.startswith("docs/") and path.endswith(("bundle.js", "standalone.js", ".css")):
            continue
        text = asset.body.decode("utf-8", "replace")
        assert not re.search(r"https?://(?!www\.w3\.org/)", text), path


# --- the cookie session --------------------------------------------------------------------


def _sign_in(client: TestClient, headers: dict[str, str] | None = ORIGIN):
    return client.post(
        "/api/v1/auth/session",
        data={"username": "alice", "password": PASSWORD},
        headers=headers or {},
    )


@pytest.fixture
def web(client: TestClient) -> TestClient:
    make_user(client.app, "alice")
    return client


def test_sign_in_sets_a_locked_down_cookie_and_returns_only_the_access_token(
    web: TestClient,
) -> None:
    response = _sign_in(web)
    assert response.status_code == 200
    assert set(response.json()) == {"access_token", "token_type", "expires_in"}
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("kreyol_refresh=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/api/v1/auth/session" in cookie
    assert "Secure" not in cookie  # plain http in this test
    assert response.headers["cache-control"] == "no-store"
    token = response.json()["access_token"]
    me = web.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == "alice"


def test_cookie_is_secure_over_https_or_when_configured(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app, base_url="https://testserver") as secure:
        make_user(app, "alice")
        response = _sign_in(secure, {"Origin": "https://testserver"})
        assert "Secure" in response.headers["set-cookie"]
    forced = create_app(derive(settings, cookie_secure=True))
    with TestClient(forced) as client:  # same database: alice exists already
        assert "Secure" in _sign_in(client).headers["set-cookie"]


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://testserver.evil"},
    ],
)
def test_session_routes_refuse_other_origins(web: TestClient, headers) -> None:
    assert _sign_in(web).status_code == 200  # a live cookie in the jar
    for response in (
        _sign_in(web, headers),
        web.post("/api/v1/auth/session/refresh", headers=headers or {}),
        web.post("/api/v1/auth/session/logout", headers=headers or {}),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "origin_refused"
        assert "set-cookie" not in response.headers
    # the session is still alive: none of the refused calls touched it
    assert web.post("/api/v1/auth/session/refresh", headers=ORIGIN).status_code == 200


def test_refresh_rotates_and_a_replayed_cookie_ends_the_session(web: TestClient) -> None:
    first = _sign_in(web).headers["set-cookie"].split(";")[0].split("=", 1)[1]
    renewed = web.post("/api/v1/auth/session/refresh", headers=ORIGIN)
    assert renewed.status_code == 200
    second = renewed.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    assert second != first
    web.cookies.clear()
    replay = web.post(
        "/api/v1/auth/session/refresh", headers=ORIGIN, cookies={"kreyol_refresh": first}
    )
    assert replay.status_code == 401
    assert "Max-Age=0" in replay.headers["set-cookie"]  # the page forgets the dead cookie
    web.cookies.clear()
    after = web.post(
        "/api/v1/auth/session/refresh", headers=ORIGIN, cookies={"kreyol_refresh": second}
    )
    assert after.status_code == 401  # reuse revoked the whole family


def test_no_cookie_means_signed_out_not_an_error(web: TestClient) -> None:
    response = web.post("/api/v1/auth/session/refresh", headers=ORIGIN)
    assert response.status_code == 204
    forged = web.post(
        "/api/v1/auth/session/refresh", headers=ORIGIN, cookies={"kreyol_refresh": "x" * 5000}
    )
    assert forged.status_code == 401
    garbage = web.post(
        "/api/v1/auth/session/refresh", headers=ORIGIN, cookies={"kreyol_refresh": "not.a.jwt"}
    )
    assert garbage.status_code == 401
    assert garbage.json()["error"]["code"] == "invalid_token"


def test_logout_clears_the_cookie_and_ends_the_tokens(web: TestClient) -> None:
    signed_in = _sign_in(web)
    token = signed_in.json()["access_token"]
    refresh = signed_in.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    out = web.post("/api/v1/auth/session/logout", headers=ORIGIN)
    assert out.status_code == 204
    assert "Max-Age=0" in out.headers["set-cookie"]
    me = web.get("/api/v1/users/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
    web.cookies.clear()
    again = web.post(
        "/api/v1/auth/session/refresh", headers=ORIGIN, cookies={"kreyol_refresh": refresh}
    )
    assert again.status_code == 401
    # signing out with no session is fine, twice
    assert web.post("/api/v1/auth/session/logout", headers=ORIGIN).status_code == 204


def test_wrong_password_is_throttled_like_the_token_route(web: TestClient) -> None:
    limit = web.app.state.settings.login_max_failures_per_user
    for _ in range(limit):
        bad = web.post(
            "/api/v1/auth/session", data={"username": "alice", "password": "nope"}, headers=ORIGIN
        )
        assert bad.status_code == 401
        assert "set-cookie" not in bad.headers
    locked = _sign_in(web)
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_attempts"


def test_session_sign_in_pays_the_auth_rate_limit(settings: Settings) -> None:
    app = create_app(derive(settings, auth_rate_per_minute=3))
    with TestClient(app) as client:
        codes = [
            client.post(
                "/api/v1/auth/session", data={"username": "x", "password": "y"}, headers=ORIGIN
            ).status_code
            for _ in range(4)
        ]
    assert codes == [401, 401, 401, 429]


def test_redoc_bundle_no_longer_fetches_its_logo_from_a_cdn(client: TestClient) -> None:
    bundle = client.app.state.web_assets.get("docs/redoc.standalone.js").body
    assert b"cdn.redoc.ly" not in bundle
    assert b'src:"data:image/svg+xml;base64,' in bundle
