"""The register in numbers, for /stats and /stats.json: what the public can see now.

Published entries by each of the listing's main filters, by the source they were imported
from, how many were first published each month, the share that use personal data, how
complete they are on average, the organisations with most entries, and how many are overdue
for review.

The counts by filter, by source and by organisation are the listing's own (its filters'
counts for a search that narrows nothing, `search.facets`, which the API's counts come from
too), so every page counts the same way; the rest are a few statements more. All are kept
until the public register changes, or the day does (see `figures`), in the process and in
a file, so that neither a restart nor another worker counts them again.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from . import completeness, published, schema, search
from .completeness import has_code, unanswered
from .extensions import db
from .formatting import partial_date
from .models import EntryVersion, Organisation, WithheldAnswer
from .models.entry import GROUP_MODELS
from .opendata.built_files import BuiltFile, build_key
from .opendata.freshness import register_freshness
from .opendata.months import first_published_per_month
from .opendata.statistics import everything, statistics_of
from .schema import Kind
from .schema.texts import N_
from .schema.vocabularies import ORGANISATION_TYPE, WITHHELD_REASON
from .search.conditions import column

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
    # Answers current versions withhold: by reason (every reason, in the list's order), and
    # by organisation (code is the slug; most first).
    withheld_by_reason: tuple[Count, ...] = ()
    withheld_by_organisation: tuple[Count, ...] = ()

    @property
    def withheld(self) -> int:
        return sum(count.count for count in self.withheld_by_reason)

    @property
    def personal_data_share(self) -> float | None:
        yes = next(count.count for count in self.personal_data.counts if count.code == "yes")
        return yes / self.entries if self.entries else None


# Bump when what is kept (`_numbers`) changes shape, so that figures kept by an older
# release are not read.
KEPT_FORMAT = "2"
_kept: dict[tuple[str, ...], Figures] = {}
_lock = threading.Lock()


def figures(today: date, folder: Path | None = None) -> Figures:
    """The register's figures as the public sees it on `today`.

    They are worked out once for each state of the register and each day (which entries
    are overdue for review changes with the date alone), and kept in this process and, if
    `folder` is given, as a file there, so that a new process (a restart, another worker)
    reads them rather than counting again. What identifies the state is the register's
    freshness (the ETag of its downloads: publications, withdrawals, imports, organisations)
    and its search generation (which review dates move on too)."""
    freshness = register_freshness("register-statistics")
    key = (
        db.engine.url.render_as_string(hide_password=True),
        freshness.etag,
        str(search.generation()),
        today.isoformat(),
        completeness.layout(),
        KEPT_FORMAT,
    )
    with _lock:
        found = _kept.get(key)
    if found is not None:
        return found
    numbers = _read(folder, key) if folder else None
    if numbers is None:
        numbers = _numbers(today)
        if folder:
            _write(folder, key, numbers)
    found = _figures(numbers, freshness.last_changed, today)
    with _lock:
        _kept.clear()
        _kept[key] = found
    return found


def forget() -> None:
    """Forget the figures this process keeps, as a new process starts without them (for
    measurements and tests; a change to the register makes them unused anyway)."""
    with _lock:
        _kept.clear()


def _kept_file(folder: Path) -> BuiltFile:
    return BuiltFile(folder, "statistics", ".json")


def _read(folder: Path, key: tuple[str, ...]) -> dict[str, Any] | None:
    path = _kept_file(folder).find(build_key(*key))
    if path is None:
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # removed meanwhile by a newer build, or unreadable: counted again


def _write(folder: Path, key: tuple[str, ...], numbers: dict[str, Any]) -> None:
    body = json.dumps(numbers, sort_keys=True).encode("utf-8")
    try:
        for _chunk in _kept_file(folder).keeping(build_key(*key), [body]):
            pass
    except OSError:
        pass  # a folder that cannot be written costs the next process a count, no more


def _numbers(today: date) -> dict[str, Any]:
    """Every number the figures are made of, as plain JSON values (codes, no labels)."""
    organisations = search.directory()
    found = everything(organisations, today)
    counted = statistics_of(found)
    top = _top_organisations(found.by_filter["organisation"], organisations)
    return {
        **counted,
        "months": first_published_per_month(),
        "answered": (
            completeness.total_answered(db.session, counted["entries"]) if counted["entries"] else 0
        ),
        "top_organisations": [[count.code, count.label, count.count] for count in top],
        "overdue": found.by_filter[search.REVIEW.name][search.OVERDUE],
        **_withheld_numbers(),
    }


def _withheld_numbers() -> dict[str, Any]:
    """How many answers current versions withhold, by reason and by organisation."""
    current = WithheldAnswer.version_id == EntryVersion.id
    # From the withheld answers, each version looked up by its id: SQLite would otherwise
    # walk every current version to look for its withheld answers, which are few.
    is_current = published.current(column("is_current", unindexed=True))
    by_reason = db.session.execute(
        select(WithheldAnswer.reason, func.count())
        .join(EntryVersion, current)
        .where(is_current)
        .group_by(WithheldAnswer.reason)
    ).all()
    by_organisation = db.session.execute(
        select(Organisation.slug, Organisation.name, func.count())
        .select_from(WithheldAnswer)
        .join(EntryVersion, current)
        .join(Organisation, Organisation.id == EntryVersion.organisation_id)
        .where(is_current)
        .group_by(Organisation.slug, Organisation.name)
        .order_by(func.count().desc(), Organisation.name)
    ).all()
    return {
        "withheld_by_reason": {reason: count for reason, count in by_reason},
        "withheld_by_organisation": [list(row) for row in by_organisation],
    }


def _figures(numbers: dict[str, Any], last_changed: datetime, today: date) -> Figures:
    entries = numbers["entries"]
    by_field = numbers["counts"]
    breakdowns = tuple(_breakdown(name, by_field.get(name, {}), entries) for name in BREAKDOWNS)
    personal = by_field.get(PERSONAL_DATA, {})
    personal_data = Breakdown(
        PERSONAL_DATA,
        N_("Use of personal data"),
        (
            Count("yes", N_("Uses personal data"), personal.get("true", 0)),
            Count("no", N_("Does not use personal data"), personal.get("false", 0)),
        ),
        multiple=False,
    )
    questions = completeness.questions()
    return Figures(
        entries=entries,
        organisations=numbers["organisations"],
        breakdowns=breakdowns,
        personal_data=personal_data,
        per_month=_every_month(numbers["months"], today),
        average_completeness=numbers["answered"] / (entries * questions) if entries else None,
        top_organisations=tuple(Count(*top) for top in numbers["top_organisations"]),
        by_source=_by_source(by_field.get(search.SOURCE.name, {})),
        overdue_reviews=numbers["overdue"],
        last_changed=last_changed,
        today=today,
        withheld_by_reason=tuple(
            Count(c.code, c.label, numbers["withheld_by_reason"].get(c.code, 0))
            for c in WITHHELD_REASON.choices
        ),
        withheld_by_organisation=tuple(Count(*row) for row in numbers["withheld_by_organisation"]),
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
            counts.append(Count("", N_("Not answered"), not_answered))
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
        "withheld_answers": {
            "by_reason": {count.code: count.count for count in found.withheld_by_reason},
            "by_organisation": [
                {"organisation": count.code, "name": count.label, "answers": count.count}
                for count in found.withheld_by_organisation
            ],
        },
    }
