"""Controlled vocabularies: stable codes (stored and exported) with the labels people read.

Codes never change once published; a label may be reworded. `crosswalk` maps a code to the
value other registers use for it, so importers and exporters can translate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType


@dataclass(frozen=True, eq=False)
class Choice:
    code: str
    label: str
    hint: str = ""
    crosswalk: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, eq=False)
class Vocabulary:
    name: str
    label: str
    choices: tuple[Choice, ...]

    @cached_property
    def codes(self) -> tuple[str, ...]:
        # Worked out once: every value an import or a form checks asks for them.
        return tuple(choice.code for choice in self.choices)

    def label_for(self, code: str | None) -> str:
        """The label for `code`, or the code itself if it is not (or no longer) known."""
        for choice in self.choices:
            if choice.code == code:
                return choice.label
        return code or ""

    def __contains__(self, code: object) -> bool:
        return code in self.codes


def _vocabulary(name: str, label: str, *choices: tuple) -> Vocabulary:
    built = []
    for item in choices:
        code, text, *rest = item
        hint = rest[0] if rest else ""
        crosswalk = MappingProxyType(dict(rest[1])) if len(rest) > 1 else MappingProxyType({})
        built.append(Choice(code=code, label=text, hint=hint, crosswalk=crosswalk))
    return Vocabulary(name=name, label=label, choices=tuple(built))


# The ten functions of government in the UN Classification of the Functions of Government.
# "us" is the US inventory's topic area where one is the same function (as its shorthand
# code); the others' topics cut across functions, so they have none.
POLICY_AREA = _vocabulary(
    "policy_area",
    "Policy area",
    (
        "general_public_services",
        "General public services",
        "",
        {"cofog": "01", "nl": "Organisatie en bedrijfsvoering"},
    ),
    ("defence", "Defence", "", {"cofog": "02"}),
    (
        "public_order_safety",
        "Public order and safety",
        "",
        {"cofog": "03", "nl": "Openbare orde en veiligheid"},
    ),
    ("economic_affairs", "Economic affairs", "", {"cofog": "04", "nl": "Economie"}),
    (
        "environmental_protection",
        "Environmental protection",
        "",
        {"cofog": "05", "nl": "Natuur en milieu", "us": "Energy and Environment"},
    ),
    ("housing_community", "Housing and community amenities", "", {"cofog": "06", "nl": "Wonen"}),
    (
        "health",
        "Health",
        "",
        {"cofog": "07", "nl": "Zorg en gezondheid", "us": "Health and Medical"},
    ),
    (
        "recreation_culture_religion",
        "Recreation, culture and religion",
        "",
        {"cofog": "08", "nl": "Cultuur en recreatie"},
    ),
    ("education", "Education", "", {"cofog": "09", "nl": "Onderwijs en wetenschap"}),
    ("social_protection", "Social protection", "", {"cofog": "10", "nl": "Sociale zekerheid"}),
)

STATUS = _vocabulary(
    "status",
    "Status",
    (
        "planned",
        "Planned",
        "",
        {"us": "Pre-deployment", "atrs": "Pre-deployment", "nl": "In ontwikkeling"},
    ),
    (
        "in_development",
        "In development",
        "",
        {"us": "Pre-deployment", "atrs": "Development", "nl": "In ontwikkeling"},
    ),
    ("pilot", "Pilot", "", {"us": "Pilot", "atrs": "Pilot", "nl": "In gebruik"}),
    ("in_use", "In use", "", {"us": "Deployed", "atrs": "Production", "nl": "In gebruik"}),
    ("retired", "Retired", "", {"us": "Retired", "atrs": "Retired", "nl": "Buiten gebruik"}),
)

DECISION_ROLE = _vocabulary(
    "decision_role",
    "Role in decisions",
    # "nl": the Dutch register's publication category where nothing weightier decides it
    # (`standards/dutch.py`): a part in decisions about people has impact (category B).
    (
        "no_decisions",
        "Makes no decisions about people",
        "",
        {"nl": "Overige algoritmes (Categorie C)"},
    ),
    (
        "informs",
        "Informs a decision made by a person",
        "",
        {"nl": "Impactvolle algoritmes (Categorie B)"},
    ),
    (
        "recommends",
        "Recommends, and a person decides",
        "",
        {"nl": "Impactvolle algoritmes (Categorie B)"},
    ),
    (
        "decides_with_review",
        "Decides, and a person reviews the decision",
        "",
        {"nl": "Impactvolle algoritmes (Categorie B)"},
    ),
    (
        "decides_automatically",
        "Decides automatically",
        "",
        {"nl": "Impactvolle algoritmes (Categorie B)"},
    ),
)

TECHNIQUE = _vocabulary(
    "technique",
    "Technique",
    ("rule_based", "Rule-based"),
    ("classical_ml", "Classical machine learning", "", {"us": "Classical ML"}),
    ("deep_learning", "Deep learning"),
    ("generative_ai", "Generative AI", "", {"us": "Generative AI"}),
    ("nlp", "Natural language processing", "", {"us": "NLP"}),
    ("computer_vision", "Computer vision", "", {"us": "Computer Vision"}),
    ("speech", "Speech"),
    ("forecasting", "Forecasting"),
    ("optimisation", "Optimisation"),
    ("agentic_ai", "Agentic AI", "", {"us": "Agentic AI"}),
    ("other", "Other", "", {"us": "Other"}),
)

BUILT_BY = _vocabulary(
    "built_by",
    "Built by",
    ("in_house", "In-house", "", {"us": "Developed in-house", "nl": "Intern ontwikkeld"}),
    ("external_supplier", "External supplier", "", {"us": "Purchased from a vendor"}),
    (
        "both",
        "In-house and an external supplier",
        "",
        {"us": "Developed with both contracting and in-house resources"},
    ),
)

# The register a supplier's number was given by (see registries.py): its number is checked
# against the register's own format.
SUPPLIER_REGISTRY = _vocabulary(
    "supplier_registry",
    "Supplier's register",
    ("gb_coh", "Companies House (UK)"),
    ("nl_kvk", "Chamber of Commerce (Netherlands, KVK)"),
    ("other", "Another register"),
)

RISK_LEVEL = _vocabulary(
    "risk_level",
    "Risk level",
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
)

EU_AI_ACT_CATEGORY = _vocabulary(
    "eu_ai_act_category",
    "EU AI Act category",
    ("prohibited", "Prohibited practice", "Banned by Article 5, for example social scoring"),
    (
        "high_risk",
        "High-risk",
        "Listed in Article 6 and Annex III, for example deciding who can get public "
        "benefits or services",
        {"nl": "Hoog-risico AI-systeem (Categorie A)"},
    ),
    (
        "limited_risk",
        "Limited risk",
        "Has duties to be open with people, for example a chatbot must say it is AI",
    ),
    ("minimal_risk", "Minimal risk", "No particular duties, for example a spam filter"),
    ("not_ai_system", "Not an AI system under the Act"),
    ("not_assessed", "Not yet assessed"),
)

# The areas of Annex III to the EU AI Act: a tool used in one is high-risk (Article 6(2)),
# and the point decides how a public body registers its use (Article 49(3) to (5)).
ANNEX_III_AREA = _vocabulary(
    "annex_iii_area",
    "EU AI Act Annex III area",
    ("biometrics", "1. Biometrics", "For example identifying people from their face", {"eu": "1"}),
    (
        "critical_infrastructure",
        "2. Critical infrastructure",
        "Safety components of roads, water, gas, heating or electricity",
        {"eu": "2"},
    ),
    ("education", "3. Education and vocational training", "", {"eu": "3"}),
    ("employment", "4. Employment and workers’ management", "", {"eu": "4"}),
    (
        "essential_services",
        "5. Essential public and private services and benefits",
        "For example deciding who can get public benefits, or sorting emergency calls",
        {"eu": "5"},
    ),
    ("law_enforcement", "6. Law enforcement", "", {"eu": "6"}),
    ("migration", "7. Migration, asylum and border control", "", {"eu": "7"}),
    (
        "justice_democracy",
        "8. Administration of justice and democratic processes",
        "",
        {"eu": "8"},
    ),
    (
        "not_listed",
        "Not in Annex III",
        "High-risk for another reason, such as being a safety component of a product",
    ),
)

RIGHTS_SAFETY_EFFECT = _vocabulary(
    "rights_safety_effect",
    "Effect on rights or safety",
    (
        "rights",
        "Rights",
        "",
        {"us": "Rights-impacting", "nl": "Impactvolle algoritmes (Categorie B)"},
    ),
    (
        "safety",
        "Safety",
        "",
        {"us": "Safety-impacting", "nl": "Impactvolle algoritmes (Categorie B)"},
    ),
    (
        "both",
        "Both rights and safety",
        "",
        {"us": "Both", "nl": "Impactvolle algoritmes (Categorie B)"},
    ),
    ("neither", "Neither", "", {"us": "Neither", "nl": "Overige algoritmes (Categorie C)"}),
)

RISK_CATEGORY = _vocabulary(
    "risk_category",
    "Risk category",
    ("bias_discrimination", "Bias and discrimination"),
    ("privacy_data_protection", "Privacy and data protection"),
    ("accuracy_reliability", "Accuracy and reliability"),
    ("security", "Security"),
    ("transparency", "Transparency"),
    ("accountability", "Accountability"),
    ("human_rights", "Human rights"),
    ("environment", "Environment"),
    ("other", "Other"),
)

IMPACT_ASSESSMENT_KIND = _vocabulary(
    "impact_assessment_kind",
    "Kind of impact assessment",
    (
        "data_protection",
        "Data protection impact assessment",
        "",
        {"nl": "Data Protection Impact Assessment (DPIA)"},
    ),
    ("equality", "Equality impact assessment"),
    (
        "fundamental_rights",
        "Fundamental rights impact assessment",
        "",
        {"nl": "Fundamental Rights Impact Assessment (FRIA)"},
    ),
    ("algorithmic", "Algorithmic impact assessment", "", {"nl": "AI Impact Assessment (AIIA)"}),
    ("other", "Other"),
)

OVERSIGHT_MODEL = _vocabulary(
    "oversight_model",
    "Oversight model",
    (
        "human_in_the_loop",
        "Human in the loop",
        "A person checks and approves each output before it is used",
    ),
    (
        "human_on_the_loop",
        "Human on the loop",
        "The tool acts on its own; people watch what it does and can step in or stop it",
    ),
    (
        "human_in_command",
        "Human in command",
        "People decide when and how the tool is used, and can overrule it at any time",
    ),
    ("none", "No human oversight"),
)

ORGANISATION_TYPE = _vocabulary(
    "organisation_type",
    "Organisation type",
    ("central_government", "Central government department"),
    ("devolved_government", "Devolved government"),
    ("arms_length_body", "Arm's-length body or agency"),
    ("local_government", "Local authority"),
    ("police", "Police force"),
    ("fire_rescue", "Fire and rescue service"),
    ("health", "Health body"),
    ("education", "Education body"),
    ("regulator", "Regulator"),
    ("other", "Other public body"),
)

ROLE = _vocabulary(
    "role",
    "Role",
    ("editor", "Editor", "Writes entries and submits them for review"),
    ("publisher", "Publisher", "Also reviews entries and publishes them"),
)

YES_NO = _vocabulary("yes_no", "Yes or no", ("yes", "Yes"), ("no", "No"))

# Why a publisher holds an answer back from the public record (as the US inventory marks a
# use case withheld, and the UK standard allows exemptions). "other" needs words of its own.
WITHHELD_REASON = _vocabulary(
    "withheld_reason",
    "Reason an answer is withheld",
    ("national_security", "National security"),
    ("law_enforcement", "Law enforcement"),
    ("commercial_confidentiality", "Commercial confidentiality"),
    ("personal_data", "Personal data"),
    ("other", "Other", "Say briefly why the answer cannot be published"),
)
WITHHELD_OTHER = "other"

VOCABULARIES: dict[str, Vocabulary] = {
    vocabulary.name: vocabulary
    for vocabulary in (
        POLICY_AREA,
        STATUS,
        DECISION_ROLE,
        TECHNIQUE,
        BUILT_BY,
        SUPPLIER_REGISTRY,
        RISK_LEVEL,
        EU_AI_ACT_CATEGORY,
        ANNEX_III_AREA,
        RIGHTS_SAFETY_EFFECT,
        RISK_CATEGORY,
        IMPACT_ASSESSMENT_KIND,
        OVERSIGHT_MODEL,
        ORGANISATION_TYPE,
        ROLE,
        YES_NO,
        WITHHELD_REASON,
    )
}
