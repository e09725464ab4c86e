"""waiting deliveries: a disabled endpoint's events wait for it (status 'waiting',
a new value of the same column); a partial index finds how many wait per endpoint

Revision ID: w0002
Revises: w0001
"""

import sqlalchemy as sa
from alembic import op

revision = "w0002"
down_revision = "w0001"
branch_labels = None
depends_on = None

WAITING = sa.text("status = 'waiting'")


def upgrade():
    op.create_index(
        "ix_deliveries_waiting",
        "deliveries",
        ["endpoint_seq", "seq"],
        sqlite_where=WAITING,
        postgresql_where=WAITING,
    )


def downgrade():
    op.drop_index("ix_deliveries_waiting", table_name="deliveries")
    # Before this revision a disabled endpoint's deliveries waited as pending, and
    # none was dropped: one dropped (its body gone) is one that will not be sent.
    op.execute("UPDATE deliveries SET status = 'pending' WHERE status = 'waiting'")
    op.execute("UPDATE deliveries SET status = 'failed' WHERE status = 'dropped'")
