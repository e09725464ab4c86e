"""API clients have no scopes: they were stored and never checked; a key's role,
branch or partner say what it may do.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("api_clients") as batch_op:
        batch_op.drop_column("scopes")


def downgrade():
    with op.batch_alter_table("api_clients") as batch_op:
        batch_op.add_column(sa.Column("scopes", sa.JSON(), nullable=False, server_default="[]"))
