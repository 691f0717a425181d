"""Schema version 1 of the register's record: every field, in the order of the form.

This is the one place the record is defined. Forms, pages, the API, exports, the data
dictionary, the completeness indicator and the importers are all derived from `SECTIONS`.
"""

from __future__ import annotations

from types import MappingProxyType as _map

from . import vocabularies as v
from .fields import Field, Group, Kind, Section

SCHEMA_VERSION = 1

SHORT = 200
LONG = 5000
MEDIUM = 2000
URL_LENGTH = 2000
EMAIL_LENGTH = 254

ABOUT = Section(
    "about",
    "About the tool",
    (
        Field(
            "title",
            "Title",
            Kind.TEXT,
            "A short name that says what the tool does, for example “Pothole report triage”",
            max_length=120,
            search_weight=4,
            required=True,
            crosswalk=_map({"atrs": "name", "us": "use_case_name", "nl": "name"}),
        ),
        Field(
            "summary",
            "Summary",
            Kind.LONG_TEXT,
            "In plain English, what the tool does and why. Avoid jargon and acronyms.",
            max_length=500,
            search_weight=3,
            required=True,
            crosswalk=_map({"atrs": "description", "nl": "description_short"}),
        ),
        Field(
            "organisation",
            "Organisation",
            Kind.ORGANISATION,
            "The organisation that uses the tool",
            required=True,
            filter=True,
            crosswalk=_map({"atrs": "organisation", "us": "agency_name", "nl": "organization"}),
        ),
        Field(
            "team",
            "Team",
            Kind.TEXT,
            "The team or directorate that runs the tool",
            max_length=SHORT,
            search_weight=1,
            recommended=True,
            crosswalk=_map({"atrs": "team", "us": "agency_bureau"}),
        ),
        Field(
            "policy_area",
            "Policy area",
            Kind.CHOICE,
            "The function of government the tool supports",
            required=True,
            vocabulary=v.POLICY_AREA,
            filter=True,
            crosswalk=_map({"atrs": "function", "us": "topic_area"}),
        ),
        Field(
            "status",
            "Status",
            Kind.CHOICE,
            "Where the tool is in its life",
            required=True,
            vocabulary=v.STATUS,
            filter=True,
            crosswalk=_map({"atrs": "phase", "us": "development_stage", "nl": "status"}),
        ),
        Field(
            "started_on",
            "Work started",
            Kind.PARTIAL_DATE,
            "A year, a month or a day, for example 2024, 2024-03 or 2024-03-27",
            recommended=True,
        ),
        Field(
            "in_use_from",
            "In use from",
            Kind.PARTIAL_DATE,
            "A year, a month or a day, for example 2025, 2025-01 or 2025-01-15",
            required_if=("status", ("in_use", "retired")),
            crosswalk=_map({"atrs": "date_deployment", "us": "operational_date"}),
        ),
        Field(
            "retired_on",
            "Retired on",
            Kind.PARTIAL_DATE,
            "A year, a month or a day",
            required_if=("status", ("retired",)),
        ),
        Field(
            "retirement_reason",
            "Reason for retirement",
            Kind.LONG_TEXT,
            "Why the tool is no longer used",
            max_length=MEDIUM,
            required_if=("status", ("retired",)),
        ),
        Field(
            "contact_email",
            "Public contact email",
            Kind.EMAIL,
            "A shared mailbox the public can write to about this tool, not a person’s address",
            max_length=EMAIL_LENGTH,
            required=True,
            crosswalk=_map({"atrs": "contact_email", "us": "contact_email"}),
        ),
        Field(
            "web_page",
            "Web page",
            Kind.URL,
            "A page about the tool or the service it supports, starting https://",
            max_length=URL_LENGTH,
            recommended=True,
            crosswalk=_map({"atrs": "website"}),
        ),
        Field(
            "senior_responsible_owner",
            "Senior responsible owner",
            Kind.TEXT,
            "A role title, not a name, for example “Director of Children’s Services”",
            max_length=SHORT,
            recommended=True,
            crosswalk=_map({"atrs": "senior_responsible_owner"}),
        ),
    ),
)

