"""PostgreSQL: keep the tsvector in a stored column, indexed, instead of an index on
an expression: a count over many matches then reads the vector rather than
re-parsing every document.

Revision ID: 0004
Revises: 0003
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE titles ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_doc)) STORED"
    )
    op.execute("CREATE INDEX ix_titles_search_vector ON titles USING gin (search_vector)")
    op.execute("DROP INDEX ix_titles_search")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE INDEX ix_titles_search ON titles USING gin (to_tsvector('simple', search_doc))"
    )
    op.execute("DROP INDEX ix_titles_search_vector")
    op.execute("ALTER TABLE titles DROP COLUMN search_vector")
