"""What a public body registers of a high-risk tool's use in the EU database: the
organisation's postal address, the tool's area of Annex III to the EU AI Act, the address of
its provider's entry in the database and the registration number of its use.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 21:40:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

COLUMNS = (
    ("postal_address", sa.Text()),
    ("annex_iii_area", sa.String(length=40)),
    ("eu_provider_entry_url", sa.String(length=2000)),
    ("eu_registration_number", sa.String(length=100)),
)


def upgrade():
    for name, type_ in COLUMNS:
        op.add_column("entry_version", sa.Column(name, type_, nullable=True))


def downgrade():
    # In place, as the upgrade added them (SQLite 3.35 and later drops columns itself).
    for name, _ in reversed(COLUMNS):
        op.drop_column("entry_version", name)
