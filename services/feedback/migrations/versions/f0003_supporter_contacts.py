"""supporters' contacts: how to tell a suggestion's supporters it was fulfilled, one
per vote, apart from the votes

Revision ID: f0003
Revises: f0002
"""
from alembic import op
import sqlalchemy as sa


revision = 'f0003'
down_revision = 'f0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('supporter_contacts',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('suggestion_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('member', sa.String(length=40), nullable=False),
    sa.Column('contact', sa.String(length=254), nullable=False),
    sa.ForeignKeyConstraint(['suggestion_seq', 'member'], ['votes.suggestion_seq', 'votes.member'], name='fk_supporter_contacts_vote'),
    sa.PrimaryKeyConstraint('seq'),
    sa.UniqueConstraint('suggestion_seq', 'member', name='uq_supporter_contacts_vote')
    )


def downgrade():
    op.drop_table('supporter_contacts')
