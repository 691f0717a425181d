"""The US federal AI use case inventories, as the yearly consolidated CSV files publish them.

The 2025 file names its columns in short (`use_case_name`, `development_stage`, `hi_*` for
the high-impact practices); the 2024 file heads each column with the question agencies
answered ("Stage of Development", "Date Implemented"). Both write dates month first, and
both are mapped through the record definition's crosswalk for "us". What the inventories
ask that the record has no question for (an ATO, a PIID, the high-impact practices) stays,
labelled with the file's own column name, in Other information. Two answers are derived from
what the files say, never invented: the summary, from the first sentences of the problem and
the outputs, and (2025) the effect on rights or safety where the agency found the use not
high-impact (docs/importing.md, "What is derived from the US inventories").
"""

from __future__ import annotations

import re

from ...schema.texts import N_
from ..mapping import Mapper
from ..values import clean, looks_like_link
from . import Format
from .us_derived import OPTION_LETTER, rights_safety_effect, summary

# The stages of development, in both years' words. "Pre-deployment" is defined as "in a
# development or acquisition status", so it is our in development, not planned (the
# crosswalk's first reading, which suits export better than import).
STAGES_2025 = {
    "Pre-deployment": "in_development",
    "Operational": "in_use",
    "In production": "in_use",
    "Production": "in_use",
}
STAGES_2024 = {
    **STAGES_2025,
    "Initiated": "planned",
    "Ideation": "planned",
    # Research that has ended, or an administrative task done: the tool is no longer used.
    "Research or Administrative Action Complete": "retired",
    "Planned (not in production)": "planned",
    "Acquisition and/or Development": "in_development",
    "Development and Acquisition": "in_development",
    # Implemented and still being assessed is a limited, watched use: a pilot.
    "Implementation and Assessment": "pilot",
    "Implementation": "pilot",
    "Operation and Maintenance": "in_use",
    "In mission": "in_use",
    "Deployed": "in_use",
}

# The AI classification in the spellings the files use. "Reinforcement Learning" has no
# code of ours; it stays in Other information, which is where it belongs.
TECHNIQUES = {
    "Classical/Predictive Machine Learning": "classical_ml",
    "Predictive Machine Learning": "classical_ml",
    "Machine Learning": "classical_ml",
    "ML": "classical_ml",
    "Natural Language Processing (NLP)": "nlp",
    "GenAI": "generative_ai",
    "Gen AI": "generative_ai",
    "Large Language Model": "generative_ai",
    "LLM": "generative_ai",
    "Agentic": "agentic_ai",
    "Optimization": "optimisation",
    "Speech Recognition": "speech",
}

# Who built it: the 2025 file's short codes and the 2024 answers (the full 2025 answers
# are in the crosswalk).
BUILT_BY = {
    "Vendor Purchased": "external_supplier",
    "Vendor": "external_supplier",
    "Developed with contracting resources": "external_supplier",
    "In-house Development": "in_house",
    "In-house": "in_house",
    "No contract/external resources used in development": "in_house",
    "Contracting and In House": "both",
    "In-house & Contractor": "both",
    "Developed with a combination of in-house and contract/external resources": "both",
    "Exclusively developed with contract/external resources": "external_supplier",
}

# The topic areas of both years (the 2025 data dictionary's values, its shorthand, the 2024
# form's), each mapped to the function of government (UN COFOG) that it falls under. COFOG
# files the government's own running (administration, IT, people, procurement, finance,
# foreign affairs) and basic research under general public services (01.1 to 01.4), and
# applied research under its function: DOT research is transport, economic affairs (04).
# "Other" says nothing of a function, and the techniques some 2024 rows give instead of a
# topic ("Deep Learning") are not one either: they stay in Other information, quietly.
TOPIC_AREAS = {
    # 2025
    "Administrative Functions": "general_public_services",
    "Admin Functions": "general_public_services",
    "Administrative functions": "general_public_services",
    "Cybersecurity": "general_public_services",
    # Disaster preparedness and response: civil protection, with the emergency services.
    "Emergency Management": "public_order_safety",
    "Emergency Mgmt": "public_order_safety",
    # Mostly energy producers and land agencies caring for the environment; COFOG files
    # pollution, nature and land protection under 05, energy under 04.3. Environmental
    # protection is the function the topic's name and most of its land uses share.
    "Energy and the Environment": "environmental_protection",
    "Energy and Environment": "environmental_protection",
    "Government Benefits Processing": "social_protection",
    "Benefits Processing": "social_protection",
    "Health and Medical": "health",
    "Human Resources": "general_public_services",
    "HR": "general_public_services",
    "Information Technology": "general_public_services",
    "IT": "general_public_services",
    "International Affairs": "general_public_services",
    "Law Enforcement": "public_order_safety",
    "Procurement and Financial Management": "general_public_services",
    "Procurement and Finance Mgmt": "general_public_services",
    "Science": "general_public_services",
    "Other - Applied Mathematical Sciences": "general_public_services",
    "Other - Economic & Financial": "economic_affairs",
    # Services to the public across functions (call centres, websites, grants help): the
    # topic does not say which function, so the general one.
    "Service Delivery": "general_public_services",
    "Transportation": "economic_affairs",
    # 2024
    "Mission-Enabling (internal agency support)": "general_public_services",
    "Mission-Enabling": "general_public_services",
    "Administration of AI Governance, Processes, and Procedures": "general_public_services",
    "Department-Level AI Capabilities and Capacity": "general_public_services",
    "AIML Platform/Environment": "general_public_services",
    "Law & Justice": "public_order_safety",
    "Health & Medical": "health",
    # Benefits first: most of these rows are benefit programmes (HHS, SSA, VA).
    "Government Services (includes Benefits and Service Delivery)": "social_protection",
    "Diplomacy & Trade": "general_public_services",
    "Science & Space": "general_public_services",
    "AI used in Transportation Operations": "economic_affairs",
    "Internal DOT Research Project": "economic_affairs",
    "DOT Sponsored External Research": "economic_affairs",
    "Education & Workforce": "education",
    "Energy & the Environment": "environmental_protection",
}

