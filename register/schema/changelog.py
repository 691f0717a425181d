"""How the record's fields have changed: each change with the schema version it belongs to,
its date and the fields added, changed or removed (a repeating group's field as
"group.field"). The JSON Schema (`opendata.record_schema`) carries it, and
`docs/schema-changelog.md` is written from it. A field added to the record is listed here in
the same change, and a test holds the two together.

Adding an optional field leaves records that followed the schema valid, so it stays within
a version; removing a field, renaming one or narrowing what it accepts means a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SchemaChange:
    """One change to the record's fields."""

    version: int
    date: str  # YYYY-MM-DD
    summary: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "date": self.date,
            "summary": self.summary,
            "added": list(self.added),
            "changed": list(self.changed),
            "removed": list(self.removed),
        }


CHANGES: tuple[SchemaChange, ...] = (
    SchemaChange(
        1,
        "2026-11-26",
        "The record as first published: six sections of questions, three repeating groups "
        "and what the register keeps about each version.",
        added=(
            "reference",
            "version",
            "schema_version",
            "published_at",
            "first_published_at",
            "last_published_at",
            "last_reviewed_on",
            "next_review_due",
            "change_note",
            "title",
            "summary",
            "organisation",
            "team",
            "policy_area",
            "status",
            "started_on",
            "in_use_from",
            "retired_on",
            "retirement_reason",
            "contact_email",
            "web_page",
            "senior_responsible_owner",
            "purpose",
            "benefits",
            "alternatives_considered",
            "outputs",
            "decision_role",
            "people_affected",
            "scale",
            "legal_basis",
            "techniques",
            "model_description",
            "performance",
            "built_by",
            "supplier_name",
            "supplier_company_number",
            "source_code_url",
            "source_code_withheld_reason",
            "uses_personal_data",
            "uses_special_category_data",
            "demographic_features",
            "data_sources",
            "data_sources.name",
            "data_sources.description",
            "data_sources.contains_personal_data",
            "data_sources.link",
            "data_sources.collection_method",
            "data_sources.sharing_access_retention",
            "risk_level",
            "eu_ai_act_category",
            "rights_safety_effect",
            "risks",
            "risks.name",
            "risks.category",
            "risks.description",
            "risks.mitigation",
            "impact_assessments",
            "impact_assessments.kind",
            "impact_assessments.title",
            "impact_assessments.date",
            "impact_assessments.summary",
            "impact_assessments.link",
            "oversight_model",
            "oversight_description",
            "staff_training",
            "appeal_process",
            "monitoring",
            "public_engagement",
        ),
    ),
    SchemaChange(
        1,
        "2026-11-26",
        "Entries imported from other registers: where each came from, and room for what "
        "its source recorded that has no question here.",
        added=("source", "source_link", "source_identifier", "imported_at", "other_information"),
    ),
    SchemaChange(
        1,
        "2026-12-05",
        "What the EU AI Act database asks of a public body using a high-risk tool: its postal "
        "address, the Annex III area, the provider's entry and the registration number.",
        added=(
            "postal_address",
            "annex_iii_area",
            "eu_provider_entry_url",
            "eu_registration_number",
        ),
    ),
    SchemaChange(
        1,
        "2026-12-06",
        "The supplier's product by name, and the register that gave the supplier's company "
        "number, whose format the number is then checked against.",
        added=("product_name", "supplier_registry"),
    ),
    SchemaChange(
        1,
        "2026-12-06",
        "Which answers each version withholds from the public, each with a reason from a "
        "controlled list (and the publisher's words for other); their values are empty.",
        added=("withheld", "withheld.field", "withheld.reason", "withheld.reason_text"),
    ),
    SchemaChange(
        1,
        "2026-12-06",
        "Answers in Welsh: the title and each prose answer may also be given in Welsh, in a "
        "field named after the English one with `_cy` (BCP 47 for Welsh). Names, references "
        "and addresses are not translated.",
        added=(
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
            "data_sources.description_cy",
            "data_sources.collection_method_cy",
            "data_sources.sharing_access_retention_cy",
            "risks.description_cy",
            "risks.mitigation_cy",
            "impact_assessments.summary_cy",
        ),
    ),
)


def current_fields() -> set[str]:
    """The fields the changes leave in the record."""
    fields: set[str] = set()
    for change in CHANGES:
        fields |= set(change.added)
        fields -= set(change.removed)
    return fields


def markdown() -> str:
    """The changelog as a page of `docs/`."""
    lines = [
        "# Changes to the record schema",
        "",
        "Written from `register/schema/changelog.py`; do not edit by hand. The schema itself is",
        "at `/api/v1/schema.json` and in the data package (`schema/record.schema.json`).",
        "",
    ]
    for change in reversed(CHANGES):
        lines += [f"## Version {change.version}, {change.date}", "", change.summary, ""]
        for heading, names in (
            ("Added", change.added),
            ("Changed", change.changed),
            ("Removed", change.removed),
        ):
            if names:
                lines.append(f"{heading}: " + ", ".join(f"`{name}`" for name in names) + ".")
                lines.append("")
    return "\n".join(lines)
