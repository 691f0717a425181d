"""Indexes for counting the register's figures: current versions by the filter columns
after the first three of the covering index, grouped together in one ordered walk; the
codes chosen for multiple-choice fields with their version, so that counting them or
finding the versions with a code reads the index alone; and entries by first publication
with their state, so that the public ones are counted by month from the index alone.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 01:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

# The filter columns of entry_version after organisation, policy area and status, as
# this revision has them.
FOLLOWING = (
    "decision_role",
    "built_by",
    "uses_personal_data",
    "risk_level",
    "eu_ai_act_category",
    "rights_safety_effect",
    "oversight_model",
)


def upgrade():
    # As the other indexes of current versions: starting with is_current, for SQLite's planner.
    op.create_index(
        "ix_entry_version_current_following",
        "entry_version",
        ["is_current", *FOLLOWING],
        sqlite_where=sa.text("is_current = 1"),
        postgresql_where=sa.text("is_current"),
    )
    op.drop_index("ix_version_choice_field_code", table_name="version_choice")
    op.create_index(
        "ix_version_choice_field_code", "version_choice", ["field", "code", "version_id"]
    )
    op.drop_index("ix_entry_first_published_at", table_name="entry")
    op.create_index("ix_entry_first_published_at", "entry", ["first_published_at", "state"])


def downgrade():
    op.drop_index("ix_entry_first_published_at", table_name="entry")
    op.create_index("ix_entry_first_published_at", "entry", ["first_published_at"])
    op.drop_index("ix_version_choice_field_code", table_name="version_choice")
    op.create_index("ix_version_choice_field_code", "version_choice", ["field", "code"])
    op.drop_index("ix_entry_version_current_following", table_name="entry_version")
