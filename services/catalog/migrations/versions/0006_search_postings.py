"""search by bitmaps of titles per word (search_postings) instead of SQLite's FTS5
table and PostgreSQL's GIN index: exact totals at a million titles within
milliseconds (see postings.py)

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from services.catalog.postings import update_documents

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

FILL_BATCH = 10_000


def upgrade():
    op.create_table(
        "search_postings",
        sa.Column("term", sa.Text().with_variant(sa.Text(collation="C"), "postgresql"),
                  nullable=False),
        sa.Column("chunk", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("bits", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("term", "chunk", name=op.f("pk_search_postings")),
    )
    _fill()
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER titles_fts_{trigger}")
        op.execute("DROP TABLE titles_fts")
    else:
        op.execute("DROP INDEX ix_titles_search_vector")
        op.execute("ALTER TABLE titles DROP COLUMN search_vector")


def _fill():
    """Index the search documents already there, a batch of titles at a time."""
    session = Session(bind=op.get_bind())
    last = 0
    while True:
        rows = session.execute(
            sa.text(
                "SELECT seq, search_doc FROM titles WHERE seq > :last AND search_doc <> '' "
                "ORDER BY seq LIMIT :n"
            ),
            {"last": last, "n": FILL_BATCH},
        ).all()
        if not rows:
            return
        update_documents(session, ((seq, "", doc) for seq, doc in rows))
        session.flush()
        last = rows[-1].seq


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        from importlib import import_module

        for statement in import_module(
            "services.catalog.migrations.versions.0002_branches_items_acquisitions_search"
        ).SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute(
            "ALTER TABLE titles ADD COLUMN search_vector tsvector "
            "GENERATED ALWAYS AS (to_tsvector('simple', search_doc)) STORED"
        )
        op.execute("CREATE INDEX ix_titles_search_vector ON titles USING gin (search_vector)")
    op.drop_table("search_postings")
