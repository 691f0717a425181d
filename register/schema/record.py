"""Schema version 1 of the register's record: every field, in the order of the form.

This is the one place the record is defined. Forms, pages, the API, exports, the data
dictionary, the completeness indicator and the importers are all derived from `SECTIONS`.
"""

from __future__ import annotations

from types import MappingProxyType as _map

from . import vocabularies as v
from .fields import Field, Group, Guidance, Kind, Messages, Rule, Section

SCHEMA_VERSION = 1

SHORT = 200
LONG = 5000
MEDIUM = 2000
URL_LENGTH = 2000
EMAIL_LENGTH = 254
# The EU database has published no format for its registration numbers: room for any
# identifier it may give, on one line.
EU_REGISTRATION_NUMBER_LENGTH = 100

# A company registration number: at Companies House, eight characters (01234567, or two
# letters and six digits such as SC123456); other countries' registers use other shapes
# (123 456 789, HRB 86891, 12-3456789). So: letters and digits, at least one digit, with
# single spaces, dots, slashes or hyphens between them.
COMPANY_NUMBER = r"(?=.*[0-9])[A-Za-z0-9]+(?:[ ./-][A-Za-z0-9]+)*"

# Where the terms some questions use are explained, by the bodies that define them.
ICO_SPECIAL_CATEGORY = Guidance(
    "What special category data is, from the Information Commissioner’s Office",
    "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/lawful-basis/"
    "special-category-data/what-is-special-category-data/",
)
ICO_LAWFUL_BASIS = Guidance(
    "The lawful bases for processing personal data, from the Information Commissioner’s Office",
    "https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/lawful-basis/"
    "a-guide-to-lawful-basis/",
)
EU_AI_ACT = Guidance(
    "The EU Artificial Intelligence Act, Regulation (EU) 2024/1689",
    "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
)

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
            welsh=True,
            search_weight=4,
            required=True,
            crosswalk=_map({"atrs": "name", "us": "use_case_name", "nl": "name"}),
            messages=Messages("Enter the title of the tool", name="Title"),
        ),
        Field(
            "summary",
            "Summary",
            Kind.LONG_TEXT,
            "In plain English, what the tool does and why. Avoid jargon and acronyms.",
            max_length=500,
            welsh=True,
            search_weight=3,
            required=True,
            crosswalk=_map({"atrs": "description", "nl": "description_short"}),
            messages=Messages("Enter a summary of what the tool does and why", name="Summary"),
        ),
        Field(
            "organisation",
            "Organisation",
            Kind.ORGANISATION,
            "The organisation that uses the tool",
            required=True,
            filter=True,
            crosswalk=_map(
                {
                    "atrs": "organisation",
                    "us": "agency_name",
                    "nl": "organization",
                    "eu": "C.1.name",
                }
            ),
            messages=Messages("Select the organisation that uses the tool"),
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
            messages=Messages("Enter the team that runs the tool", name="Team"),
        ),
        Field(
            "policy_area",
            "Policy area",
            Kind.CHOICE,
            "The function of government the tool supports",
            required=True,
            vocabulary=v.POLICY_AREA,
            filter=True,
            crosswalk=_map({"atrs": "function", "us": "topic_area", "nl": "theme"}),
            messages=Messages("Select the policy area the tool supports"),
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
            messages=Messages("Select where the tool is in its life"),
        ),
        Field(
            "started_on",
            "Work started",
            Kind.PARTIAL_DATE,
            "A year, a month or a day, for example 2024, 2024-03 or 2024-03-27",
            recommended=True,
            messages=Messages(
                "Enter the date work on the tool started",
                invalid="Enter the date work started as a year, a month or a day, "
                "like 2024, 2024-03 or 2024-03-27",
                name="The date work started",
            ),
            rules=(
                Rule(
                    "The date work started must be today or in the past, unless the tool "
                    "is planned",
                    not_after_today=True,
                    when=("status", ("in_development", "pilot", "in_use", "retired")),
                ),
            ),
        ),
        Field(
            "in_use_from",
            "In use from",
            Kind.PARTIAL_DATE,
            "A year, a month or a day, for example 2025, 2025-01 or 2025-01-15",
            required_if=("status", ("in_use", "retired")),
            crosswalk=_map(
                {"atrs": "date_deployment", "us": "operational_date", "nl": "start_date"}
            ),
            needed_when="the tool is in use or retired",
            messages=Messages(
                "Enter the date the tool went into use",
                invalid="Enter the date it went into use as a year, a month or a day, "
                "like 2025, 2025-01 or 2025-01-15",
                name="The date it went into use",
            ),
            rules=(
                Rule(
                    "The date it went into use must be today or in the past for a tool in use "
                    "or retired",
                    not_after_today=True,
                    when=("status", ("in_use", "retired")),
                ),
                Rule(
                    "The date it went into use must be the same as or after the date work started",
                    not_before="started_on",
                ),
            ),
        ),
        Field(
            "retired_on",
            "Retired on",
            Kind.PARTIAL_DATE,
            "A year, a month or a day",
            required_if=("status", ("retired",)),
            not_after_today=True,
            crosswalk=_map({"nl": "end_date"}),
            needed_when="the tool is retired",
            messages=Messages(
                "Enter the date the tool was retired",
                invalid="Enter the date it was retired as a year, a month or a day, "
                "like 2025, 2025-06 or 2025-06-30",
                name="The date it was retired",
            ),
            rules=(
                Rule(
                    "The date it was retired must be the same as or after the date it went "
                    "into use",
                    not_before="in_use_from",
                ),
                Rule(
                    "The date it was retired must be the same as or after the date work started",
                    not_before="started_on",
                ),
            ),
        ),
        Field(
            "retirement_reason",
            "Reason for retirement",
            Kind.LONG_TEXT,
            "Why the tool is no longer used",
            max_length=MEDIUM,
            welsh=True,
            required_if=("status", ("retired",)),
            needed_when="the tool is retired",
            messages=Messages(
                "Enter why the tool is no longer used", name="The reason for retirement"
            ),
        ),
        Field(
            "contact_email",
            "Public contact email",
            Kind.EMAIL,
            "A shared mailbox the public can write to about this tool, not a person’s address",
            max_length=EMAIL_LENGTH,
            required=True,
            crosswalk=_map(
                {
                    "atrs": "contact_email",
                    "us": "contact_email",
                    "nl": "contact",
                    "eu": "C.1.contact_email",
                }
            ),
            messages=Messages(
                "Enter a public contact email address",
                invalid="Enter the public contact email address in the correct format, "
                "like ai-tools@example.gov.uk",
                name="Public contact email address",
            ),
        ),
        Field(
            "postal_address",
            "Postal address",
            Kind.LONG_TEXT,
            "The organisation’s postal address, for registers that ask for one, such as the EU "
            "database of high-risk AI systems",
            max_length=500,
            crosswalk=_map({"eu": "C.1.address"}),
            messages=Messages("Enter the organisation’s postal address", name="Postal address"),
        ),
        Field(
            "web_page",
            "Web page",
            Kind.URL,
            "A page about the tool or the service it supports, starting https://",
            max_length=URL_LENGTH,
            recommended=True,
            crosswalk=_map({"atrs": "website", "nl": "link"}),
            messages=Messages(
                "Enter the address of a web page about the tool",
                invalid="Enter the web page in the correct format, like "
                "https://www.example.gov.uk/pothole-triage",
                name="Web page address",
            ),
        ),
        Field(
            "senior_responsible_owner",
            "Senior responsible owner",
            Kind.TEXT,
            "A role title, not a name, for example “Director of Children’s Services”",
            max_length=SHORT,
            recommended=True,
            crosswalk=_map({"atrs": "senior_responsible_owner"}),
            messages=Messages(
                "Enter the role title of the senior responsible owner",
                name="Senior responsible owner",
            ),
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
            welsh=True,
            search_weight=2,
            required=True,
            crosswalk=_map({"atrs": "scope", "us": "problem_solved", "nl": "purpose_and_impact"}),
            messages=Messages("Enter the problem the tool addresses", name="Purpose"),
        ),
        Field(
            "benefits",
            "Benefits",
            Kind.LONG_TEXT,
            "What is better because of the tool, and for whom",
            max_length=LONG,
            welsh=True,
            search_weight=1,
            required=True,
            crosswalk=_map(
                {"atrs": "benefit", "us": "benefits", "nl": "purpose_and_impact › Benefits"}
            ),
            messages=Messages("Enter what is better because of the tool", name="Benefits"),
        ),
        Field(
            "alternatives_considered",
            "Alternatives considered",
            Kind.LONG_TEXT,
            "Other ways of meeting the need, including not using a tool, and why not",
            max_length=LONG,
            welsh=True,
            recommended=True,
            crosswalk=_map({"atrs": "alternatives_considered", "nl": "considerations"}),
            messages=Messages(
                "Enter the other ways of meeting the need that were considered",
                name="Alternatives considered",
            ),
        ),
        Field(
            "outputs",
            "Outputs",
            Kind.LONG_TEXT,
            "What the tool produces, for example a score, a ranking, a draft letter or a flag",
            max_length=LONG,
            welsh=True,
            search_weight=1,
            recommended=True,
            crosswalk=_map(
                {
                    "atrs": "provided_information",
                    "us": "system_outputs",
                    "nl": "purpose_and_impact › Outputs",
                }
            ),
            messages=Messages("Enter what the tool produces", name="Outputs"),
        ),
        Field(
            "decision_role",
            "Role in decisions",
            Kind.CHOICE,
            "How far the tool’s output decides what happens to people",
            required=True,
            vocabulary=v.DECISION_ROLE,
            crosswalk=_map({"nl": "purpose_and_impact › Role in decisions"}),
            filter=True,
            messages=Messages("Select how far the tool decides what happens to people"),
        ),
        Field(
            "people_affected",
            "People affected",
            Kind.LONG_TEXT,
            "Who is affected by the tool’s outputs",
            max_length=MEDIUM,
            welsh=True,
            recommended=True,
            crosswalk=_map({"nl": "purpose_and_impact › People affected"}),
            messages=Messages(
                "Enter who is affected by the tool’s outputs", name="People affected"
            ),
        ),
        Field(
            "scale",
            "Scale",
            Kind.LONG_TEXT,
            "How often the tool is used and for how many people or cases",
            max_length=MEDIUM,
            welsh=True,
            recommended=True,
            crosswalk=_map({"atrs": "frequency_and_scale", "nl": "purpose_and_impact › Scale"}),
            messages=Messages(
                "Enter how often the tool is used and for how many cases", name="Scale"
            ),
        ),
        Field(
            "legal_basis",
            "Legal basis",
            Kind.LONG_TEXT,
            "The law or power that allows the organisation to use the tool, such as a section "
            "of an Act. If it uses personal data, also say which lawful basis under the UK "
            "GDPR it relies on, such as public task.",
            max_length=MEDIUM,
            welsh=True,
            recommended=True,
            guidance=ICO_LAWFUL_BASIS,
            crosswalk=_map({"nl": "legal_basis"}),
            messages=Messages(
                "Enter the law or power that allows the tool to be used", name="Legal basis"
            ),
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
            crosswalk=_map({"us": "classification", "nl": "technical_operation › Techniques"}),
            messages=Messages("Select the techniques the tool uses"),
        ),
        Field(
            "model_description",
            "Model",
            Kind.LONG_TEXT,
            "The model or method used, its name and version if it has one",
            max_length=LONG,
            welsh=True,
            search_weight=1,
            recommended=True,
            crosswalk=_map({"atrs": "type_of_model", "nl": "technical_operation"}),
            messages=Messages("Enter the model or method the tool uses", name="Model description"),
        ),
        Field(
            "performance",
            "Performance and evaluation",
            Kind.LONG_TEXT,
            "How well the tool works, how this was measured, and how often it is checked",
            max_length=LONG,
            welsh=True,
            recommended=True,
            crosswalk=_map(
                {
                    "atrs": "model_performance",
                    "nl": "technical_operation › Performance and evaluation",
                }
            ),
            messages=Messages(
                "Enter how well the tool works and how this was measured",
                name="Performance and evaluation",
            ),
        ),
        Field(
            "built_by",
            "Built by",
            Kind.CHOICE,
            required=True,
            vocabulary=v.BUILT_BY,
            filter=True,
            crosswalk=_map(
                {
                    "atrs": "external_supplier_involvement",
                    "us": "contracting_usage",
                    "nl": "technical_operation › Built by",
                }
            ),
            messages=Messages("Select who built the tool"),
        ),
        Field(
            "supplier_name",
            "Supplier",
            Kind.TEXT,
            "The company that supplies the tool or the model",
            max_length=SHORT,
            search_weight=2,
            required_if=("built_by", ("external_supplier", "both")),
            crosswalk=_map({"atrs": "external_supplier", "us": "vendor_name", "nl": "supplier"}),
            needed_when="an external supplier built the tool, alone or with the organisation",
            messages=Messages("Enter the name of the supplier", name="Supplier name"),
        ),
        # No other register's standard asks for the product by name, so no crosswalk: the
        # register links entries that name the same product of the same supplier.
        Field(
            "product_name",
            "Product",
            Kind.TEXT,
            "The name of the supplier’s product the tool is, or is built on, if it has one, "
            "for example “Roadscan Inspector”",
            max_length=SHORT,
            messages=Messages("Enter the name of the product", name="Product name"),
        ),
        Field(
            "supplier_registry",
            "Supplier’s register",
            Kind.CHOICE,
            "Where the supplier’s company number was given: its number is checked against "
            "that register’s format",
            vocabulary=v.SUPPLIER_REGISTRY,
            messages=Messages("Select the register that gave the supplier’s company number"),
        ),
        Field(
            "supplier_company_number",
            "Supplier company number",
            Kind.TEXT,
            "The number the supplier is registered under, for example 01234567 or SC123456 at "
            "Companies House, or in its own country’s register",
            max_length=20,
            recommended=True,
            crosswalk=_map({"atrs": "external_supplier_identifier"}),
            pattern=COMPANY_NUMBER,
            messages=Messages(
                "Enter the supplier’s company number",
                invalid="Enter the supplier’s company number in the correct format, "
                "like 01234567 or SC123456",
                name="Supplier company number",
            ),
        ),
        Field(
            "source_code_url",
            "Source code",
            Kind.URL,
            "Where the source code is published, starting https://",
            max_length=URL_LENGTH,
            recommended=True,
            crosswalk=_map({"us": "code_url", "nl": "source_code_link"}),
            messages=Messages(
                "Enter the address where the source code is published",
                invalid="Enter the source code address in the correct format, like "
                "https://github.com/example/pothole-triage",
                name="Source code address",
            ),
        ),
        Field(
            "source_code_withheld_reason",
            "Why the source code is not published",
            Kind.LONG_TEXT,
            "If the code is not published, say why",
            max_length=MEDIUM,
            welsh=True,
            crosswalk=_map({"nl": "technical_operation › Why the source code is not published"}),
            messages=Messages(
                "Enter the reason the source code is not published",
                name="The reason the source code is not published",
            ),
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
            crosswalk=_map({"atrs": "source_data_name", "nl": "data_source_title"}),
            messages=Messages("Enter the name of the data source", name="Name"),
        ),
        Field(
            "description",
            "Description",
            Kind.LONG_TEXT,
            "What the data is and what the tool uses it for",
            max_length=MEDIUM,
            welsh=True,
            crosswalk=_map({"atrs": "source_data_description", "us": "data_description"}),
            messages=Messages("Enter a description of the data source", name="Description"),
        ),
        Field(
            "contains_personal_data",
            "Contains personal data",
            Kind.BOOLEAN,
            "Whether this source holds information about identifiable people",
            messages=Messages("Select whether the data source contains personal data"),
        ),
        Field(
            "link",
            "Link",
            Kind.URL,
            "Where the data is described, if public",
            max_length=URL_LENGTH,
            crosswalk=_map(
                {"atrs": "source_data_url", "us": "link_to_data", "nl": "data_source_link"}
            ),
            messages=Messages(
                "Enter the address where the data is described",
                invalid="Enter the link to the data in the correct format, like "
                "https://www.example.gov.uk/data",
                name="Link",
            ),
        ),
        Field(
            "collection_method",
            "How it was collected",
            Kind.LONG_TEXT,
            "Where the data comes from and how it was gathered, for example from service "
            "applications",
            max_length=MEDIUM,
            welsh=True,
            messages=Messages("Enter how the data was collected", name="How it was collected"),
        ),
        Field(
            "sharing_access_retention",
            "Sharing, access and retention",
            Kind.LONG_TEXT,
            "Who can see the data, who it is shared with and how long it is kept",
            max_length=MEDIUM,
            welsh=True,
            messages=Messages(
                "Enter who can see the data and how long it is kept",
                name="Sharing, access and retention",
            ),
        ),
    ),
    hint="Each set of data the tool was built with or uses",
    recommended=True,
    crosswalk=_map(
        {"atrs": "source_data_*", "us": "data_description/link_to_data", "nl": "data_source_*"}
    ),
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
            crosswalk=_map({"us": "has_pii", "nl": "data › Uses personal data"}),
            messages=Messages("Select whether the tool uses personal data"),
        ),
        Field(
            "uses_special_category_data",
            "Does the tool use special category data?",
            Kind.BOOLEAN,
            "Personal data the law protects more, because using it could create significant "
            "risks to people: for example data about health, ethnicity, religion, sexual "
            "orientation, or biometric data used to identify someone",
            recommended=True,
            guidance=ICO_SPECIAL_CATEGORY,
            crosswalk=_map({"nl": "data › Uses special category data"}),
            messages=Messages("Select whether the tool uses special category data"),
        ),
        Field(
            "demographic_features",
            "Demographic features used",
            Kind.LONG_TEXT,
            "Any features such as age, sex or postcode, and why they are used",
            max_length=MEDIUM,
            welsh=True,
            recommended=True,
            crosswalk=_map({"us": "demographic_features", "nl": "data › Demographic features"}),
            messages=Messages(
                "Enter the demographic features the tool uses", name="Demographic features"
            ),
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
            messages=Messages("Enter the name of the risk", name="Name"),
        ),
        Field(
            "category",
            "Category",
            Kind.CHOICE,
            "The kind of harm the risk could cause",
            vocabulary=v.RISK_CATEGORY,
            messages=Messages("Select the category of the risk"),
        ),
        Field(
            "description",
            "Description",
            Kind.LONG_TEXT,
            "What could go wrong, and who it would affect",
            max_length=MEDIUM,
            welsh=True,
            crosswalk=_map({"atrs": "risk_description"}),
            messages=Messages("Enter a description of the risk", name="Description"),
        ),
        Field(
            "mitigation",
            "Mitigation",
            Kind.LONG_TEXT,
            "What the organisation does to prevent the risk or lessen its effects",
            max_length=MEDIUM,
            welsh=True,
            crosswalk=_map({"atrs": "risk_mitigation"}),
            messages=Messages("Enter what is done about the risk", name="Mitigation"),
        ),
    ),
    hint="Each risk the organisation identified, and what it does about it",
    recommended=True,
    crosswalk=_map({"atrs": "risk_*", "nl": "risk_management"}),
)