PURPOSE = Section(
    "purpose",
    "Purpose and use",
    (
        Field(
            "purpose",
            "Purpose",
            Kind.LONG_TEXT,
            "The problem the tool addresses, and why a tool was needed",
            max_length=LONG,
            search_weight=2,
            required=True,
            crosswalk=_map({"atrs": "scope", "us": "problem_solved", "nl": "goal"}),
        ),
        Field(
            "benefits",
            "Benefits",
            Kind.LONG_TEXT,
            "What is better because of the tool, and for whom",
            max_length=LONG,
            search_weight=1,
            required=True,
            crosswalk=_map({"atrs": "benefit", "us": "benefits"}),
        ),
        Field(
            "alternatives_considered",
            "Alternatives considered",
            Kind.LONG_TEXT,
            "Other ways of meeting the need, including not using a tool, and why not",
            max_length=LONG,
            recommended=True,
            crosswalk=_map({"atrs": "alternatives_considered"}),
        ),
        Field(
            "outputs",
            "Outputs",
            Kind.LONG_TEXT,
            "What the tool produces, for example a score, a ranking, a draft letter or a flag",
            max_length=LONG,
            search_weight=1,
            recommended=True,
            crosswalk=_map({"atrs": "provided_information", "us": "system_outputs"}),
        ),
        Field(
            "decision_role",
            "Role in decisions",
            Kind.CHOICE,
            "How far the tool’s output decides what happens to people",
            required=True,
            vocabulary=v.DECISION_ROLE,
            filter=True,
        ),
        Field(
            "people_affected",
            "People affected",
            Kind.LONG_TEXT,
            "Who is affected by the tool’s outputs",
            max_length=MEDIUM,
            recommended=True,
        ),
        Field(
            "scale",
            "Scale",
            Kind.LONG_TEXT,
            "How often the tool is used and for how many people or cases",
            max_length=MEDIUM,
            recommended=True,
            crosswalk=_map({"atrs": "frequency_and_scale"}),
        ),
        Field(
            "legal_basis",
            "Legal basis",
            Kind.LONG_TEXT,
            "The law or power that allows the organisation to use the tool",
            max_length=MEDIUM,
            recommended=True,
        ),
    ),
)

TECHNOLOGY = Section(
    "technology",
    "Technology",
    (
        Field(
            "techniques",
            "Techniques",
            Kind.CHOICES,
            "Select all that apply",
            required=True,
            vocabulary=v.TECHNIQUE,
            filter=True,
            crosswalk=_map({"us": "classification"}),
        ),
        Field(
            "model_description",
            "Model",
            Kind.LONG_TEXT,
            "The model or method used, its name and version if it has one",
            max_length=LONG,
            search_weight=1,
            recommended=True,
            crosswalk=_map({"atrs": "type_of_model"}),
        ),
        Field(
            "performance",
            "Performance and evaluation",
            Kind.LONG_TEXT,
            "How well the tool works, how this was measured, and how often it is checked",
            max_length=LONG,
            recommended=True,
            crosswalk=_map({"atrs": "model_performance"}),
        ),
        Field(
            "built_by",
            "Built by",
            Kind.CHOICE,
            required=True,
            vocabulary=v.BUILT_BY,
            filter=True,
            crosswalk=_map({"atrs": "external_supplier_involvement", "us": "contracting_usage"}),
        ),
        Field(
            "supplier_name",
            "Supplier",
            Kind.TEXT,
            "The company that supplies the tool or the model",
            max_length=SHORT,
            search_weight=2,
            required_if=("built_by", ("external_supplier", "both")),
            crosswalk=_map({"atrs": "external_supplier", "us": "vendor_name"}),
        ),
        Field(
            "supplier_company_number",
            "Supplier company number",
            Kind.TEXT,
            "The supplier’s company registration number, for example 01234567",
            max_length=20,
            recommended=True,
            crosswalk=_map({"atrs": "external_supplier_identifier"}),
        ),
        Field(
            "source_code_url",
            "Source code",
            Kind.URL,
            "Where the source code is published, starting https://",
            max_length=URL_LENGTH,
            recommended=True,
            crosswalk=_map({"us": "code_url", "nl": "publiccode"}),
        ),
        Field(
            "source_code_withheld_reason",
            "Why the source code is not published",
            Kind.LONG_TEXT,
            "If the code is not published, say why",
            max_length=MEDIUM,
        ),
    ),
)