DATA_SOURCE_NAME = "Data described by the agency"
PRIVACY_ASSESSMENT = "Privacy impact assessment"


def plain_answer(text: str) -> str:
    """An answer as people write it ("Age; Sex") from the notations the files use: a
    Python-style list ("['a) Age', 'b) Sex']"), or options with their letters ("k) None of
    the above")."""
    inner = text.strip()
    if inner.startswith("[") and inner.endswith("]"):
        items = re.findall(r"'([^']*)'|\"([^\"]*)\"", inner)
        parts = [single or double for single, double in items] or [inner[1:-1]]
    else:
        parts = re.split(r"\s*;\s*", inner)
    # Without its letter an option may say nothing ("b) Not applicable"): then it is blank.
    answers = (clean(OPTION_LETTER.sub("", part.strip())) for part in parts)
    return "; ".join(answer for answer in answers if answer)


def _source_code(mapper: Mapper) -> None:
    """A link is the source code's address; words instead of one ("not public", "available
    on request") say why it is not published."""
    found, value = mapper.peek(*mapper.columns_for("source_code_url"))
    if not value or found is None:
        return
    field_name = "source_code_url" if looks_like_link(value) else "source_code_withheld_reason"
    mapper.text(field_name, found)


def _data_source(mapper: Mapper) -> None:
    """The data the agency describes, as one data source. "N/A - the agency owns none of
    the data" describes no data source: it stays, as it was written, in Other information."""
    columns = mapper.row_columns("data_sources")
    link = columns.get("link", "")
    description = columns["description"]
    text = mapper.peek(description)[1]
    cells = {} if not text or _says_none(text) else {"description": description}
    mapper.row("data_sources", cells, link=link, name=DATA_SOURCE_NAME)


def _privacy_assessment(mapper: Mapper) -> None:
    """A published privacy impact assessment: the register's data protection kind."""
    link = mapper.row_columns("impact_assessments")["link"]
    before = len(mapper.entry.rows.get("impact_assessments", []))
    mapper.row("impact_assessments", {}, link=link, name=PRIVACY_ASSESSMENT)
    for row in mapper.entry.rows.get("impact_assessments", [])[before:]:
        row["kind"] = "data_protection"


def _says_none(text: str) -> bool:
    return bool(re.match(r"(n/?a|none|not applicable)\b", text, re.IGNORECASE))


WITHHELD_FROM_REPORTING = "The agency withheld this use case from public reporting"


def _withheld(mapper: Mapper, column: str) -> None:
    """A use case the agency withheld from public reporting has most answers blank; say so,
    so the person importing it is not puzzled by an empty entry."""
    found, value = mapper.peek(column)
    if found is None or not OPTION_LETTER.sub("", value).casefold().startswith("yes"):
        return  # "No" stays in Other information like any column without a home
    mapper.use(found)
    mapper.keep(
        found,
        value,
        N_(
            "the agency withheld this use case from public reporting, so most of its answers "
            "are blank; kept in Other information"
        ),
    )
    # Its blank answers are withheld, with why, so the entry can be published as it is.
    mapper.entry.withheld_because = WITHHELD_FROM_REPORTING


