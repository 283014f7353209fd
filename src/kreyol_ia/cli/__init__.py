"""The ``kreyol`` command line; each module adds its commands to one Typer app."""

from kreyol_ia.cli import accounts as _accounts  # noqa: F401 - registers users/keys
from kreyol_ia.cli import models as _models  # noqa: F401 - registers model
from kreyol_ia.cli.main import app

__all__ = ["app"]
