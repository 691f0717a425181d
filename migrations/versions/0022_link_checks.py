"""What the last check of each public link found.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 22:25:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "link_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.String(length=80), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failing_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["entry.id"],
            name=op.f("fk_link_check_entry_id_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entry_version.id"],
            name=op.f("fk_link_check_version_id_entry_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_check")),
    )
    op.create_index(
        "uq_link_check_link", "link_check", ["entry_id", "question", "url"], unique=True
    )
    op.create_index(op.f("ix_link_check_version_id"), "link_check", ["version_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_link_check_version_id"), table_name="link_check")
    op.drop_index("uq_link_check_link", table_name="link_check")
    op.drop_table("link_check")
