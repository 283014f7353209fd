"""The web application: pages, static files, offline API docs and the cookie session.

``install_web`` is its one door into the app; everything it shows comes through the public API.
"""

from __future__ import annotations

from fastapi import FastAPI

from kreyol_ia.web import session
from kreyol_ia.web.assets import Assets
from kreyol_ia.web.docs import docs_router
from kreyol_ia.web.pages import page_router


def install_web(app: FastAPI) -> None:
    """Serve the site at /, the docs at /docs and /redoc, and the cookie session routes."""
    assets = Assets()
    app.state.web_assets = assets
    app.include_router(session.router)
    app.include_router(docs_router(assets))
    app.include_router(page_router(assets))
