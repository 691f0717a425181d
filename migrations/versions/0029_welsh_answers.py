"""Answers in Welsh: the title and each prose answer of the record, and of the data sources,
risks and impact assessments, gets an optional Welsh version, kept beside it in a column
named after it with `_cy` (BCP 47 for Welsh), so the register can be read in either language.

Existing answers are all in English, so the new columns start empty, and the words the
search index holds of each version (`search_words`, which takes in the Welsh answers too)
stay as they are.

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

# Each table's new columns: every one holds long text, as its English answer does, but the
# title, which is one line of at most 120 characters in either language.
ONE_LINE = {"title_cy": 120}
WELSH_COLUMNS = {
    "entry_version": (
        "title_cy",
        "summary_cy",
        "retirement_reason_cy",
        "purpose_cy",
        "benefits_cy",
        "alternatives_considered_cy",
        "outputs_cy",
        "people_affected_cy",
        "scale_cy",
        "legal_basis_cy",
        "model_description_cy",
        "performance_cy",
        "source_code_withheld_reason_cy",
        "demographic_features_cy",
        "oversight_description_cy",
        "staff_training_cy",
        "appeal_process_cy",
        "monitoring_cy",
        "public_engagement_cy",
        "other_information_cy",
    ),
    "data_source": (
        "description_cy",
        "collection_method_cy",
        "sharing_access_retention_cy",
    ),
    "risk": ("description_cy", "mitigation_cy"),
    "impact_assessment": ("summary_cy",),
}


def upgrade() -> None:
    # Plain ALTER TABLEs, as in 0020 and 0025: a batch copy of entry_version would lose the
    # full-text index's triggers on SQLite.
    for table, names in WELSH_COLUMNS.items():
        for name in names:
            kind = sa.String(ONE_LINE[name]) if name in ONE_LINE else sa.Text()
            op.add_column(table, sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    for table, names in WELSH_COLUMNS.items():
        for name in reversed(names):
            op.drop_column(table, name)
