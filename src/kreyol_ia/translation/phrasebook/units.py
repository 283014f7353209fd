"""The tagged units that analysis produces and generation consumes, shared by all directions."""

from __future__ import annotations

from dataclasses import dataclass, field

# Tags: PRON (subject/object pronoun), POSS, DEF, INDEF, DEM, NEG, COP, DO, HAVE, FUT, PROG,
# PAST, COND, MODAL, Q (yes/no question marker), QW (question word), ADJ, ADV, NOUN, VERB,
# PREP, CONJ, NUM, PUNCT, KEEP (protected span or name), UNK (unknown word), TO, THERE, CLITIC


@dataclass(slots=True)
class Unit:
    """One analysed piece: its grammatical tag, its rendering in the target, and features."""

    tag: str
    out: str
    src: str = ""
    feats: set[str] = field(default_factory=set)
    person: int = 2

    def has(self, *features: str) -> bool:
        return any(feature in self.feats for feature in features)
