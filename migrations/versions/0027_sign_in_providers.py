"""Sign-in providers (OpenID Connect) per organisation, or one for the whole register: the
email domains each covers, and which provider account (issuer and subject) is which person.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 00:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "sign_in_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("client_id", sa.String(length=255), nullable=False),
        sa.Column("client_secret", sa.Text(), nullable=False),
        sa.Column("authorization_endpoint", sa.String(length=2000), nullable=False),
        sa.Column("provider_only", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("trusts_second_factor", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("lets_domain_join", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_sign_in_provider_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_provider")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_sign_in_provider_organisation_id")),
    )
    op.create_table(
        "sign_in_domain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["sign_in_provider.id"],
            name=op.f("fk_sign_in_domain_provider_id_sign_in_provider"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_domain")),
        sa.UniqueConstraint("domain", name=op.f("uq_sign_in_domain_domain")),
    )
    op.create_index(
        op.f("ix_sign_in_domain_provider_id"), "sign_in_domain", ["provider_id"], unique=False
    )
    op.create_table(
        "sign_in_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_sign_in_link_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_link")),
        sa.UniqueConstraint("issuer", "subject", name=op.f("uq_sign_in_link_issuer")),
    )
    op.create_index(op.f("ix_sign_in_link_user_id"), "sign_in_link", ["user_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_sign_in_link_user_id"), table_name="sign_in_link")
    op.drop_table("sign_in_link")
    op.drop_index(op.f("ix_sign_in_domain_provider_id"), table_name="sign_in_domain")
    op.drop_table("sign_in_domain")
    op.drop_table("sign_in_provider")
