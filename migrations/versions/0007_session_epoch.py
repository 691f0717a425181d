"""A per-person session counter, so signing out ends every copy of the session cookie.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 23:30:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "user_account",
        sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade():
    op.drop_column("user_account", "session_epoch")
