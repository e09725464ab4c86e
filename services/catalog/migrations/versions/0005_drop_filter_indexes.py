"""drop the type, language and year indexes: filters are facet tokens in the search
index now (0003), and each of these cost every insert of a title

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DROPPED = {
    "ix_titles_type": ["material_type", "seq"],
    "ix_titles_language": ["language", "seq"],
    "ix_titles_year": ["year", "seq"],
}


def upgrade():
    with op.batch_alter_table("titles") as batch:
        for name in DROPPED:
            batch.drop_index(name)


def downgrade():
    with op.batch_alter_table("titles") as batch:
        for name, columns in DROPPED.items():
            batch.create_index(name, columns)
