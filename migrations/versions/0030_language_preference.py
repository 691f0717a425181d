"""Each person's and each alert subscriber's language, so that emails are written in it.

A person's is the language of the page they last signed in on (or accepted an invitation
on); a subscription's, that of the page it was asked for on. Existing rows are English, the
language every email was written in until now.

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

TABLES = ("user_account", "alert_subscription")


def upgrade() -> None:
    # Plain ALTER TABLEs: a batch copy of a table on SQLite takes a lock that an open reader
    # of it (and the copy of its triggers and indexes) does not need for one new column.
    for table in TABLES:
        op.add_column(
            table, sa.Column("language", sa.String(length=5), server_default="en", nullable=False)
        )


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "language")
