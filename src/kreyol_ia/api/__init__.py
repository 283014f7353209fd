"""The HTTP API: app factory, dependencies, middleware and routers."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """``create_app`` on first use, so importing a submodule (deps, errors) never builds the
    whole app import graph, and the web package can use ``api.deps`` without a cycle."""
    if name == "create_app":
        from kreyol_ia.api.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
