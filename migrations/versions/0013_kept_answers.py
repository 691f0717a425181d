"""Answers kept for a person whose session ended before they saved.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "kept_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("browser", sa.String(length=64), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("sealed_answers", sa.Text(), nullable=False),
        sa.Column("kept_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_kept_answers_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_answers")),
    )
    op.create_index(
        "ix_kept_answers_user_id_browser", "kept_answers", ["user_id", "browser"], unique=False
    )
    op.create_index(
        op.f("ix_kept_answers_expires_at"), "kept_answers", ["expires_at"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_kept_answers_expires_at"), table_name="kept_answers")
    op.drop_index("ix_kept_answers_user_id_browser", table_name="kept_answers")
    op.drop_table("kept_answers")
