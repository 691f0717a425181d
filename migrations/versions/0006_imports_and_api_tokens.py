"""Imports and the submission API: where an entry came from, "other information", an
organisation's abbreviation, uploaded files awaiting a decision, and API tokens.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 22:01:24.540367

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "api_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_api_token_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"],
            ["user_account.id"],
            name=op.f("fk_api_token_revoked_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_token_token_hash")),
    )
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_api_token_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "pending_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("create_organisations", sa.Boolean(), nullable=False),
        sa.Column("publish", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_pending_import_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_pending_import_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_import")),
        sa.UniqueConstraint("key", name=op.f("uq_pending_import_key")),
    )
    with op.batch_alter_table("pending_import", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_import_user_id"), ["user_id"], unique=False)

    # Columns are added in place, never by rebuilding a table: SQLite would lose the entry
    # table's AUTOINCREMENT and the search triggers on entry_version, and could not rebuild
    # a table others refer to. Uniqueness is a unique index, which needs no rebuild.
    op.add_column("entry", sa.Column("source_format", sa.String(length=20), nullable=True))
    op.add_column("entry", sa.Column("source_id", sa.String(length=200), nullable=True))
    op.add_column("entry", sa.Column("source_fingerprint", sa.String(length=64), nullable=True))
    op.create_index(
        "uq_entry_source", "entry", ["organisation_id", "source_format", "source_id"], unique=True
    )
    op.add_column("entry_version", sa.Column("other_information", sa.Text(), nullable=True))
    op.add_column("organisation", sa.Column("abbreviation", sa.String(length=40), nullable=True))
    op.create_index("ix_organisation_abbreviation", "organisation", ["abbreviation"])


def downgrade():
    # In place, as the upgrade added them (SQLite 3.35 and later drops columns itself).
    op.drop_index("ix_organisation_abbreviation", table_name="organisation")
    op.drop_column("organisation", "abbreviation")
    op.drop_column("entry_version", "other_information")
    op.drop_index("uq_entry_source", table_name="entry")
    op.drop_column("entry", "source_fingerprint")
    op.drop_column("entry", "source_id")
    op.drop_column("entry", "source_format")

    with op.batch_alter_table("pending_import", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_import_user_id"))

    op.drop_table("pending_import")
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_token_organisation_id"))

    op.drop_table("api_token")
