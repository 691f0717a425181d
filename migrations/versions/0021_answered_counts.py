"""How many questions each version answers, kept for the register's average completeness
(`register/completeness.py`), with the fingerprint of the questions it was counted against,
and an index of current versions' counts for adding them up.

The counts are not written here: what answers a question is the application's to say, and
the application of a later revision may count questions whose columns this revision does not
have yet. A current version without a count is counted, and its count kept, the first time
the statistics are taken.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 21:55:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# As the other indexes of current versions: starting with is_current, for SQLite's planner.
CURRENT = {"sqlite_where": sa.text("is_current = 1"), "postgresql_where": sa.text("is_current")}


def upgrade():
    op.add_column("entry_version", sa.Column("answered", sa.SmallInteger(), nullable=True))
    op.add_column("entry_version", sa.Column("answered_layout", sa.String(16), nullable=True))
    op.create_index(
        "ix_entry_version_current_answered",
        "entry_version",
        ["is_current", "answered_layout", "answered"],
        **CURRENT,
    )


def downgrade():
    op.drop_index("ix_entry_version_current_answered", "entry_version")
    # In place, as the upgrade added them (SQLite 3.35 and later drops columns itself).
    op.drop_column("entry_version", "answered_layout")
    op.drop_column("entry_version", "answered")