DATA_SOURCES = Group(
    "data_sources",
    "Data sources",
    "data source",
    (
        Field(
            "name",
            "Name",
            Kind.TEXT,
            max_length=SHORT,
            required=True,
            crosswalk=_map({"atrs": "source_data_name"}),
        ),
        Field(
            "description",
            "Description",
            Kind.LONG_TEXT,
            max_length=MEDIUM,
            crosswalk=_map({"atrs": "source_data_description", "us": "data_description"}),
        ),
        Field("contains_personal_data", "Contains personal data", Kind.BOOLEAN),
        Field(
            "link",
            "Link",
            Kind.URL,
            "Where the data is described, if public",
            max_length=URL_LENGTH,
            crosswalk=_map({"atrs": "source_data_url", "us": "link_to_data"}),
        ),
        Field(
            "collection_method",
            "How it was collected",
            Kind.LONG_TEXT,
            max_length=MEDIUM,
        ),
        Field(
            "sharing_access_retention",
            "Sharing, access and retention",
            Kind.LONG_TEXT,
            "Who can see the data, who it is shared with and how long it is kept",
            max_length=MEDIUM,
        ),
    ),
    hint="Each set of data the tool was built with or uses",
    recommended=True,
    crosswalk=_map({"atrs": "source_data_*", "us": "data_description/link_to_data"}),
)

DATA = Section(
    "data",
    "Data",
    (
        Field(
            "uses_personal_data",
            "Does the tool use personal data?",
            Kind.BOOLEAN,
            required=True,
            filter=True,
            crosswalk=_map({"us": "has_pii"}),
        ),
        Field(
            "uses_special_category_data",
            "Does the tool use special category data?",
            Kind.BOOLEAN,
            "For example health, ethnicity, religion, sexual orientation or biometric data",
            recommended=True,
        ),
        Field(
            "demographic_features",
            "Demographic features used",
            Kind.LONG_TEXT,
            "Any features such as age, sex or postcode, and why they are used",
            max_length=MEDIUM,
            recommended=True,
            crosswalk=_map({"us": "demographic_features"}),
        ),
        DATA_SOURCES,
    ),
)

RISKS = Group(
    "risks",
    "Risks",
    "risk",
    (
        Field(
            "name",
            "Name",
            Kind.TEXT,
            max_length=SHORT,
            required=True,
            crosswalk=_map({"atrs": "risk_name"}),
        ),
        Field("category", "Category", Kind.CHOICE, vocabulary=v.RISK_CATEGORY),
        Field(
            "description",
            "Description",
            Kind.LONG_TEXT,
            max_length=MEDIUM,
            crosswalk=_map({"atrs": "risk_description"}),
        ),
        Field(
            "mitigation",
            "Mitigation",
            Kind.LONG_TEXT,
            max_length=MEDIUM,
            crosswalk=_map({"atrs": "risk_mitigation"}),
        ),
    ),
    hint="Each risk the organisation identified, and what it does about it",
    recommended=True,
    crosswalk=_map({"atrs": "risk_*", "nl": "risks"}),
)

