"""Swagger UI at /docs and ReDoc at /redoc from local bundles, so they work with no internet."""

from __future__ import annotations

from fastapi import APIRouter, Response

from kreyol_ia.web.assets import Assets

# Swagger UI and ReDoc set style attributes at run time; their scripts are ours, not inline
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kreyòl IA — {title}</title>
<link rel="icon" href="{icon}" type="image/svg+xml">
{css}
</head>
<body>
<div id="{element}" data-openapi-url="/openapi.json"></div>
<script src="{bundle}"></script>
<script src="{init}"></script>
</body>
</html>
"""


def docs_router(assets: Assets) -> APIRouter:
    """/docs and /redoc pages pointing at the bundles in ``assets``."""
    router = APIRouter(include_in_schema=False)
    headers = {"Content-Security-Policy": DOCS_CSP, "Cache-Control": "no-cache"}

    @router.get("/docs")
    def swagger() -> Response:
        html = DOCS_PAGE.format(
            title="API (Swagger UI)",
            icon=assets.url("icons/favicon.svg"),
            css=f'<link rel="stylesheet" href="{assets.url("docs/swagger-ui.css")}">',
            element="swagger-ui",
            bundle=assets.url("docs/swagger-ui-bundle.js"),
            init=assets.url("docs/swagger-init.js"),
        )
        return Response(html, media_type="text/html; charset=utf-8", headers=headers)

    @router.get("/redoc")
    def redoc() -> Response:
        html = DOCS_PAGE.format(
            title="API (ReDoc)",
            icon=assets.url("icons/favicon.svg"),
            css="",
            element="redoc",
            bundle=assets.url("docs/redoc.standalone.js"),
            init=assets.url("docs/redoc-init.js"),
        )
        return Response(html, media_type="text/html; charset=utf-8", headers=headers)

    return router
