"""suggestions: the branches their title's copies were added at (shelved_at)

Revision ID: f0004
Revises: f0003
"""
from alembic import op
import sqlalchemy as sa


revision = 'f0004'
down_revision = 'f0003'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('suggestions', sa.Column('shelved_at', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('suggestions') as batch:
        batch.drop_column('shelved_at')
