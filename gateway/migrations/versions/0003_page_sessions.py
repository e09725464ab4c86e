"""page sessions: a librarian signed in on the pages with a key

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "page_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["key_id"], ["api_clients.key_id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_page_sessions_key_id", "page_sessions", ["key_id"])


def downgrade():
    op.drop_index("ix_page_sessions_key_id", table_name="page_sessions")
    op.drop_table("page_sessions")
