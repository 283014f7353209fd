"""Users' glossaries in the database: each owner sees, uses and deletes only their own."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from kreyol_ia.auth.keystore import lock_user
from kreyol_ia.db import DatabaseManager
from kreyol_ia.db.clock import as_utc, utcnow
from kreyol_ia.db.models import Glossary, GlossaryTerm
from kreyol_ia.glossaries.terms import GlossaryError, check_terms
from kreyol_ia.retry import retry_on_database_error
from kreyol_ia.translation.languages import SUPPORTED_PAIRS, describe_pairs
from kreyol_ia.translation.phrasebook.lexicon import Entry


@dataclass(frozen=True, slots=True)
class GlossaryInfo:
    """A glossary without its terms."""

    glossary_id: str
    name: str
    source_lang: str
    target_lang: str
    entry_count: int
    created_at: datetime


class GlossaryStore:
    """Create, list, read and delete glossaries, bounded per owner by the settings."""

    def __init__(self, db: DatabaseManager, max_per_user: int, max_terms: int):
        self.db = db
        self.max_per_user = max_per_user
        self.max_terms = max_terms

    def create(
        self, owner: str, name: str, source: str, target: str, pairs: list[tuple[str, str]]
    ) -> GlossaryInfo:
        """Store a new glossary; refuses unknown directions, bad terms and owners at their cap."""
        name = name.strip()
        if not name or len(name) > 200:
            raise GlossaryError("invalid_name", "A glossary name has 1 to 200 characters.")
        if (source, target) not in SUPPORTED_PAIRS:
            raise GlossaryError(
                "unsupported_pair",
                f"Glossaries exist for the directions {describe_pairs()}, not {source}→{target}.",
            )
        pairs = check_terms(pairs)
        if len(pairs) > self.max_terms:
            raise GlossaryError(
                "too_many_terms", f"A glossary may have at most {self.max_terms} entries.", 413
            )
        glossary_id = str(uuid.uuid4())
        with self.db.session() as session:
            if not lock_user(session, owner):
                raise GlossaryError("not_found", "No such account.", 404)
            count = session.scalar(select(func.count()).where(Glossary.owner == owner)) or 0
            if count >= self.max_per_user:
                raise GlossaryError(
                    "too_many_glossaries",
                    f"You have {count} glossaries, the most allowed; delete one first.",
                    409,
                )
            row = Glossary(
                glossary_id=glossary_id,
                owner=owner,
                name=name,
                source_lang=source,
                target_lang=target,
                entry_count=len(pairs),
                created_at=utcnow(),
            )
            session.add(row)
            session.flush()
            session.add_all(
                GlossaryTerm(glossary_id=glossary_id, position=i, source_text=s, target_text=t)
                for i, (s, t) in enumerate(pairs)
            )
            return _info(row)

    @retry_on_database_error()
    def list(self, owner: str) -> list[GlossaryInfo]:
        """The owner's glossaries, oldest first."""
        query = select(Glossary).where(Glossary.owner == owner).order_by(Glossary.created_at)
        with self.db.session() as session:
            return [_info(row) for row in session.scalars(query)]

    @retry_on_database_error()
    def get(self, owner: str, glossary_id: str) -> GlossaryInfo:
        """One of the owner's glossaries; another owner's is as absent as a missing one."""
        with self.db.session() as session:
            return _info(_owned(session.get(Glossary, glossary_id), owner))

    @retry_on_database_error()
    def terms(self, owner: str, glossary_id: str) -> list[tuple[str, str]]:
        """The glossary's terms in the order given."""
        with self.db.session() as session:
            _owned(session.get(Glossary, glossary_id), owner)
            query = (
                select(GlossaryTerm.source_text, GlossaryTerm.target_text)
                .where(GlossaryTerm.glossary_id == glossary_id)
                .order_by(GlossaryTerm.position)
            )
            return [(s, t) for s, t in session.execute(query)]

    def entries_for(self, owner: str, glossary_id: str, source: str, target: str) -> list[Entry]:
        """Terms ready for the translation service; the glossary must be for this direction."""
        info = self.get(owner, glossary_id)
        if (info.source_lang, info.target_lang) != (source, target):
            raise GlossaryError(
                "glossary_mismatch",
                f"Glossary {glossary_id} is for {info.source_lang}→{info.target_lang}, "
                f"not {source}→{target}.",
            )
        return [Entry(s, t, "user", "glossary") for s, t in self.terms(owner, glossary_id)]

    @retry_on_database_error()
    def delete(self, owner: str, glossary_id: str) -> None:
        """Remove the glossary and its terms (jobs already queued keep their copy)."""
        with self.db.session() as session:
            _owned(session.get(Glossary, glossary_id), owner)
            session.execute(delete(GlossaryTerm).where(GlossaryTerm.glossary_id == glossary_id))
            session.execute(delete(Glossary).where(Glossary.glossary_id == glossary_id))


def _owned(row: Glossary | None, owner: str) -> Glossary:
    if row is None or row.owner != owner:
        raise GlossaryError("glossary_not_found", "No such glossary.", 404)
    return row


def _info(row: Glossary) -> GlossaryInfo:
    return GlossaryInfo(
        row.glossary_id,
        row.name,
        row.source_lang,
        row.target_lang,
        row.entry_count,
        as_utc(row.created_at),
    )