IMPACT_ASSESSMENTS = Group(
    "impact_assessments",
    "Impact assessments",
    "impact assessment",
    (
        Field(
            "kind",
            "Kind",
            Kind.CHOICE,
            "The kind of assessment, for example a data protection impact assessment",
            vocabulary=v.IMPACT_ASSESSMENT_KIND,
            messages=Messages("Select the kind of impact assessment"),
        ),
        Field(
            "title",
            "Title",
            Kind.TEXT,
            "The assessment’s name, as the organisation calls it",
            max_length=SHORT,
            crosswalk=_map({"atrs": "impact_assessment_name", "nl": "impact_assessments"}),
            messages=Messages("Enter the title of the impact assessment", name="Title"),
        ),
        Field(
            "date",
            "Date",
            Kind.PARTIAL_DATE,
            "A year, a month or a day",
            crosswalk=_map({"atrs": "impact_assessment_date"}),
            not_after_today=True,
            messages=Messages(
                "Enter the date of the impact assessment",
                invalid="Enter the date of the impact assessment as a year, a month or a "
                "day, like 2024, 2024-03 or 2024-03-27",
                name="The date of the impact assessment",
            ),
        ),
        Field(
            "summary",
            "Summary",
            Kind.LONG_TEXT,
            "What the assessment found, in plain English",
            max_length=MEDIUM,
            welsh=True,
            crosswalk=_map(
                {
                    "atrs": "impact_assessment_description",
                    "nl": "impact_assessment_explanation",
                }
            ),
            messages=Messages("Enter a summary of the impact assessment", name="Summary"),
        ),
        Field(
            "link",
            "Link",
            Kind.URL,
            "Where the public can read the assessment, if it is published",
            max_length=URL_LENGTH,
            crosswalk=_map(
                {"atrs": "impact_assessment_link", "us": "pia_url", "nl": "impact_assessment_link"}
            ),
            messages=Messages(
                "Enter the address of the impact assessment",
                invalid="Enter the link to the impact assessment in the correct format, "
                "like https://www.example.gov.uk/dpia",
                name="Link",
            ),
        ),
    ),
    hint="Data protection, equality and other assessments carried out",
    recommended=True,
    crosswalk=_map(
        {
            "atrs": "impact_assessment_*",
            "us": "pia_url",
            "nl": "impact_assessment*",
            "eu": "C.4/C.5",
        }
    ),
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
            crosswalk=_map({"nl": "risk_management › Risk level"}),
            filter=True,
            messages=Messages("Select the risk level the organisation assessed"),
        ),
        Field(
            "eu_ai_act_category",
            "EU AI Act category",
            Kind.CHOICE,
            "The risk category the tool falls in under the EU’s Artificial Intelligence Act, "
            "which sets duties by category. Select “Not yet assessed” if no one has checked.",
            vocabulary=v.EU_AI_ACT_CATEGORY,
            crosswalk=_map({"nl": "publication_category"}),
            recommended=True,
            guidance=EU_AI_ACT,
            filter=True,
            messages=Messages("Select the tool’s category under the EU AI Act"),
        ),
        Field(
            "annex_iii_area",
            "EU AI Act Annex III area",
            Kind.CHOICE,
            "For a high-risk tool, the area of Annex III to the Act its use falls in. It decides "
            "whether and how a public body registers the tool’s use in the EU database.",
            vocabulary=v.ANNEX_III_AREA,
            guidance=EU_AI_ACT,
            crosswalk=_map({"eu": "ai_system.annex_iii_point"}),
            messages=Messages("Select the area of Annex III the tool’s use falls in"),
        ),
        Field(
            "eu_provider_entry_url",
            "Provider’s entry in the EU database",
            Kind.URL,
            "For a high-risk tool, the address of the entry its provider made in the EU "
            "database, starting https://",
            max_length=URL_LENGTH,
            crosswalk=_map({"eu": "C.3"}),
            messages=Messages(
                "Enter the address of the provider’s entry in the EU database",
                invalid="Enter the address of the provider’s entry in the EU database in the "
                "correct format, like https://eu-database.example.eu/systems/12345",
                name="The address of the provider’s entry",
            ),
        ),
        Field(
            "eu_registration_number",
            "EU database registration number",
            Kind.TEXT,
            "The number the EU database gave the organisation’s registration of the tool’s "
            "use. A public body registers a high-risk tool’s use before it starts using it.",
            max_length=EU_REGISTRATION_NUMBER_LENGTH,
            crosswalk=_map({"eu": "registration_number"}),
            messages=Messages(
                "Enter the EU database registration number",
                name="EU database registration number",
            ),
        ),
        Field(
            "rights_safety_effect",
            "Effect on rights or safety",
            Kind.CHOICE,
            "Whether the tool’s outputs can affect people’s rights or safety",
            vocabulary=v.RIGHTS_SAFETY_EFFECT,
            recommended=True,
            filter=True,
            messages=Messages("Select whether the tool can affect people’s rights or safety"),
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
            "How people are involved in what the tool does with each case",
            required=True,
            vocabulary=v.OVERSIGHT_MODEL,
            filter=True,
            crosswalk=_map({"nl": "human_intervention › Oversight model"}),
            messages=Messages("Select how people oversee the tool"),
        ),
        Field(
            "oversight_description",
            "How people oversee the tool and can override it",
            Kind.LONG_TEXT,
            max_length=LONG,
            welsh=True,
            required=True,
            crosswalk=_map({"atrs": "human_decisions", "nl": "human_intervention"}),
            messages=Messages(
                "Enter how people oversee the tool and how they can override it",
                name="How people oversee the tool",
            ),
        ),
        Field(
            "staff_training",
            "Staff training",
            Kind.LONG_TEXT,
            "How the people who use the tool are trained",
            max_length=MEDIUM,
            welsh=True,
            recommended=True,
            crosswalk=_map(
                {"atrs": "required_training", "nl": "human_intervention › Staff training"}
            ),
            messages=Messages(
                "Enter how the people who use the tool are trained", name="Staff training"
            ),
        ),
        Field(
            "appeal_process",
            "How to challenge an outcome",
            Kind.LONG_TEXT,
            "How a member of the public can challenge or appeal an outcome",
            max_length=LONG,
            welsh=True,
            required=True,
            crosswalk=_map(
                {
                    "atrs": "appeals_and_review",
                    "us": "hi_appeal_process",
                    "nl": "human_intervention › How to challenge an outcome",
                }
            ),
            messages=Messages(
                "Enter how a member of the public can challenge an outcome",
                name="How to challenge an outcome",
            ),
        ),
        Field(
            "monitoring",
            "Monitoring and evaluation",
            Kind.LONG_TEXT,
            "How the organisation checks that the tool works as intended and is still needed, "
            "and how often",
            max_length=LONG,
            welsh=True,
            recommended=True,
            crosswalk=_map(
                {"atrs": "maintenance", "nl": "risk_management › Monitoring and evaluation"}
            ),
            messages=Messages(
                "Enter how the tool is monitored and evaluated",
                name="Monitoring and evaluation",
            ),
        ),
        Field(
            "public_engagement",
            "Public engagement",
            Kind.LONG_TEXT,
            "How the public or the people affected were involved",
            max_length=MEDIUM,
            welsh=True,
            recommended=True,
            messages=Messages("Enter how the public were involved", name="Public engagement"),
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
            welsh=True,
            messages=Messages(
                "Enter anything else the public should know", name="Other information"
            ),
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
