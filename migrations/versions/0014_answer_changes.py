"""Who changed each answer of each version.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "answer_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=80), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_answer_change_changed_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entry_version.id"],
            name=op.f("fk_answer_change_version_id_entry_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answer_change")),
        sa.UniqueConstraint(
            "version_id",
            "answer",
            "changed_by_id",
            name=op.f("uq_answer_change_version_id"),
        ),
    )
    op.create_index(
        op.f("ix_answer_change_version_id"), "answer_change", ["version_id"], unique=False
    )
    op.create_index(
        op.f("ix_answer_change_changed_by_id"), "answer_change", ["changed_by_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_answer_change_changed_by_id"), table_name="answer_change")
    op.drop_index(op.f("ix_answer_change_version_id"), table_name="answer_change")
    op.drop_table("answer_change")
