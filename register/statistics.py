"""The register in numbers, for /stats and /stats.json: what the public can see now.

Published entries by each of the listing's main filters, by the source they were imported
from, how many were first published each month, the share that use personal data, how
complete they are on average, the organisations with most entries, and how many are overdue
for review.

The counts by filter, by source and by organisation are the listing's own (its filters'
counts for a search that narrows nothing, `search.facets`, which the API's counts come from
too), so every page counts the same way; the rest are a few statements more. All are kept
until the public register changes (`opendata.freshness`); only the overdue count, which
changes with the date, is taken on every call.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from . import completeness, published, schema, search
from .completeness import has_code, unanswered
from .extensions import db
from .formatting import partial_date
from .models import Entry, EntryVersion
from .models.entry import GROUP_MODELS
from .opendata.freshness import register_freshness
from .opendata.statistics import everything, statistics_of
from .schema import Kind
from .schema.vocabularies import ORGANISATION_TYPE

# The breakdowns shown, in order: field codes, which are also the listing's parameters.
BREAKDOWNS = (
    "status",
    "risk_level",
    "policy_area",
    "techniques",
    "decision_role",
    "organisation_type",
    "eu_ai_act_category",
)
PERSONAL_DATA = "uses_personal_data"
TOP_ORGANISATIONS = 10
_FIELDS = {item.name: item for item in schema.all_fields()}


@dataclass(frozen=True)
class Count:
    """How many entries have one code (`code` is "" for entries with no answer)."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    """Published entries by one field: `name` is the field's code and listing parameter."""

    name: str
    title: str
    counts: tuple[Count, ...]
    multiple: bool  # an entry may have several codes, so the counts add up to more

    @property
    def largest(self) -> Count | None:
        answered = [count for count in self.counts if count.code and count.count]
        return max(answered, key=lambda count: count.count, default=None)


@dataclass(frozen=True)
class Figures:
    entries: int
    organisations: int
    breakdowns: tuple[Breakdown, ...]
    personal_data: Breakdown
    per_month: tuple[Count, ...]  # code "2025-03"; every month from the first to today's
    average_completeness: float | None  # 0 to 1; None with no entries
    top_organisations: tuple[Count, ...]  # code is the organisation's slug
    # Code: the source's name, or `search.WRITTEN_HERE`; sources by name, written here last.
    by_source: tuple[Count, ...]
    overdue_reviews: int
    last_changed: datetime
    today: date

    @property
    def personal_data_share(self) -> float | None:
        yes = next(count.count for count in self.personal_data.counts if count.code == "yes")
        return yes / self.entries if self.entries else None


@dataclass(frozen=True)
class _Kept:
    """The figures that change only when the public register does."""

    breakdowns: tuple[Breakdown, ...]
    personal_data: Breakdown
    entries: int
    organisations: int
    months: dict[str, int]
    average_completeness: float | None
    top_organisations: tuple[Count, ...]
    by_source: tuple[Count, ...]


_kept: dict[tuple[str, str], _Kept] = {}
_lock = threading.Lock()


def figures(today: date) -> Figures:
    """The register's figures as the public sees it on `today`."""
    freshness = register_freshness("register-statistics")
    key = (db.engine.url.render_as_string(hide_password=True), freshness.etag)
    with _lock:
        kept = _kept.get(key)
    if kept is None:
        kept = _take()
        with _lock:
            _kept.clear()
            _kept[key] = kept
    overdue = db.session.scalar(
        select(func.count()).select_from(Entry).where(published.overdue_condition(today))
    )
    return Figures(
        entries=kept.entries,
        organisations=kept.organisations,
        breakdowns=kept.breakdowns,
        personal_data=kept.personal_data,
        per_month=_every_month(kept.months, today),
        average_completeness=kept.average_completeness,
        top_organisations=kept.top_organisations,
        by_source=kept.by_source,
        overdue_reviews=overdue or 0,
        last_changed=freshness.last_changed,
        today=today,
    )


def _take() -> _Kept:
    organisations = search.directory()
    found = everything(organisations)
    counted = statistics_of(found)
    entries = counted["entries"]
    breakdowns = tuple(
        _breakdown(name, counted["counts"].get(name, {}), entries) for name in BREAKDOWNS
    )
    personal = counted["counts"].get(PERSONAL_DATA, {})
    personal_data = Breakdown(
        PERSONAL_DATA,
        "Use of personal data",
        (
            Count("yes", "Uses personal data", personal.get("true", 0)),
            Count("no", "Does not use personal data", personal.get("false", 0)),
        ),
        multiple=False,
    )
    return _Kept(
        breakdowns=breakdowns,
        personal_data=personal_data,
        entries=entries,
        organisations=counted["organisations"],
        months=_first_published_per_month(),
        average_completeness=_average_completeness(entries) if entries else None,
        top_organisations=_top_organisations(found.by_filter["organisation"], organisations),
        by_source=_by_source(counted["counts"].get("source", {})),
    )


