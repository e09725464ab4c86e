"""the outbox and the applied events, in every reliable part's database

Revision ID: r0001
Revises:
Branch: reliability

A database that had these tables before they moved to this shared branch (the
catalogue's, made by its own 0001 until then) keeps them: each table is made only
where it is missing.
"""

import sqlalchemy as sa
from alembic import op

revision = "r0001"
down_revision = None
branch_labels = ("reliability",)
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade():
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "applied_events" not in existing:
        op.create_table(
            "applied_events",
            sa.Column("consumer", sa.String(length=200), nullable=False),
            sa.Column("event_id", sa.String(length=36), nullable=False),
            sa.Column("applied_at", sa.Float(), nullable=False),
            sa.PrimaryKeyConstraint("consumer", "event_id"),
        )
    if "outbox" not in existing:
        op.create_table(
            "outbox",
            sa.Column("id", ID, autoincrement=True, nullable=False),
            sa.Column("event_id", sa.String(length=36), nullable=False),
            sa.Column("event_type", sa.String(length=100), nullable=False),
            sa.Column("envelope", sa.Text(), nullable=False),
            sa.Column("context", sa.Text(), nullable=True),
            sa.Column("created_at", sa.Float(), nullable=False),
            sa.Column("lease_owner", sa.String(length=64), nullable=True),
            sa.Column("lease_until", sa.Float(), nullable=True),
            sa.Column("sent_at", sa.Float(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("event_id"),
        )
        with op.batch_alter_table("outbox") as batch_op:
            batch_op.create_index(
                "ix_outbox_pending",
                ["id"],
                unique=False,
                sqlite_where=sa.text("sent_at IS NULL"),
                postgresql_where=sa.text("sent_at IS NULL"),
            )


def downgrade():
    op.drop_table("outbox")
    op.drop_table("applied_events")
