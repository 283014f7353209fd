"""auth hardening: session families, token and callback-key versions, key parents

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 00:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "refresh_families",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["username"],
            ["users.username"],
            name=op.f("fk_refresh_families_username_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_families")),
    )
    with op.batch_alter_table("refresh_families", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_refresh_families_username"), ["username"], unique=False
        )
    # every session that exists already gets its family row (live while one token is live)
    op.execute(
        "INSERT INTO refresh_families (id, username, created_at, revoked_at) "
        "SELECT family, MIN(username), MIN(issued_at), "
        "CASE WHEN COUNT(*) = COUNT(revoked_at) THEN MAX(revoked_at) END "
        "FROM refresh_tokens GROUP BY family"
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("token_version", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("callback_key_version", sa.Integer(), server_default="0", nullable=False)
        )
    # the admin scope now follows the role: it is never stored on users
    op.execute("UPDATE users SET scopes = TRIM(REPLACE(scopes, 'admin', ''))")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parent_key_id", sa.Integer(), nullable=True))
        batch_op.create_index("idx_api_keys_parent_key_id", ["parent_key_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index("idx_api_keys_parent_key_id")
        batch_op.drop_column("parent_key_id")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("callback_key_version")
        batch_op.drop_column("token_version")
    op.execute("UPDATE users SET scopes = TRIM(scopes || ' admin') WHERE role = 'admin'")
    with op.batch_alter_table("refresh_families", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_families_username"))
    op.drop_table("refresh_families")