def map_2025(mapper: Mapper) -> None:
    """One row of the 2025 inventory (the column names of its data dictionary)."""
    mapper.identifier("id")
    mapper.distinguishing("agency_bureau")
    mapper.organisation(abbreviation_column="agency")
    mapper.text("title")
    mapper.text("team")
    mapper.text("contact_email")
    _withheld(mapper, "is_withheld")
    mapper.choice("status", synonyms=STAGES_2025)
    mapper.choice_where_known("policy_area", synonyms=TOPIC_AREAS)
    mapper.choices("techniques", synonyms=TECHNIQUES)
    mapper.text("purpose")
    mapper.text("benefits")
    mapper.text("outputs")
    summary(mapper, "problem_solved", "system_outputs")
    rights_safety_effect(mapper)
    mapper.date("in_use_from")
    mapper.choice("built_by", synonyms=BUILT_BY)
    mapper.text("supplier_name")
    _data_source(mapper)
    mapper.yes_no("uses_personal_data")
    _privacy_assessment(mapper)
    mapper.text("demographic_features", tidy=plain_answer)
    _source_code(mapper)
    # The answer is one of a list ("Yes, an appropriate appeal process has been
    # established"); it is the only thing the file says about appeals, so it is kept there.
    mapper.text("appeal_process", tidy=plain_answer)


# The 2024 questions, as the header asks them.
PURPOSE_2024 = "What is the intended purpose and expected benefits of the AI?"
OUTPUTS_2024 = "Describe the AI system’s outputs."
EFFECT_2024 = "Is the AI use case rights-impacting, safety-impacting, both, or neither?"
BUILT_BY_2024 = (
    "Was the AI system involved in this use case developed (or is it to be developed) "
    "under contract(s) or in-house?"
)
PII_2024 = (
    "Does this AI use case involve personally identifiable information (PII) that is "
    "maintained by the agency?"
)
DATA_2024 = (
    "Describe any agency-owned data used to train, fine-tune, and/or evaluate performance "
    "of the model(s) used in this use case."
)
DEMOGRAPHICS_2024 = (
    "Which, if any, demographic variables does the AI use case explicitly use as model features?"
)
CODE_2024 = "If the code is open-source, provide the link for the publicly available source code."
APPEAL_2024 = (
    "Is there an established fallback and escalation process for this AI use case in the "
    "event that an impacted individual or group would like to appeal or contest the AI "
    "system’s outcome?"
)

# The 2024 file heads its columns with the questions of the reporting form, not the names
# the crosswalk gives (those of the 2025 data dictionary): each field's question, declared.
ALIASES_2024 = {
    "organisation": ("Agency",),
    "title": ("Use Case Name",),
    "team": ("Bureau",),
    "policy_area": ("Use Case Topic Area",),
    "purpose": (PURPOSE_2024,),
    "outputs": (OUTPUTS_2024,),
    "status": ("Stage of Development",),
    "rights_safety_effect": (EFFECT_2024,),
    "started_on": ("Date Initiated",),
    "in_use_from": ("Date Implemented",),
    "retired_on": ("Date Retired",),
    "built_by": (BUILT_BY_2024,),
    "uses_personal_data": (PII_2024,),
    "demographic_features": (DEMOGRAPHICS_2024,),
    "data_sources.description": (DATA_2024,),
    "source_code_url": (CODE_2024,),
    "appeal_process": (APPEAL_2024,),
}


def map_2024(mapper: Mapper) -> None:
    """One row of the 2024 inventory (headed by the questions of the reporting form)."""
    # The published 2024 file has no identifier column; some agencies' own files do.
    mapper.identifier("Use Case ID")
    mapper.distinguishing("Bureau")
    mapper.organisation(abbreviation_column="Agency Abbreviation")
    mapper.text("title")
    mapper.text("team")
    mapper.choice_where_known("policy_area", synonyms=TOPIC_AREAS)
    # One answer covers purpose and benefits; it is the purpose, and the person importing
    # writes the benefits rather than the register copying the same text twice.
    mapper.text("purpose")
    mapper.text("outputs")
    summary(mapper, PURPOSE_2024, OUTPUTS_2024)
    mapper.choice("status", synonyms=STAGES_2024)
    mapper.choice("rights_safety_effect")
    mapper.date("started_on")
    mapper.date("in_use_from")
    mapper.date("retired_on")
    mapper.choice("built_by", synonyms=BUILT_BY)
    mapper.yes_no("uses_personal_data")
    _data_source(mapper)
    mapper.text("demographic_features", tidy=plain_answer)
    _source_code(mapper)
    mapper.text("appeal_process")
    mapper.append("appeal_process", "If No, please explain.", heading="If not, why not")


US_2025 = Format(
    name="us-2025",
    label="US federal AI use case inventory (2025)",
    source="us",
    map=map_2025,
    columns=("use_case_name", "agency", "development_stage"),
    day_first=False,
    source_name="US federal AI use case inventory 2025",
    source_url="https://github.com/ombegov/2025-Federal-Agency-AI-Use-Case-Inventory",
)

US_2024 = Format(
    name="us-2024",
    label="US federal AI use case inventory (2024)",
    source="us",
    map=map_2024,
    columns=("Use Case Name", "Agency", "Stage of Development"),
    day_first=False,
    crosswalk=False,
    aliases=ALIASES_2024,
    source_name="US federal AI use case inventory 2024",
    source_url="https://github.com/ombegov/2024-Federal-AI-Use-Case-Inventory",
)

FORMATS = (US_2024, US_2025)
