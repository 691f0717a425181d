"""The registers a supplier's number is given by, and what a number in each looks like.

Each register has the code of its identifier scheme at org-id.guide (GB-COH, NL-KVK), so a
number can be written as an organisation identifier anywhere (`GB-COH-SC123456`). A number
is kept as its register writes it: upper case, without spaces, so the same company is
always found by the same number, whoever typed it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Registry:
    """One register of companies: its code, name, the shape of its numbers and where a
    number can be looked up (`{number}` in `link` is the number)."""

    code: str
    org_id: str
    label: str
    pattern: str
    invalid: str
    link: str = ""

    def matches(self, number: str) -> bool:
        return re.fullmatch(self.pattern, number) is not None

    def link_for(self, number: str) -> str:
        return self.link.format(number=number) if self.link else ""


COMPANIES_HOUSE = "gb_coh"
KVK = "nl_kvk"
OTHER = "other"

# A company number at Companies House has eight characters: eight digits (companies of
# England and Wales), two letters and six digits (SC Scotland, NI Northern Ireland, OC, SO
# and NC limited liability partnerships, FC overseas companies, and the other prefixes), or
# R0 and six digits (companies of Northern Ireland from before 1922). Numbers lose their
# leading zeros in spreadsheets; the register does not guess them back, since a number with
# a digit missing elsewhere would become another company's.
REGISTRIES: Mapping[str, Registry] = MappingProxyType(
    {
        COMPANIES_HOUSE: Registry(
            COMPANIES_HOUSE,
            "GB-COH",
            "Companies House (UK)",
            r"[0-9]{8}|[A-Z]{2}[0-9]{6}|R0[0-9]{6}",
            "Enter a Companies House number of 8 characters, like 01234567 or SC123456",
            "https://find-and-update.company-information.service.gov.uk/company/{number}",
        ),
        # The Dutch Chamber of Commerce (Kamer van Koophandel) gives eight digits. Its
        # register has no page per number to link to.
        KVK: Registry(
            KVK,
            "NL-KVK",
            "Chamber of Commerce (Netherlands, KVK)",
            r"[0-9]{8}",
            "Enter a KVK number of 8 digits, like 12345678",
        ),
    }
)

_SPACES = re.compile(r"\s+")


def normalised(scheme: str | None, number: str | None) -> str | None:
    """`number` as the register keeps it: for a known register, in capitals without
    spaces; any other number as it was written. None for no number."""
    if number is None or not number.strip():
        return None
    if scheme in REGISTRIES:
        return _SPACES.sub("", number).upper()
    return number.strip()


def problem(scheme: str | None, number: str | None) -> str | None:
    """What is wrong with `number` for the register `scheme`, in words for the form; None
    when it is right, or when the register is not one whose numbers the register knows."""
    registry = REGISTRIES.get(scheme or "")
    kept = normalised(scheme, number)
    if registry is None or kept is None:
        return None
    return None if registry.matches(kept) else registry.invalid


def link(scheme: str | None, number: str | None) -> str:
    """Where the number can be looked up at its register, or "" if nowhere known."""
    registry = REGISTRIES.get(scheme or "")
    kept = normalised(scheme, number)
    if registry is None or kept is None or not registry.matches(kept):
        return ""
    return registry.link_for(kept)
