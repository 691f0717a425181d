"""The UK Algorithmic Transparency Recording Standard: a record per row, its columns named by
the standard's attributes.

The attribute names are those of version 1.1 (`name`, `organisation`, `phase`,
`source_data_name`, `risk_name`, `impact_assessment_name` ...), as the record definition's
crosswalk for "atrs" names them. Later versions renamed a few (`organisation_or_department`,
`website_url`, `human_decisions_and_review`): those are read too, as declared `ALIASES`.
Dates are written day first, as in the UK. An attribute with no question of its own here (a
supplier's role, the terms of its access to data) stays, labelled with its attribute name,
in Other information.
"""

from __future__ import annotations

from ...schema.vocabularies import IMPACT_ASSESSMENT_KIND
from ..mapping import Mapper, Note
from ..values import squeeze
from . import Format

# The standard's phases over its versions: idea, design, development, beta/pilot,
# production, retired; later pre-deployment. Teams also use the GOV.UK service phases.
PHASES = {
    "Idea": "planned",
    "Discovery": "planned",
    # Design work means the tool is being made, which is our in development.
    "Design": "in_development",
    "Alpha": "in_development",
    "Beta/Pilot": "pilot",
    "Beta": "pilot",
    "Live": "in_use",
    "In production": "in_use",
    "Deployed": "in_use",
    "Decommissioned": "retired",
    "Archived": "retired",
}

# Functions of later versions that name one function of government; others stay quietly.
FUNCTIONS = {
    "Crime and justice": "public_order_safety",
    "Policing": "public_order_safety",
    "Benefits and welfare": "social_protection",
    "Transport": "economic_affairs",
    "Housing": "housing_community",
    "Environment": "environmental_protection",
}

# Whether an external supplier was involved (later versions): "No" means built in-house;
# "Yes" cannot tell a supplier alone from a supplier with the team, so it stays as it is.
SUPPLIER_INVOLVED = {"No": "in_house"}

# The columns of fields whose attribute later versions of the standard renamed, or that
# records also carry under another name; read after the one the crosswalk names.
ALIASES = {
    "title": ("title",),
    "summary": ("one_sentence_description",),
    "organisation": ("organisation_or_department", "organisation_name"),
    "web_page": ("website_url",),
    "supplier_company_number": ("companies_house_number",),
    "model_description": ("method",),
    "scale": ("frequency_and_scale_of_usage",),
    "oversight_description": ("human_decisions_and_review",),
    # Later versions describe the data in several attributes; each one's text is joined.
    "data_sources.description": ("datasets", "dataset_purpose"),
    "data_sources.collection_method": ("data_collection",),
    "data_sources.sharing_access_retention": (
        "data_sharing",
        "data_sharing_agreements",
        "data_access_storage",
        "data_access_and_storage",
    ),
}

# Words in an impact assessment's name that say which kind it is.
ASSESSMENT_KINDS = (
    (("data protection", "dpia", "privacy"), "data_protection"),
    (("equality", "equalities", "eqia"), "equality"),
    (("fundamental rights", "human rights"), "fundamental_rights"),
    (("algorithmic",), "algorithmic"),
)


def map_atrs(mapper: Mapper) -> None:
    """One ATRS record."""
    # Records published before the standard gave them ids have none: the importer then
    # knows the entry by its title.
    mapper.identifier("id")
    _organisation(mapper, *mapper.columns_for("organisation"))
    _first(mapper, "title")
    _first(mapper, "summary")
    mapper.text("web_page")
    mapper.text("contact_email")
    mapper.text("team")
    mapper.text("senior_responsible_owner")
    mapper.choice("status", synonyms=PHASES)
    mapper.date("in_use_from")
    mapper.choice_where_known("policy_area", synonyms=FUNCTIONS)

    mapper.text("supplier_name")
    mapper.text("supplier_company_number")
    mapper.choice_where_known("built_by", synonyms=SUPPLIER_INVOLVED)

    mapper.text("purpose")
    mapper.text("benefits")
    mapper.text("alternatives_considered")
    mapper.append("alternatives_considered", "previous_process", heading="Before the tool")

    _technical(mapper)
    _decisions(mapper)
    _rows(mapper)


def _technical(mapper: Mapper) -> None:
    mapper.text("model_description")
    # The model's details, each under its name; the version last, so it is never alone
    # and unlabelled at the top.
    for column, heading in (
        ("model_name", "Model"),
        ("model_task", "Task"),
        ("model_architecture", "Architecture"),
        ("model_input", "Input"),
        ("model_version", "Version"),
    ):
        mapper.append("model_description", column, heading=heading)
    mapper.text("performance")
    mapper.text("outputs")
    mapper.append("outputs", "model_output", heading="Model output")
    mapper.text("scale")
    mapper.text("monitoring")


def _decisions(mapper: Mapper) -> None:
    # The standard asks for words about what people decide (human_decisions), not a choice
    # from a list: those words answer how people oversee the tool. The oversight model is
    # left for a person to choose rather than guessed from prose.
    mapper.text("oversight_description")
    mapper.append(
        "oversight_description",
        mapper.column("process_integration", "decision_making_process") or "process_integration",
        heading="How the tool fits into the decision",
    )
    mapper.text("staff_training")
    mapper.text("appeal_process")


def _rows(mapper: Mapper) -> None:
    mapper.row("data_sources", name="Source data")
    mapper.row("risks", name="Risk")
    before = len(mapper.entry.rows.get("impact_assessments", []))
    mapper.row("impact_assessments", name="Impact assessment")
    for row in mapper.entry.rows.get("impact_assessments", [])[before:]:
        _assessment_kind(mapper, row)


def _assessment_kind(mapper: Mapper, row: dict) -> None:
    words = f" {squeeze(row.get('title', ''))} "
    for names, kind in ASSESSMENT_KINDS:
        if any(f" {name} " in words for name in names):
            row["kind"] = kind
            label = IMPACT_ASSESSMENT_KIND.label_for(kind)
            note = f"Kind of impact assessment: {label}"
            mapper.entry.mapped.append(Note("impact_assessment_name", row["title"], note))
            return


def _first(mapper: Mapper, field_name: str) -> None:
    """The first of the field's columns that fits it; one too long for it is kept and the
    next is tried (a long description, then the one-sentence one)."""
    for column in mapper.columns_for(field_name):
        if field_name not in mapper.entry.values:
            mapper.text(field_name, column)


def _organisation(mapper: Mapper, *columns: str) -> None:
    """The organisation from the first of `columns` with a value; the others, when they
    only repeat it, are not kept again."""
    filled = [(found, value) for found, value in map(mapper.peek, columns) if value]
    if not filled:
        return
    chosen, name = filled[0]
    mapper.organisation(chosen)
    mapper.use(*(found for found, value in filled[1:] if value == name and found))


ATRS = Format(
    name="atrs",
    label="UK Algorithmic Transparency Recording Standard",
    source="atrs",
    map=map_atrs,
    columns=("name", "description"),
    day_first=True,
    reads="csv or json",
    aliases=ALIASES,
)

FORMATS = (ATRS,)
