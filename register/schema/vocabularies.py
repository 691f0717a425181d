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
POLICY_AREA = _vocabulary(
    "policy_area",
    "Policy area",
    ("general_public_services", "General public services", "", {"cofog": "01"}),
    ("defence", "Defence", "", {"cofog": "02"}),
    ("public_order_safety", "Public order and safety", "", {"cofog": "03"}),
    ("economic_affairs", "Economic affairs", "", {"cofog": "04"}),
    ("environmental_protection", "Environmental protection", "", {"cofog": "05"}),
    ("housing_community", "Housing and community amenities", "", {"cofog": "06"}),
    ("health", "Health", "", {"cofog": "07"}),
    ("recreation_culture_religion", "Recreation, culture and religion", "", {"cofog": "08"}),
    ("education", "Education", "", {"cofog": "09"}),
    ("social_protection", "Social protection", "", {"cofog": "10"}),
)

STATUS = _vocabulary(
    "status",
    "Status",
    ("planned", "Planned", "", {"us": "Pre-deployment", "atrs": "Pre-deployment"}),
    ("in_development", "In development", "", {"us": "Pre-deployment", "atrs": "Development"}),
    ("pilot", "Pilot", "", {"us": "Pilot", "atrs": "Pilot"}),
    ("in_use", "In use", "", {"us": "Deployed", "atrs": "Production"}),
    ("retired", "Retired", "", {"us": "Retired", "atrs": "Retired"}),
)

DECISION_ROLE = _vocabulary(
    "decision_role",
    "Role in decisions",
    ("no_decisions", "Makes no decisions about people"),
    ("informs", "Informs a decision made by a person"),
    ("recommends", "Recommends, and a person decides"),
    ("decides_with_review", "Decides, and a person reviews the decision"),
    ("decides_automatically", "Decides automatically"),
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
    ("in_house", "In-house", "", {"us": "Developed in-house"}),
    ("external_supplier", "External supplier", "", {"us": "Purchased from a vendor"}),
    (
        "both",
        "In-house and an external supplier",
        "",
        {"us": "Developed with both contracting and in-house resources"},
    ),
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

RIGHTS_SAFETY_EFFECT = _vocabulary(
    "rights_safety_effect",
    "Effect on rights or safety",
    ("rights", "Rights", "", {"us": "Rights-impacting"}),
    ("safety", "Safety", "", {"us": "Safety-impacting"}),
    ("both", "Both rights and safety", "", {"us": "Both"}),
    ("neither", "Neither", "", {"us": "Neither"}),
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
    ("data_protection", "Data protection impact assessment"),
    ("equality", "Equality impact assessment"),
    ("fundamental_rights", "Fundamental rights impact assessment"),
    ("algorithmic", "Algorithmic impact assessment"),
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

VOCABULARIES: dict[str, Vocabulary] = {
    vocabulary.name: vocabulary
    for vocabulary in (
        POLICY_AREA,
        STATUS,
        DECISION_ROLE,
        TECHNIQUE,
        BUILT_BY,
        RISK_LEVEL,
        EU_AI_ACT_CATEGORY,
        RIGHTS_SAFETY_EFFECT,
        RISK_CATEGORY,
        IMPACT_ASSESSMENT_KIND,
        OVERSIGHT_MODEL,
        ORGANISATION_TYPE,
        ROLE,
        YES_NO,
    )
}
