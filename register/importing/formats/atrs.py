"""The UK Algorithmic Transparency Recording Standard: a record per row, its columns named by
the standard's attributes.

The attribute names are those of version 1.1 (`name`, `organisation`, `phase`,
`source_data_name`, `risk_name`, `impact_assessment_name` ...), as the record definition's
crosswalk for "atrs" names them. Later versions renamed a few (`organisation_or_department`,
`website_url`, `human_decisions_and_review`, and in version 4 `third_party`, `human_review`):
those are read too, as declared `ALIASES`. Columns are found whatever their case, spacing and
punctuation, so a field's name as a record's page or the template writes it ("Organisation
or department") reads as its attribute; `map_answers` is what the record's page and the
template formats share. Dates are written day first, as in the UK. An attribute with no
question of its own here (a supplier's role, the terms of its access to data) stays,
labelled with its attribute name, in Other information.
"""

from __future__ import annotations

from ...schema.texts import N_, Composed, Given
from ...schema.vocabularies import IMPACT_ASSESSMENT_KIND
from ...validation import URL
from ..govuk_organisations import govuk_organisation, is_slug, organisation_name_for
from ..mapping import Mapper, Note
from ..values import squeeze
from . import Format

# The standard's phases over its versions: idea, design, development, beta/pilot,
# production, retired; then pre-deployment, beta/pilot, production and retired, as GOV.UK's
# finder files records (`pre-deployment`, `beta-pilot`, `production`, `retired`); version 4
# split beta/pilot into private beta and public beta. Teams also use the GOV.UK service
# phases (discovery, alpha, beta, live). Pre-deployment, production and retired are the
# status vocabulary's own crosswalk; hyphens and slashes read as spaces.
PHASES = {
    "Idea": "planned",
    "Discovery": "planned",
    # Design work means the tool is being made, which is our in development.
    "Design": "in_development",
    "Alpha": "in_development",
    "Private alpha": "in_development",
    # A beta, private or public, is a tool tried out before it is fully in use: version 4
    # split the earlier beta/pilot in two.
    "Beta/Pilot": "pilot",
    "Pilot/Beta": "pilot",
    "Beta": "pilot",
    "Private beta": "pilot",
    "Public beta": "pilot",
    "Trial": "pilot",
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
    "organisation": ("organisation_or_department", "organisation_name", "organisation_department"),
    "web_page": ("website_url", "url_of_the_website"),
    "built_by": ("third_party_involvement",),
    "supplier_name": ("third_party", "supplier_or_developer_of_the_algorithmic_tool"),
    "supplier_company_number": ("companies_house_number",),
    # The detailed description says what the tool is for and how; version 4 merged the
    # scope into it. It is the purpose where the record gives no scope.
    "purpose": ("detailed_description",),
    "benefits": ("benefits",),
    "model_description": ("method",),
    "scale": ("frequency_and_scale_of_usage",),
    "oversight_description": ("human_decisions_and_review", "human_review"),
    # Later versions describe the data in several attributes; each one's text is joined.
    "data_sources.description": (
        "datasets",
        "dataset_purpose",
        "dataset_purposes",
        "datasets_and_their_purposes",
        "source_data",
        "data_description",
        "development_data_description",
    ),
    "data_sources.collection_method": ("data_collection",),
    "data_sources.sharing_access_retention": (
        "data_sharing",
        "data_sharing_agreements",
        "data_access_storage",
        "data_access_and_storage",
    ),
    # Versions 2 to 4 describe the risks, and the impact assessments, in one text each.
    "risks.description": ("risks_and_mitigations", "risks"),
    "impact_assessments.summary": ("impact_assessment", "impact_assessments"),
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
    map_answers(mapper)


def map_answers(mapper: Mapper) -> None:
    """Everything in an ATRS record but where it comes from: its identifier and organisation."""
    _first(mapper, "title")
    _first(mapper, "summary")
    _web_page(mapper)
    mapper.text("contact_email")
    # One-line answers a record's page or template gives over several lines ("Capita PLC",
    # then "Ami Ltd") keep them apart.
    mapper.text("team", tidy=one_line)
    mapper.text("senior_responsible_owner", tidy=one_line)
    mapper.choice("status", synonyms=PHASES)
    mapper.date("in_use_from")
    mapper.choice_where_known("policy_area", synonyms=FUNCTIONS)

    mapper.text("supplier_name", tidy=one_line)
    mapper.text("supplier_company_number", tidy=one_line)
    mapper.choice_where_known("built_by", synonyms=SUPPLIER_INVOLVED)

    _first(mapper, "purpose")
    mapper.text("benefits")
    mapper.text("alternatives_considered")
    if "alternatives_considered" in mapper.entry.values:
        # With no alternatives to follow, the process before the tool is no answer to that
        # question: it stays, under its own name, in Other information.
        mapper.append("alternatives_considered", "previous_process", heading="Before the tool")

    _technical(mapper)
    _decisions(mapper)
    _rows(mapper)


def _technical(mapper: Mapper) -> None:
    mapper.text("model_description")
    # The model's details, each under its name; the version last, so it is never alone
    # and unlabelled at the top.
    for column, heading in (
        ("system_architecture", "System architecture"),
        ("models", "Models"),
        ("model_name", "Model"),
        ("model_task", "Task"),
        ("model_architecture", "Architecture"),
        ("model_input", "Input"),
        ("model_version", "Version"),
    ):
        mapper.append("model_description", column, heading=heading)
    mapper.text("performance")
    mapper.text("outputs")
    mapper.append("outputs", "system_level_output", heading="System-level output")
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
        mapper.column(
            "process_integration",
            "decision_making_process",
            "integration_into_broader_operational_process",
        )
        or "process_integration",
        heading="How the tool fits into the decision",
    )
    mapper.text("staff_training")
    mapper.text("appeal_process")


