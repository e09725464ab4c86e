"""one rebuild at a time: its lease

Revision ID: i0004
Revises: i0003
"""
from alembic import op
import sqlalchemy as sa


revision = 'i0004'
down_revision = 'i0003'
branch_labels = None
depends_on = None


def upgrade():
    lease = op.create_table('rebuild_lease',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('holder', sa.String(length=80), nullable=False),
    sa.Column('until', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.bulk_insert(lease, [{'id': 1, 'holder': '', 'until': 0.0}])


def downgrade():
    op.drop_table('rebuild_lease')
