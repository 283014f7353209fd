"""``python -m kreyol_ia`` runs the CLI."""

from kreyol_ia.cli import app

app(prog_name="kreyol")
