"""Initial schema: organisations, people, entries, versions, repeating rows, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-26 19:17:20.581288

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("website", sa.String(length=2000), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("allows_self_publishing", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("name", name=op.f("uq_organisation_name")),
        sa.UniqueConstraint("slug", name=op.f("uq_organisation_slug")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_type"), ["type"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_signed_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint("email", name=op.f("uq_user_account_email")),
    )
    op.create_table(
        "entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("first_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_reviewed_on", sa.Date(), nullable=True),
        sa.Column("next_review_due", sa.Date(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_entry_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_entry_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry")),
        sa.UniqueConstraint("reference", name=op.f("uq_entry_reference")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entry_last_published_at"), ["last_published_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entry_next_review_due"), ["next_review_due"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entry_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_entry_state"), ["state"], unique=False)

    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_membership_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_membership_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("user_id", "organisation_id", name=op.f("uq_membership_user_id")),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_membership_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("from_state", sa.String(length=20), nullable=True),
        sa.Column("to_state", sa.String(length=20), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_audit_event_actor_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["entry.id"],
            name=op.f("fk_audit_event_entry_id_entry"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_audit_event_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_audit_event_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "entry_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("change_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("team", sa.String(length=200), nullable=True),
        sa.Column("policy_area", sa.String(length=40), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=True),
        sa.Column("started_on", sa.String(length=10), nullable=True),
        sa.Column("in_use_from", sa.String(length=10), nullable=True),
        sa.Column("retired_on", sa.String(length=10), nullable=True),
        sa.Column("retirement_reason", sa.Text(), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("web_page", sa.String(length=2000), nullable=True),
        sa.Column("senior_responsible_owner", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=True),
        sa.Column("benefits", sa.Text(), nullable=True),
        sa.Column("alternatives_considered", sa.Text(), nullable=True),
        sa.Column("outputs", sa.Text(), nullable=True),
        sa.Column("decision_role", sa.String(length=40), nullable=True),
        sa.Column("people_affected", sa.Text(), nullable=True),
        sa.Column("scale", sa.Text(), nullable=True),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("model_description", sa.Text(), nullable=True),
        sa.Column("performance", sa.Text(), nullable=True),
        sa.Column("built_by", sa.String(length=40), nullable=True),
        sa.Column("supplier_name", sa.String(length=200), nullable=True),
        sa.Column("supplier_company_number", sa.String(length=20), nullable=True),
        sa.Column("source_code_url", sa.String(length=2000), nullable=True),
        sa.Column("source_code_withheld_reason", sa.Text(), nullable=True),
        sa.Column("uses_personal_data", sa.Boolean(), nullable=True),
        sa.Column("uses_special_category_data", sa.Boolean(), nullable=True),
        sa.Column("demographic_features", sa.Text(), nullable=True),
        sa.Column("risk_level", sa.String(length=40), nullable=True),
        sa.Column("eu_ai_act_category", sa.String(length=40), nullable=True),
        sa.Column("rights_safety_effect", sa.String(length=40), nullable=True),
        sa.Column("oversight_model", sa.String(length=40), nullable=True),
        sa.Column("oversight_description", sa.Text(), nullable=True),
        sa.Column("staff_training", sa.Text(), nullable=True),
        sa.Column("appeal_process", sa.Text(), nullable=True),
        sa.Column("monitoring", sa.Text(), nullable=True),
        sa.Column("public_engagement", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["entry.id"],
            name=op.f("fk_entry_version_entry_id_entry"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_entry_version_organisation_id_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_entry_version_published_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user_account.id"],
            name=op.f("fk_entry_version_updated_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entry_version")),
        sa.UniqueConstraint("entry_id", "number", name=op.f("uq_entry_version_entry_id")),
    )
    with op.batch_alter_table("entry_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_version_built_by"), ["built_by"], unique=False)
        batch_op.create_index(
            "ix_entry_version_current_published", ["is_current", "published_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entry_version_decision_role"), ["decision_role"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_entry_version_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_entry_version_eu_ai_act_category"), ["eu_ai_act_category"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entry_version_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entry_version_oversight_model"), ["oversight_model"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entry_version_policy_area"), ["policy_area"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_entry_version_rights_safety_effect"),
            ["rights_safety_effect"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_entry_version_risk_level"), ["risk_level"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_entry_version_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_entry_version_uses_personal_data"), ["uses_personal_data"], unique=False
        )

    op.create_table(
        "data_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("contains_personal_data", sa.Boolean(), nullable=True),
        sa.Column("link", sa.String(length=2000), nullable=True),
        sa.Column("collection_method", sa.Text(), nullable=True),
        sa.Column("sharing_access_retention", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entry_version.id"],
            name=op.f("fk_data_source_version_id_entry_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_source")),
    )
    with op.batch_alter_table("data_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_source_version_id"), ["version_id"], unique=False)

    op.create_table(
        "impact_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("date", sa.String(length=10), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("link", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entry_version.id"],
            name=op.f("fk_impact_assessment_version_id_entry_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impact_assessment")),
    )
    with op.batch_alter_table("impact_assessment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_impact_assessment_version_id"), ["version_id"], unique=False
        )

    op.create_table(
        "risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entry_version.id"],
            name=op.f("fk_risk_version_id_entry_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk")),
    )
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_version_id"), ["version_id"], unique=False)

    op.create_table(
        "version_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["entry_version.id"],
            name=op.f("fk_version_choice_version_id_entry_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_version_choice")),
        sa.UniqueConstraint(
            "version_id", "field", "code", name=op.f("uq_version_choice_version_id")
        ),
    )
    with op.batch_alter_table("version_choice", schema=None) as batch_op:
        batch_op.create_index("ix_version_choice_field_code", ["field", "code"], unique=False)


def downgrade():
    with op.batch_alter_table("version_choice", schema=None) as batch_op:
        batch_op.drop_index("ix_version_choice_field_code")

    op.drop_table("version_choice")
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risk_version_id"))

    op.drop_table("risk")
    with op.batch_alter_table("impact_assessment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impact_assessment_version_id"))

    op.drop_table("impact_assessment")
    with op.batch_alter_table("data_source", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_source_version_id"))

    op.drop_table("data_source")
    with op.batch_alter_table("entry_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_version_uses_personal_data"))
        batch_op.drop_index(batch_op.f("ix_entry_version_status"))
        batch_op.drop_index(batch_op.f("ix_entry_version_risk_level"))
        batch_op.drop_index(batch_op.f("ix_entry_version_rights_safety_effect"))
        batch_op.drop_index(batch_op.f("ix_entry_version_policy_area"))
        batch_op.drop_index(batch_op.f("ix_entry_version_oversight_model"))
        batch_op.drop_index(batch_op.f("ix_entry_version_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_entry_version_eu_ai_act_category"))
        batch_op.drop_index(batch_op.f("ix_entry_version_entry_id"))
        batch_op.drop_index(batch_op.f("ix_entry_version_decision_role"))
        batch_op.drop_index("ix_entry_version_current_published")
        batch_op.drop_index(batch_op.f("ix_entry_version_built_by"))

    op.drop_table("entry_version")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_entry_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))

    op.drop_table("audit_event")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_organisation_id"))

    op.drop_table("membership")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_state"))
        batch_op.drop_index(batch_op.f("ix_entry_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_entry_next_review_due"))
        batch_op.drop_index(batch_op.f("ix_entry_last_published_at"))

    op.drop_table("entry")
    op.drop_table("user_account")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_type"))

    op.drop_table("organisation")
