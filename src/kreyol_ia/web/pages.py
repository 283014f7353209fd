"""The site's pages (one HTML shell the scripts fill) and its static files."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request, Response

from kreyol_ia.web.assets import Assets
from kreyol_ia.web.catalogue import LANGUAGES, catalogue
from kreyol_ia.web.language import COOKIE, pick_language

PAGES = ("/", "/documents", "/account", "/keys", "/usage", "/admin")
# no inline script or style anywhere; Trusted Types make innerHTML and friends throw
WEB_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; "
    "trusted-types 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": WEB_CSP,
    "Cache-Control": "no-cache",
    "Permissions-Policy": "camera=(), geolocation=(), microphone=(), payment=(), usb=()",
    "Vary": "Accept-Language, Cookie",
}
IMMUTABLE = "public, max-age=31536000, immutable"
SHELL = """<!doctype html>
<html lang="{lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Kreyòl IA</title>
<meta name="description" content="{description}">
<link rel="icon" href="{icon}" type="image/svg+xml">
<link rel="stylesheet" href="{css}">
<link rel="modulepreload" href="{js}">
<script type="module" src="{js}"></script>
</head>
<body>
<a class="skip" href="#main" id="skip-link">{skip}</a>
<header class="top" id="top"></header>
<main id="main" tabindex="-1"><noscript><p class="notice">{noscript}</p></noscript></main>
<footer class="bottom" id="bottom"></footer>
</body>
</html>
"""


def page_router(assets: Assets) -> APIRouter:
    """Routes for the pages and the static files, bound to one set of assets."""
    router = APIRouter(include_in_schema=False)
    catalogues = {language: catalogue(language) for language in LANGUAGES}  # read once

    def shell(request: Request) -> Response:
        language = pick_language(
            request.cookies.get(COOKIE), request.headers.get("accept-language")
        )
        strings = catalogues[language]
        html = SHELL.format(
            lang=language,
            description=escape(strings["shell.description"]),
            icon=assets.url("icons/favicon.svg"),
            css=assets.url("app.css"),
            js=assets.url("js/app.js"),
            skip=escape(strings["shell.skip"]),
            noscript=escape(strings["shell.noscript"]),
        )
        return Response(html, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    for path in PAGES:
        router.add_api_route(path, shell, methods=["GET"])

    @router.get("/static/{digest}/{path:path}")
    def static(digest: str, path: str, request: Request) -> Response:
        asset = assets.get(path)
        if asset is None:
            return Response("not found\n", status_code=404, media_type="text/plain")
        headers = {
            "ETag": asset.etag,
            "Cache-Control": IMMUTABLE if digest == assets.digest else "no-cache",
            "Vary": "Accept-Encoding",
        }
        if request.headers.get("if-none-match") == asset.etag:
            return Response(status_code=304, headers=headers)
        body = asset.body
        if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
            body, headers["Content-Encoding"] = asset.gzipped, "gzip"
        return Response(body, media_type=asset.media_type, headers=headers)

    return router
