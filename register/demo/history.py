"""When a demo entry was published and reviewed, and the earlier version some entries have."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from ..versions import FIRST_PUBLICATION_NOTE, REVIEW_INTERVAL
from .organisations import DemoOrganisation

REGISTER_YEARS = 4  # how far back the first publications go
HISTORY_CHANCE = 0.12  # entries that have an earlier version
OVERDUE_CHANCE = 0.2  # entries old enough to be overdue that are


@dataclass
class Version:
    """One published version's content."""

    record: dict[str, object]
    techniques: list[str]
    groups: dict[str, list[dict[str, object]]]
    published_at: datetime | None
    change_note: str
    # The supplier and product its answers name, by id (`suppliers.SupplierLinks`), found
    # before the version is written, as publishing one version links it.
    supplier_id: int | None = None
    product_id: int | None = None

    def values(self) -> set[tuple[str, str, object]]:
        """The values this version shows, as (group or "", field, value), to check coverage."""
        found = {("", "techniques", code) for code in self.techniques}
        found.update(("", name, value) for name, value in self.record.items())
        for name, rows in self.groups.items():
            found.update((name, key, value) for row in rows for key, value in row.items())
        return found


@dataclass
class Draft:
    """One demo entry: its versions, oldest first, and the dates the register keeps."""

    organisation: DemoOrganisation
    versions: list[Version]
    created_at: datetime
    last_reviewed_on: date
    next_review_due: date


def _moment(rng: random.Random, day: date) -> datetime:
    return datetime.combine(
        day, time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)), tzinfo=UTC
    )


def earlier_version(
    rng: random.Random,
    current: Version,
    change: str,
    domain: str,
    summary_for: Callable[[str], str],
) -> Version:
    """The version before `current`, as it was before `change` was made."""
    record = dict(current.record)
    groups = dict(current.groups)
    if change == "pilot_ended":
        record.update(status="pilot", in_use_from=None, summary=summary_for("pilot"))
    elif change == "retired":
        record.update(
            status="in_use",
            retired_on=None,
            retirement_reason=None,
            summary=summary_for("in_use"),
        )
        if record["eu_ai_act_category"] == "prohibited":
            record["eu_ai_act_category"] = "not_assessed"
    elif change == "risk_added":
        groups["risks"] = groups["risks"][:-1]
    elif change == "assessment_added":
        groups["impact_assessments"] = groups["impact_assessments"][:-1]
    elif change == "scale_updated":
        record["scale"] = f"We expect about {rng.randint(2, 9) * 100:,} cases a month."
    else:
        record["contact_email"] = f"enquiries@{domain}"
    return replace(current, record=record, groups=groups, change_note=FIRST_PUBLICATION_NOTE)


def publication_dates(
    rng: random.Random, today: date, started: date | None
) -> tuple[date, date | None, date, date]:
    """First publication, a later publication (or None), last review and next review due.

    Reviews fall due as publishing sets them; about one entry in five that is old enough is
    overdue.
    """
    earliest = today - timedelta(days=REGISTER_YEARS * 365)
    if started and started > earliest:
        earliest = started
    first = today - timedelta(days=rng.randint(1, max((today - earliest).days, 1)))
    later = None
    if (today - first).days > 60 and rng.random() < HISTORY_CHANCE:
        later = first + timedelta(days=rng.randint(30, (today - first).days - 1))
    last = later or first
    interval = REVIEW_INTERVAL.days
    since = (today - last).days
    if since > interval and rng.random() < OVERDUE_CHANCE:
        reviewed = last + timedelta(days=rng.randint(0, since - interval - 1))
    else:
        reviewed = today - timedelta(days=rng.randint(0, min(since, interval - 1)))
    return first, later, reviewed, reviewed + timedelta(days=interval)


def moments(
    rng: random.Random, first: date, later: date | None
) -> tuple[datetime, datetime, datetime | None]:
    """When the entry was created, first published and (if it was) published again."""
    first_at = _moment(rng, first)
    created = first_at - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600))
    return created, first_at, _moment(rng, later) if later else None


def change_for(
    rng: random.Random,
    current: Version,
    published: tuple[date, date],
    lifecycle: tuple[date | None, date | None],
) -> str:
    """A plausible change between an entry's first and second publication.

    A pilot ending or a retirement is only the change if it happened between the two.
    """
    first, later = published
    in_use_from, retired_on = lifecycle
    found = ["scale_updated", "contact_changed"]
    if in_use_from and first <= in_use_from <= later and not retired_on:
        found.append("pilot_ended")
    if retired_on and first <= retired_on <= later:
        found.append("retired")
    if current.groups["risks"]:
        found.append("risk_added")
    if current.groups["impact_assessments"]:
        found.append("assessment_added")
    return rng.choice(found)
