"""Email alerts for saved searches, organisations and suppliers; headers on outbox email.

`alert_subscription` holds one row per address and search (the address, the search, how
often, and when it was asked for, confirmed and last told). `outbox_message.sealed_headers`
keeps extra headers of a message (such as List-Unsubscribe), encrypted like its body.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "alert_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("search", sa.String(length=2000), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("told_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_subscription")),
        sa.UniqueConstraint("email", "search", name=op.f("uq_alert_subscription_email")),
    )
    op.add_column("outbox_message", sa.Column("sealed_headers", sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table("outbox_message") as batch_op:
        batch_op.drop_column("sealed_headers")
    op.drop_table("alert_subscription")
