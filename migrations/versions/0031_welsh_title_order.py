"""The order of entries by their title on a page in Welsh: an index of current versions by
the title such a page shows (the Welsh title where given, else the English) and id, so that
the listing sorted by title in Welsh walks it as the English listing walks its own.

The expression is the models' `title_in_welsh` as this revision has it, word for word: the
listing's ORDER BY must be the same expression for either engine to use the index.

Revision ID: 0031
Revises: 0030
"""

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

TITLE_IN_WELSH = "coalesce(nullif(title_cy, ''), title)"


def upgrade() -> None:
    # A Welsh title of spaces alone is no Welsh title (pages show the English one): stored
    # as None, as versions now store every blank answer, it sorts as the English one too.
    op.execute("UPDATE entry_version SET title_cy = NULL WHERE trim(title_cy) = ''")
    # As the other indexes of current versions: starting with is_current, for SQLite's planner.
    op.create_index(
        "ix_entry_version_current_title_cy",
        "entry_version",
        ["is_current", sa.text(TITLE_IN_WELSH), "id"],
        sqlite_where=sa.text("is_current = 1"),
        postgresql_where=sa.text("is_current"),
    )


def downgrade() -> None:
    op.drop_index("ix_entry_version_current_title_cy", table_name="entry_version")
