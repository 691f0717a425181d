"""Each current version's CSV line and JSON record, kept for the search downloads.

Nothing is filled in here: the first download (or `flask register build-documents`) writes
the documents of versions that have none.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 21:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "version_document",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("layout", sa.String(length=60), nullable=False),
        sa.Column("csv_line", sa.Text(), nullable=False),
        sa.Column("json", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entry_version.id"],
            name=op.f("fk_version_document_version_id_entry_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", name=op.f("pk_version_document")),
    )


def downgrade():
    op.drop_table("version_document")
