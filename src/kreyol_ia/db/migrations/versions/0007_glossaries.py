"""users' own glossaries (used by id on /translate, /documents and the DeepL facade)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "glossaries",
        sa.Column("glossary_id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source_lang", sa.String(length=8), nullable=False),
        sa.Column("target_lang", sa.String(length=8), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner"],
            ["users.username"],
            name=op.f("fk_glossaries_owner_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("glossary_id", name=op.f("pk_glossaries")),
    )
    op.create_index(op.f("ix_glossaries_owner"), "glossaries", ["owner"])
    op.create_table(
        "glossary_terms",
        sa.Column("glossary_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source_text", sa.String(length=1024), nullable=False),
        sa.Column("target_text", sa.String(length=1024), nullable=False),
        sa.ForeignKeyConstraint(
            ["glossary_id"],
            ["glossaries.glossary_id"],
            name=op.f("fk_glossary_terms_glossary_id_glossaries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("glossary_id", "position", name=op.f("pk_glossary_terms")),
    )


def downgrade() -> None:
    op.drop_table("glossary_terms")
    op.drop_index(op.f("ix_glossaries_owner"), table_name="glossaries")
    op.drop_table("glossaries")
