"""the built-in survey templates: library service quality in the LibQUAL+
structure, the public-service satisfaction survey (SKM, Permenpan RB No. 14/2017),
NPS, training evaluation and after a community programme (services/feedback/builtin.py)

Revision ID: f0002
Revises: f0001
"""
import time

from alembic import op
import sqlalchemy as sa

from services.feedback.builtin import BUILT_IN


revision = 'f0002'
down_revision = 'f0001'
branch_labels = None
depends_on = None


def upgrade():
    templates = sa.table(
        'templates',
        sa.column('code', sa.String), sa.column('version', sa.Integer),
        sa.column('name_id', sa.String), sa.column('name_en', sa.String),
        sa.column('questions', sa.JSON), sa.column('built_in', sa.Boolean),
        sa.column('created_at', sa.Float),
    )
    op.bulk_insert(templates, [
        {'code': code, 'version': 1, 'name_id': name_id, 'name_en': name_en,
         'questions': questions, 'built_in': True, 'created_at': time.time()}
        for code, (name_id, name_en, questions) in BUILT_IN.items()
    ])


def downgrade():
    op.execute(sa.text("DELETE FROM templates WHERE built_in AND version = 1"))
