"""What a kind of public body might use a tool for: the seed of every demo entry.

Each `UseCase` holds the words that make one kind of entry read true (what the tool handles,
what it produces, who is affected, which data it reads); `entries.py` combines them with an
organisation, a supplier, dates and the shared wording to make many different entries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UseCase:
    key: str
    kinds: tuple[str, ...]  # organisation kinds that use it (see organisations.KINDS)
    policy_area: str
    titles: tuple[str, ...]  # how organisations name the tool
    summary: str  # one or two plain sentences, well under the summary's limit
    purpose: str
    benefits: str
    subject: str  # what the tool handles, plural: "pothole reports"
    output: str  # what it produces for each: "a priority from 1 to 4"
    people: str  # who is affected
    staff: str  # who uses the output
    teams: tuple[str, ...]
    owners: tuple[str, ...]  # senior responsible owners, as role titles
    techniques: tuple[str, ...]  # always used
    sources: tuple[tuple[str, str, bool], ...]  # name, description, contains personal data
    legal_basis: str
    volume: tuple[int, int, str]  # low, high, unit: (800, 6000, "reports a month")
    supplier: str  # the supplier pool in wording.SUPPLIERS
    extra_techniques: tuple[str, ...] = ()  # sometimes used as well
    decisions: tuple[str, ...] = ("informs",)  # plausible roles in decisions, likeliest first
    personal: float = 1.0  # chance the tool uses personal data
    special: float = 0.0  # chance it also uses special category data
    risks: tuple[str, ...] = ("accuracy_reliability",)  # risk categories most relevant
    effects: tuple[str, ...] = ("rights",)  # plausible effects on rights or safety
    eu: tuple[str, ...] = ("not_assessed", "minimal_risk")  # plausible EU AI Act categories
    # The Annex III areas its use falls in when it is high-risk ("not_listed" for a high-risk
    # tool outside Annex III, such as a medical device); only for cases that can be high-risk.
    annex_iii: tuple[str, ...] = ()
    features: str = ""  # demographic features used, and why
