"""How far the check of an uploaded file has got, for the upload page to show meanwhile.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 16:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "import_progress",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("rows_checked", sa.Integer(), nullable=False),
        sa.Column("rows_expected", sa.Integer(), nullable=True),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_import_progress_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_progress")),
        sa.UniqueConstraint("token", name=op.f("uq_import_progress_token")),
    )
    with op.batch_alter_table("import_progress", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_progress_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("import_progress", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_progress_user_id"))
    op.drop_table("import_progress")
