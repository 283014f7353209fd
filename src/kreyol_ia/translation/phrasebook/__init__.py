"""The embedded phrasebook engine: the team's lexicon, translation memory and transfer rules."""

from kreyol_ia.translation.phrasebook.engine import PhrasebookEngine

__all__ = ["PhrasebookEngine"]
