"""copies by barcode and campaigns' LibQUAL+ adequacy gaps

Revision ID: i0002
Revises: i0001
"""
from alembic import op
import sqlalchemy as sa


revision = 'i0002'
down_revision = 'i0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('copies',
    sa.Column('barcode', sa.String(length=32), nullable=False),
    sa.Column('title_id', sa.String(length=20), nullable=True),
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_at', sa.Float(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.PrimaryKeyConstraint('barcode')
    )
    op.create_index('ix_copies_branch_month', 'copies', ['branch', 'month'], unique=False)
    op.create_index(op.f('ix_copies_title_id'), 'copies', ['title_id'], unique=False)
    op.add_column('campaigns', sa.Column('adequacy_gaps', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('campaigns', 'adequacy_gaps')
    op.drop_index(op.f('ix_copies_title_id'), table_name='copies')
    op.drop_index('ix_copies_branch_month', table_name='copies')
    op.drop_table('copies')