def _rows(mapper: Mapper) -> None:
    mapper.row("data_sources", name="Source data")
    # A record that describes its risks in one text makes one row, named for what it holds.
    prose = mapper.column("risks_and_mitigations", "risks") and not mapper.column("risk_name")
    mapper.row("risks", name="Risks and mitigations" if prose else "Risk")
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


def _web_page(mapper: Mapper) -> None:
    """The web page, where the cell gives one: a page's words for its link ("Starling
    Technologies") are not an address, and stay in Other information; of several addresses
    the first is the web page, and the whole cell is kept."""
    column, value = mapper.peek(*mapper.columns_for("web_page"))
    if not value or column is None:
        return
    addresses = [word for word in (w.strip("()<>.,;") for w in value.split()) if URL.match(word)]
    if not addresses:
        mapper.keep(
            column, mapper.cell(column), N_("is not a web address; kept in Other information")
        )
        return
    if len(value.split()) > 1:
        mapper.keep(
            column,
            value,
            Composed(
                N_(
                    "gives more than a web address; the first, %(address)s, is the web page "
                    "and the whole text is kept in Other information"
                ),
                address=Given(addresses[0]),
            ),
        )
    mapper.text("web_page", column, tidy=lambda text: addresses[0])


def one_line(text: str) -> str:
    """Lines of a one-line answer kept apart by semicolons rather than run together."""
    return "; ".join(line.strip() for line in text.splitlines() if line.strip())


def _first(mapper: Mapper, field_name: str) -> None:
    """The first of the field's columns that fits it; one too long for it is kept and the
    next is tried (a long description, then the one-sentence one). Later columns that only
    repeat the answer (a template's title and its name) are not kept again."""
    for column in mapper.columns_for(field_name):
        if field_name not in mapper.entry.values:
            mapper.text(field_name, column)
        elif (found := mapper.peek(column))[0] is not None and squeeze(found[1]) == squeeze(
            str(mapper.entry.values[field_name])
        ):
            mapper.use(column)


def _organisation(mapper: Mapper, *columns: str) -> None:
    """The organisation from the first of `columns` with a value; the others, when they
    only repeat it, are not kept again."""
    filled = [(found, value) for found, value in map(mapper.peek, columns) if value]
    if not filled:
        return
    chosen, name = filled[0]
    mapper.organisation(chosen)
    if is_slug(name):
        named_from_slug(mapper, chosen, name)
    mapper.use(*(found for found, value in filled[1:] if value == name and found))


def named_from_slug(mapper: Mapper, column: str, slug: str) -> None:
    """File the entry under the organisation a GOV.UK slug names, by its proper name (and
    abbreviation), never by the slug; a slug GOV.UK's list does not know is made a readable
    name, and the person told to check it."""
    name, known = organisation_name_for(slug)
    mapper.entry.organisation = name
    found = govuk_organisation(slug)
    mapper.entry.organisation_abbreviation = found.abbreviation if found else ""
    if not known:
        mapper.entry.warnings.append(
            Note(
                column,
                slug,
                f"GOV.UK's list of organisations does not have “{slug}”, so the organisation "
                f"is named “{name}”: check the name",
            )
        )


ATRS = Format(
    name="atrs",
    label="UK Algorithmic Transparency Recording Standard",
    source="atrs",
    map=map_atrs,
    columns=("name", "description"),
    day_first=True,
    reads="csv or json",
    aliases=ALIASES,
    source_name="UK algorithmic transparency records",
    source_url="https://www.gov.uk/government/collections/algorithmic-transparency-recording-standard-hub",
)

FORMATS = (ATRS,)
