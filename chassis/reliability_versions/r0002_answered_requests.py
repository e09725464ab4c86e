"""the requests a part's writes have answered, by request id

Revision ID: r0002
Revises: r0001
"""

import sqlalchemy as sa
from alembic import op

revision = "r0002"
down_revision = "r0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "answered_requests",
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("request_id", "method"),
    )
    with op.batch_alter_table("answered_requests") as batch_op:
        batch_op.create_index("ix_answered_requests_answered_at", ["answered_at"])


def downgrade():
    op.drop_table("answered_requests")
