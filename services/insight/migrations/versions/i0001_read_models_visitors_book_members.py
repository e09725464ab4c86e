"""read models, visitors' book and members

Revision ID: i0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa


revision = 'i0001'
down_revision = None
branch_labels = None
depends_on = 'r0001'


def upgrade():
    op.create_table('attainments',
    sa.Column('staff_id', sa.String(length=20), nullable=False),
    sa.Column('competency', sa.String(length=40), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.PrimaryKeyConstraint('staff_id', 'competency', 'level')
    )
    op.create_table('attendees',
    sa.Column('registration_id', sa.String(length=20), nullable=False),
    sa.Column('occurrence_id', sa.String(length=20), nullable=False),
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('age_group', sa.String(length=10), nullable=False),
    sa.Column('walk_in', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('registration_id')
    )
    op.create_index(op.f('ix_attendees_occurrence_id'), 'attendees', ['occurrence_id'], unique=False)
    op.create_table('branches',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('campaigns',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('branch', sa.String(length=10), nullable=True),
    sa.Column('template', sa.String(length=40), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.Column('responses', sa.Integer(), nullable=True),
    sa.Column('nps', sa.Float(), nullable=True),
    sa.Column('satisfaction_index', sa.Float(), nullable=True),
    sa.Column('satisfaction_grade', sa.String(length=2), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('certificates',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.String(length=20), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('completions',
    sa.Column('programme_id', sa.String(length=20), nullable=False),
    sa.Column('staff_id', sa.String(length=20), nullable=False),
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.PrimaryKeyConstraint('programme_id', 'staff_id')
    )
    op.create_table('holdings',
    sa.Column('title_id', sa.String(length=20), nullable=False),
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('title_id', 'branch')
    )
    op.create_table('member_counts',
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('new_members', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('branch', 'month')
    )
    op.create_table('occurrences',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('programme_id', sa.String(length=20), nullable=False),
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('programme_type', sa.String(length=30), nullable=False),
    sa.Column('audience', sa.String(length=20), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('registered', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('walk_ins', sa.Integer(), nullable=False),
    sa.Column('no_shows', sa.Integer(), nullable=False),
    sa.Column('partnered', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('source_marks',
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('last_event_at', sa.Float(), nullable=True),
    sa.Column('rebuilt_at', sa.Float(), nullable=True),
    sa.PrimaryKeyConstraint('source')
    )
    op.create_table('staff',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('position', sa.String(length=30), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('suggestions',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('branch', sa.String(length=10), nullable=True),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.Column('fulfilled_month', sa.String(length=7), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('tickets',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('days', sa.Float(), nullable=True),
    sa.Column('answered_month', sa.String(length=7), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('titles',
    sa.Column('id', sa.String(length=20), nullable=False),
    sa.Column('material_type', sa.String(length=20), nullable=False),
    sa.Column('from_suggestion', sa.Boolean(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('visit_cards',
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('card', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('branch', 'day', 'card')
    )
    op.create_table('visit_tallies',
    sa.Column('branch', sa.String(length=10), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('headcount', sa.Boolean(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('age_group', sa.String(length=10), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('branch', 'day', 'headcount', 'purpose', 'age_group')
    )
    op.create_index('ix_visit_tallies_day', 'visit_tallies', ['day', 'branch'], unique=False)


def downgrade():
    op.drop_index('ix_visit_tallies_day', table_name='visit_tallies')
    op.drop_table('visit_tallies')
    op.drop_table('visit_cards')
    op.drop_table('titles')
    op.drop_table('tickets')
    op.drop_table('suggestions')
    op.drop_table('staff')
    op.drop_table('source_marks')
    op.drop_table('occurrences')
    op.drop_table('member_counts')
    op.drop_table('holdings')
    op.drop_table('completions')
    op.drop_table('certificates')
    op.drop_table('campaigns')
    op.drop_table('branches')
    op.drop_index(op.f('ix_attendees_occurrence_id'), table_name='attendees')
    op.drop_table('attendees')
    op.drop_table('attainments')
