"""positions' required levels

Revision ID: i0003
Revises: i0002
"""
from alembic import op
import sqlalchemy as sa


revision = 'i0003'
down_revision = 'i0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('requirements',
    sa.Column('position', sa.String(length=30), nullable=False),
    sa.Column('competency', sa.String(length=40), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('position', 'competency')
    )


def downgrade():
    op.drop_table('requirements')
