"""Where imported entries came from: import runs, the row of each entry, and its source.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 15:45:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["user_account.id"],
            name=op.f("fk_import_batch_imported_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batch")),
    )
    op.create_table(
        "entry_provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("source_identifier", sa.String(length=200), nullable=True),
        sa.Column("source_link", sa.String(length=500), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["import_batch.id"],
            name=op.f("fk_entry_provenance_batch_id_import_batch"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["entry.id"],
            name=op.f("fk_entry_provenance_entry_id_entry"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_provenance")),
    )
    with op.batch_alter_table("entry_provenance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entry_provenance_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entry_provenance_entry_id"), ["entry_id"], unique=False
        )
    # A plain ALTER TABLE, not a batch copy: the entry table keeps its AUTOINCREMENT on SQLite.
    op.add_column("entry", sa.Column("source", sa.String(length=120), nullable=True))
    op.create_index(op.f("ix_entry_source"), "entry", ["source"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_entry_source"), table_name="entry")
    op.drop_column("entry", "source")
    with op.batch_alter_table("entry_provenance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_provenance_entry_id"))
        batch_op.drop_index(batch_op.f("ix_entry_provenance_batch_id"))
    op.drop_table("entry_provenance")
    op.drop_table("import_batch")