def _breakdown(name: str, by_code: dict[str, int], entries: int) -> Breakdown:
    if name == "organisation_type":
        vocabulary, title, multiple = ORGANISATION_TYPE, "Organisation type", False
    else:
        item = _FIELDS[name]
        assert item.vocabulary is not None, f"{name} has no codes to count"  # nosec B101
        vocabulary, title, multiple = item.vocabulary, item.label, item.is_multiple
    counts = [Count(c.code, c.label, by_code.get(c.code, 0)) for c in vocabulary.choices]
    if not multiple:
        not_answered = entries - sum(count.count for count in counts)
        if not_answered > 0:
            counts.append(Count("", "Not answered", not_answered))
    return Breakdown(name, title, tuple(counts), multiple)


def month_label(code: str) -> str:
    """ "2025-03" as people write it: March 2025."""
    return partial_date(code)


def _every_month(months: dict[str, int], today: date) -> tuple[Count, ...]:
    """Counts for every month from the first with a publication to `today`'s, gaps as 0."""
    if not months:
        return ()
    first = min(months)
    year, month = int(first[:4]), int(first[5:7])
    last = max(max(months), f"{today.year:04d}-{today.month:02d}")
    found = []
    while (code := f"{year:04d}-{month:02d}") <= last:
        found.append(Count(code, month_label(code), months.get(code, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(found)


def _month_of(moment: Any) -> ColumnElement:
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", moment), "YYYY-MM")
    return func.strftime("%Y-%m", moment)


def _first_published_per_month() -> dict[str, int]:
    """Entries the public can see, by the month they were first published."""
    month = _month_of(Entry.first_published_at)
    rows = db.session.execute(
        published.public_entries().with_only_columns(month, func.count()).group_by(month)
    )
    return {code: count for code, count in rows if code}


def _top_organisations(
    per_organisation: Mapping[object, int], organisations: Mapping[int, search.OrganisationInfo]
) -> tuple[Count, ...]:
    """The organisations with most published entries, by name where they have as many."""
    ranked = sorted(
        ((organisations[key], number) for key, number in per_organisation.items() if number),
        key=lambda pair: (-pair[1], pair[0].name),
    )
    return tuple(
        Count(found.slug, found.name, number) for found, number in ranked[:TOP_ORGANISATIONS]
    )


def _by_source(by_code: dict[str, int]) -> tuple[Count, ...]:
    """Published entries by the source they were imported from (the listing's source filter's
    values), those written on the register last."""
    counts = [Count(code, search.source_label(code), n) for code, n in by_code.items()]
    return tuple(
        sorted(
            counts, key=lambda count: (count.code == search.WRITTEN_HERE, count.label.casefold())
        )
    )


# What is required to publish, in SQL (the worklist of gaps) -----------------------------


def required_unanswered() -> list[ColumnElement[bool]]:
    """One condition on entry_version per question required to publish, true when the
    version leaves it unanswered, as `validation.problems_before_publishing` counts them:
    required fields, fields required by another's answer, and required parts of rows."""
    found: list[ColumnElement[bool]] = []
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, schema.Group):
                model = GROUP_MODELS[item.name]
                blank_parts = [
                    or_(getattr(model, f.name).is_(None), getattr(model, f.name) == "")
                    for f in item.fields
                    if f.required
                ]
                if blank_parts:
                    found.append(
                        exists().where(model.version_id == EntryVersion.id, or_(*blank_parts))
                    )
            elif item.kind is Kind.ORGANISATION:
                continue
            elif item.required:
                found.append(unanswered(item))
            elif item.required_if:
                found.append(has_code(*item.required_if) & unanswered(item))
    return found


def _average_completeness(entries: int) -> float:
    """The average share of questions answered by a current version (of `entries`): every
    version is asked the same questions, so the answers of all over the questions asked of
    all, from the counts each version keeps (`completeness`)."""
    answers = completeness.total_answered(db.session)
    return answers / (entries * completeness.questions())


# /stats.json ----------------------------------------------------------------------------


def as_json(found: Figures) -> dict[str, Any]:
    """The figures as plain JSON values, keyed by field codes and codes."""
    return {
        "as_of": found.today.isoformat(),
        "last_changed": found.last_changed.isoformat(),
        "entries": found.entries,
        "organisations": found.organisations,
        "by": {
            breakdown.name: {
                count.code or "not_answered": count.count for count in breakdown.counts
            }
            for breakdown in (*found.breakdowns, found.personal_data)
        },
        "personal_data_share": found.personal_data_share,
        "published_per_month": {count.code: count.count for count in found.per_month},
        "average_completeness": found.average_completeness,
        "top_organisations": [
            {"organisation": count.code, "name": count.label, "entries": count.count}
            for count in found.top_organisations
        ],
        "by_source": [
            {
                "source": None if count.code == search.WRITTEN_HERE else count.code,
                "name": count.label,
                "entries": count.count,
            }
            for count in found.by_source
        ],
        "overdue_reviews": found.overdue_reviews,
    }
