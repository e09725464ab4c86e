"""search documents carry facet tokens (type, language, year, subjects, availability)

Revision ID: 0003
Revises: 0002
"""
import json

import sqlalchemy as sa
from alembic import op

from services.catalog.titles import search_document

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    conn = op.get_bind()
    available: dict[int, list[str]] = {}
    for seq, branch in conn.execute(
        sa.text("SELECT DISTINCT title_seq, branch_code FROM items WHERE status = 'available'")
    ):
        available.setdefault(seq, []).append(branch)
    rows = conn.execute(sa.text("SELECT * FROM titles WHERE withdrawn_at IS NULL")).mappings().all()
    for row in rows:
        data = {k: json.loads(v) if k in ("authors", "subjects") and isinstance(v, str) else v
                for k, v in row.items()}
        conn.execute(
            sa.text("UPDATE titles SET search_doc = :doc WHERE seq = :seq"),
            {"seq": row["seq"], "doc": search_document(data, available.get(row["seq"], []))},
        )
    conn.execute(sa.text("UPDATE titles SET search_doc = '' WHERE withdrawn_at IS NOT NULL"))


def downgrade():
    pass  # the old documents are a subset; searches ignore the extra tokens
