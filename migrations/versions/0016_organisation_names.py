"""Organisations' former names, when what the public reads of one last changed, and the
name each published version was published under once its organisation is renamed.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 18:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisation_former_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("used_until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_former_name_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_former_name")),
    )
    op.create_index(
        op.f("ix_organisation_former_name_organisation_id"),
        "organisation_former_name",
        ["organisation_id"],
    )
    # Plain ALTER TABLEs, not batch copies: a copy of entry_version would lose the search
    # index's triggers on SQLite.
    op.add_column("organisation", sa.Column("changed_at", sa.DateTime(timezone=True)))
    op.add_column("entry_version", sa.Column("organisation_name", sa.String(length=200)))


def downgrade():
    op.drop_column("entry_version", "organisation_name")
    op.drop_column("organisation", "changed_at")
    op.drop_index(
        op.f("ix_organisation_former_name_organisation_id"), table_name="organisation_former_name"
    )
    op.drop_table("organisation_former_name")
