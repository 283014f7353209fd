"""The HTTP API: app factory, dependencies, middleware and routers."""

from kreyol_ia.api.app import create_app

__all__ = ["create_app"]
