"""acquisitions.received_at: when the title an acquisition was for was catalogued,
for a branch listing its acquisitions over HTTP

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("acquisitions") as batch:
        batch.add_column(sa.Column("received_at", sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table("acquisitions") as batch:
        batch.drop_column("received_at")
