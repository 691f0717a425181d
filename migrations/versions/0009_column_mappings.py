"""Column mappings: those organisations keep under a name, and the one an upload is mapped by.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 16:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "saved_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_saved_mapping_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_saved_mapping_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_mapping")),
        sa.UniqueConstraint(
            "organisation_id", "name", name=op.f("uq_saved_mapping_organisation_id")
        ),
    )
    op.create_table(
        "pending_mapping",
        sa.Column("pending_import_id", sa.Integer(), nullable=False),
        sa.Column("columns", sa.Text(), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("saved_mapping_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["pending_import_id"],
            ["pending_import.id"],
            name=op.f("fk_pending_mapping_pending_import_id_pending_import"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["saved_mapping_id"],
            ["saved_mapping.id"],
            name=op.f("fk_pending_mapping_saved_mapping_id_saved_mapping"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("pending_import_id", name=op.f("pk_pending_mapping")),
    )


def downgrade():
    op.drop_table("pending_mapping")
    op.drop_table("saved_mapping")
