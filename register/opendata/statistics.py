"""How many entries the register has, in all, by each filterable field and by source.

The counts are the listing's own: those of its filters for a search that narrows nothing
(`search.facets`), so the statistics, the API and the listing count the same way, and share
one cache, kept until the register changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .. import schema
from ..schema import Kind
from ..search import SOURCE, WRITTEN_HERE, OrganisationInfo, SearchQuery, directory
from ..search.facets import Counts, counts
from ..search.query import YES

ORGANISATION_TYPE = "organisation_type"


def register_statistics() -> dict[str, Any]:
    """`entries`, `organisations` and `counts` (field -> code -> entries, and the source
    filter's values -> entries) of the register as the public sees it now; codes no entry
    has are left out."""
    return statistics_of(everything(directory()))


def everything(organisations: Mapping[int, OrganisationInfo], today: date | None = None) -> Counts:
    """The listing's counts for a search that narrows nothing: every public entry
    (`organisations` is the register's organisations by id, see `search.directory`), with
    those overdue for review on `today` (by default, today)."""
    return counts(SearchQuery(today=today or date.today()), organisations)


def statistics_of(found: Counts) -> dict[str, Any]:
    """`register_statistics` from the listing's counts of every public entry."""
    by_filter: dict[str, dict[str, int]] = {}
    for item in schema.all_fields():
        if item.filter and item.kind is not Kind.ORGANISATION:
            by_filter[item.name] = _answered(found.by_filter[item.name], item.kind)
    by_filter[ORGANISATION_TYPE] = _answered(found.by_filter[ORGANISATION_TYPE])
    by_filter[SOURCE.name] = _answered(found.by_filter[SOURCE.name])
    organisations = sum(1 for number in found.by_filter["organisation"].values() if number)
    return {"entries": found.everything, "organisations": organisations, "counts": by_filter}


def _answered(by_code: Mapping[object, int], kind: Kind | None = None) -> dict[str, int]:
    """The codes some entry has, in the order of their names (entries written on the
    register first), with yes and no written as the API writes booleans."""
    if kind is Kind.BOOLEAN:
        named = {("true" if code == YES else "false"): n for code, n in by_code.items()}
    else:
        named = {str(code): n for code, n in by_code.items()}
    return {code: named[code] for code in sorted(named, key=_order) if named[code]}


def _order(code: str) -> tuple[bool, str]:
    return code != WRITTEN_HERE, code
