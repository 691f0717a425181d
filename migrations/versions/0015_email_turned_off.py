"""Each person's choice of workflow emails.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 18:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    # A row per kind of email a person has turned off: no rows, every kind on.
    op.create_table(
        "email_turned_off",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_email_turned_off_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_email_turned_off")),
    )


def downgrade():
    op.drop_table("email_turned_off")