IMPACT_ASSESSMENTS = Group(
    "impact_assessments",
    "Impact assessments",
    "impact assessment",
    (
        Field("kind", "Kind", Kind.CHOICE, vocabulary=v.IMPACT_ASSESSMENT_KIND),
        Field(
            "title",
            "Title",
            Kind.TEXT,
            max_length=SHORT,
            crosswalk=_map({"atrs": "impact_assessment_name"}),
        ),
        Field(
            "date",
            "Date",
            Kind.PARTIAL_DATE,
            "A year, a month or a day",
            crosswalk=_map({"atrs": "impact_assessment_date"}),
        ),
        Field(
            "summary",
            "Summary",
            Kind.LONG_TEXT,
            max_length=MEDIUM,
            crosswalk=_map({"atrs": "impact_assessment_description"}),
        ),
        Field(
            "link",
            "Link",
            Kind.URL,
            max_length=URL_LENGTH,
            crosswalk=_map({"atrs": "impact_assessment_link", "us": "pia_url"}),
        ),
    ),
    hint="Data protection, equality and other assessments carried out",
    recommended=True,
    crosswalk=_map({"atrs": "impact_assessment_*", "us": "pia_url", "nl": "impacttoetsen"}),
)

RISKS_AND_IMPACT = Section(
    "risks",
    "Risks and impact",
    (
        Field(
            "risk_level",
            "Risk level",
            Kind.CHOICE,
            "As assessed by the organisation",
            required=True,
            vocabulary=v.RISK_LEVEL,
            filter=True,
        ),
        Field(
            "eu_ai_act_category",
            "EU AI Act category",
            Kind.CHOICE,
            vocabulary=v.EU_AI_ACT_CATEGORY,
            recommended=True,
            filter=True,
        ),
        Field(
            "rights_safety_effect",
            "Effect on rights or safety",
            Kind.CHOICE,
            "Whether the tool’s outputs can affect people’s rights or safety",
            vocabulary=v.RIGHTS_SAFETY_EFFECT,
            recommended=True,
            filter=True,
        ),
        RISKS,
        IMPACT_ASSESSMENTS,
    ),
)

OVERSIGHT = Section(
    "oversight",
    "Oversight and redress",
    (
        Field(
            "oversight_model",
            "Oversight model",
            Kind.CHOICE,
            required=True,
            vocabulary=v.OVERSIGHT_MODEL,
            filter=True,
            crosswalk=_map({"nl": "human_intervention"}),
        ),
        Field(
            "oversight_description",
            "How people oversee the tool and can override it",
            Kind.LONG_TEXT,
            max_length=LONG,
            required=True,
            crosswalk=_map({"atrs": "human_decisions"}),
        ),
        Field(
            "staff_training",
            "Staff training",
            Kind.LONG_TEXT,
            "How the people who use the tool are trained",
            max_length=MEDIUM,
            recommended=True,
            crosswalk=_map({"atrs": "required_training"}),
        ),
        Field(
            "appeal_process",
            "How to challenge an outcome",
            Kind.LONG_TEXT,
            "How a member of the public can challenge or appeal an outcome",
            max_length=LONG,
            required=True,
            crosswalk=_map({"atrs": "appeals_and_review", "us": "hi_appeal_process"}),
        ),
        Field(
            "monitoring",
            "Monitoring and evaluation",
            Kind.LONG_TEXT,
            max_length=LONG,
            recommended=True,
            crosswalk=_map({"atrs": "maintenance"}),
        ),
        Field(
            "public_engagement",
            "Public engagement",
            Kind.LONG_TEXT,
            "How the public or the people affected were involved",
            max_length=MEDIUM,
            recommended=True,
        ),
    ),
)

# Room for what another register's file says that has no question of its own here, so an
# import keeps it rather than dropping it.
OTHER_INFORMATION_LENGTH = 50_000

OTHER = Section(
    "other",
    "Other information",
    (
        Field(
            "other_information",
            "Other information",
            Kind.LONG_TEXT,
            "Anything else the public should know about the tool. Entries brought in from "
            "another register keep here, labelled, what that register recorded that has no "
            "question of its own on this form.",
            max_length=OTHER_INFORMATION_LENGTH,
        ),
    ),
)

SECTIONS: tuple[Section, ...] = (
    ABOUT,
    PURPOSE,
    TECHNOLOGY,
    DATA,
    RISKS_AND_IMPACT,
    OVERSIGHT,
    OTHER,
)

# Section 7 of the brief, kept by the register and never typed into the form: see kept.py.
