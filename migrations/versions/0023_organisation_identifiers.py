"""Organisations' identifiers in a reference list (a GOV.UK slug, a GSS code, an OIN), so
that loading the list again finds the organisations it loaded before.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 22:25:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLEs, as in 0016: no batch copy of the table.
    op.add_column("organisation", sa.Column("identifier", sa.String(length=100)))
    op.add_column(
        "organisation",
        sa.Column("identifier_scheme", sa.String(length=40), nullable=False, server_default=""),
    )
    op.create_index(
        op.f("ix_organisation_identifier_scheme_identifier"),
        "organisation",
        ["identifier_scheme", "identifier"],
        unique=True,
    )


def downgrade():
    op.drop_index(op.f("ix_organisation_identifier_scheme_identifier"), table_name="organisation")
    op.drop_column("organisation", "identifier_scheme")
    op.drop_column("organisation", "identifier")
