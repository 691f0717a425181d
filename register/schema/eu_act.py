"""Where the EU AI Act has a deployer register a high-risk AI system's use: defined here, below
everything that needs it (the EU shape of `register.standards.eu`, and the demo data, whose
answers must agree with that shape).

A public body registers its use of a high-risk AI system of Annex III in the EU database
(Article 49(3)); for points 1, 6 and 7 in the database's secure non-public section (Article
49(4)); for point 2 at national level instead (Article 49(5)).
"""

from __future__ import annotations

from .vocabularies import ANNEX_III_AREA

HIGH_RISK = "high_risk"
SECURE_POINTS = frozenset({"1", "6", "7"})
NATIONAL_POINT = "2"
PUBLIC_SECTION, SECURE_SECTION = "public", "secure non-public section"


def annex_point(area: str | None) -> str | None:
    """The point of Annex III an area's code stands for; None for "not in Annex III" or no
    answer."""
    choice = next((c for c in ANNEX_III_AREA.choices if c.code == area), None)
    return choice.crosswalk.get("eu") if choice else None


def database_section(category: str | None, area: str | None) -> str | None:
    """The section of the EU database the use is registered in; None where it is not
    registered there (or the answers do not say)."""
    point = annex_point(area)
    if category != HIGH_RISK or point is None or point == NATIONAL_POINT:
        return None
    return SECURE_SECTION if point in SECURE_POINTS else PUBLIC_SECTION
