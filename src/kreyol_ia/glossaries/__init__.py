"""Users' own glossaries: terms a caller names by id so every engine's output uses them."""

from kreyol_ia.glossaries.store import GlossaryInfo, GlossaryStore
from kreyol_ia.glossaries.terms import GlossaryError, as_tsv, check_terms, parse_terms

__all__ = ["GlossaryError", "GlossaryInfo", "GlossaryStore", "as_tsv", "check_terms", "parse_terms"]
