"""Indexes for reading the register in orders that do not move: every published version by
when it was published (the change log at /api/v1/changes), and current versions by entry
(a walk through the API's pages by cursor).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 21:10:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# As the other indexes of current versions: starting with is_current, for SQLite's planner.
CURRENT = {"sqlite_where": sa.text("is_current = 1"), "postgresql_where": sa.text("is_current")}


def upgrade():
    op.create_index("ix_entry_version_published", "entry_version", ["published_at", "id"])
    op.create_index(
        "ix_entry_version_current_entry", "entry_version", ["is_current", "entry_id"], **CURRENT
    )


def downgrade():
    op.drop_index("ix_entry_version_current_entry", "entry_version")
    op.drop_index("ix_entry_version_published", "entry_version")
