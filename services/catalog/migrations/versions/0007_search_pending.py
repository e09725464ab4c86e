"""search_pending: a write adds its changes of the search index here, rows of its
own, instead of rewriting the bitmaps every title with the same word shares; the
catalogue folds them into the bitmaps in batches (see postings.py)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_pending",
        sa.Column("term", sa.Text().with_variant(sa.Text(collation="C"), "postgresql"),
                  nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  autoincrement=False, nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("term", "seq", name=op.f("pk_search_pending")),
    )


def downgrade():
    op.drop_table("search_pending")
