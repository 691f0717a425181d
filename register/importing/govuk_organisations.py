"""GOV.UK's organisations by slug, so that an import names an organisation properly.

GOV.UK's files name organisations by slug (`department-for-science-innovation-and-technology`);
people know them by name ("Department for Science, Innovation and Technology") and
abbreviation (DSIT). `govuk_organisations.csv` beside this module lists the slugs GOV.UK and
its algorithmic transparency records finder use, with names and abbreviations (its header
says where they come from). A slug not in the list is turned into a readable name, never
kept as the name of an organisation, and the caller says so to the person importing.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from .values import clean, squeeze

LIST = Path(__file__).with_name("govuk_organisations.csv")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Words that stay in lower case inside a name made from a slug.
_SMALL_WORDS = frozenset({"a", "and", "at", "by", "for", "in", "of", "on", "the", "to", "with"})


@dataclass(frozen=True)
class GovukOrganisation:
    slug: str
    name: str
    abbreviation: str = ""


@functools.cache
def _lists() -> tuple[dict[str, GovukOrganisation], dict[str, GovukOrganisation]]:
    """The organisations by slug, and by name and abbreviation (squeezed; an abbreviation
    two organisations share names neither)."""
    by_slug: dict[str, GovukOrganisation] = {}
    with LIST.open(encoding="utf-8", newline="") as lines:
        rows = csv.DictReader(line for line in lines if not line.startswith("#"))
        for row in rows:
            found = GovukOrganisation(row["slug"], row["name"], row["abbreviation"] or "")
            by_slug[found.slug] = found
    by_name: dict[str, GovukOrganisation] = {}
    shared: set[str] = set()
    for found in by_slug.values():
        by_name.setdefault(squeeze(found.name), found)
        if found.abbreviation:
            key = squeeze(found.abbreviation)
            if key in by_name and by_name[key].name != found.name:
                shared.add(key)
            by_name.setdefault(key, found)
    for key in shared:
        by_name.pop(key, None)
    return by_slug, by_name


def govuk_organisation(slug_or_name: str) -> GovukOrganisation | None:
    """The organisation a slug, name or abbreviation names in GOV.UK's list, if any."""
    text = clean(slug_or_name)
    if not text:
        return None
    by_slug, by_name = _lists()
    return by_slug.get(text.lower()) or by_name.get(squeeze(text))


def organisation_name_for(slug_or_name: str) -> tuple[str, bool]:
    """The proper name for an organisation a file gives by slug, name or abbreviation, and
    whether GOV.UK's list knows it. A slug the list does not know becomes a readable name
    ("newcastle-city-council" -> "Newcastle City Council"); a name it does not know is kept
    as written."""
    found = govuk_organisation(slug_or_name)
    if found is not None:
        return found.name, True
    text = " ".join(clean(slug_or_name).split())
    if is_slug(text):
        return name_from_slug(text), False
    return text, False


def is_slug(text: str) -> bool:
    """Whether `text` is written as a slug: lower-case words joined by hyphens."""
    return bool(_SLUG.fullmatch(text.strip())) and "-" in text


def name_from_slug(slug: str) -> str:
    """A readable name made from a slug: hyphens become spaces, and each word but the small
    ones ("of", "and") starts with a capital; short words without a vowel (nhs, hm) are
    initials, in capitals."""
    words = [word for word in slug.split("-") if word]
    named = []
    for position, word in enumerate(words):
        if position and word in _SMALL_WORDS:
            named.append(word)
        elif word == "uk" or (len(word) <= 4 and not set(word) & set("aeiouy")):
            named.append(word.upper())
        else:
            named.append(word[:1].upper() + word[1:])
    return " ".join(named)
