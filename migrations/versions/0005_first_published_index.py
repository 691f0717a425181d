"""An index of when entries were first published, for the listing's `published=` filter.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entry_first_published_at"), ["first_published_at"], unique=False
        )


def downgrade():
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_first_published_at"))
