"""A demo entry's answers for the EU AI Act database, coherent with its category and status.

Only a high-risk tool gets an area of Annex III, from those its use case lists; some
organisations that assessed a tool as limited or minimal risk also say it is not in Annex
III. The provider's entry and the registration number appear only where the EU database
would hold them: `register.schema.eu_act` decides that for the demo and the EU shape alike.
"""

from __future__ import annotations

import random
import zlib

from ..schema.eu_act import HIGH_RISK, PUBLIC_SECTION, database_section
from .use_cases import UseCase

NOT_LISTED_CHANCE = 0.2  # limited or minimal risk tools whose organisation says so
PROVIDER_ENTRY_CHANCE = 0.7  # registrable tools whose provider's entry is recorded
REGISTERED_CHANCE = 0.6  # tools in use, or once in use, that were registered and say so
IN_USE = ("in_use", "retired")
DATABASE = "https://ai-act-database.example"


def answers(
    rng: random.Random, case: UseCase, category: str | None, status: str, provider: str
) -> dict[str, str | None]:
    """The Annex III area, the provider's entry and the registration number of an entry.

    `provider` names who made the tool (its supplier, or the organisation itself): each
    provider's system has one entry in the database, whoever uses it.
    """
    area = None
    if category == HIGH_RISK:
        area = rng.choice(case.annex_iii)
    elif category in ("limited_risk", "minimal_risk") and rng.random() < NOT_LISTED_CHANCE:
        area = "not_listed"
    found = {"annex_iii_area": area, "eu_provider_entry_url": None, "eu_registration_number": None}
    section = database_section(category, area)
    if section is None:
        return found
    if section == PUBLIC_SECTION and rng.random() < PROVIDER_ENTRY_CHANCE:
        system = zlib.crc32(f"{provider} {case.key}".encode()) % 900_000 + 100_000
        found["eu_provider_entry_url"] = f"{DATABASE}/systems/{system}"
    if status in IN_USE and rng.random() < REGISTERED_CHANCE:
        found["eu_registration_number"] = f"EU-AIDB-D-{rng.randint(1, 99_999):07d}"
    return found
