"""Who has recorded what: every organisation the register knows of, with how many entries the
public can read from it and how many of those are overdue for review.

An organisation that has only drafts, or whose entries were all withdrawn, has recorded
nothing as far as the public can tell: the counts start from `published`'s rule. Every
organisation is counted in one grouped statement, however many there are, so the coverage
page and its JSON twin cost the same for ten organisations or ten thousand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from . import completeness, published
from .extensions import db
from .models import Entry, EntryVersion, Organisation
from .schema.vocabularies import ORGANISATION_TYPE


@dataclass(frozen=True)
class OrganisationCoverage:
    """One organisation and what the public can read from it."""

    slug: str
    name: str
    type: str
    identifier: str
    identifier_scheme: str
    entries: int
    overdue: int

    @property
    def type_label(self) -> str:
        return ORGANISATION_TYPE.label_for(self.type)


@dataclass(frozen=True)
class TypeCoverage:
    """How many organisations of one type there are, and how many have recorded anything."""

    code: str
    label: str
    organisations: int
    recorded: int
    overdue: int  # organisations with at least one entry overdue for review

    @property
    def recorded_nothing(self) -> int:
        return self.organisations - self.recorded


@dataclass(frozen=True)
class RecordCompleteness:
    """How complete one organisation's public record is."""

    entries: int
    overdue: int
    average_completeness: float | None  # 0 to 1; None with no entries


def _counts(today: date):
    """Per organisation with a public entry: how many, and how many are overdue."""
    return (
        select(
            EntryVersion.organisation_id,
            func.count().label("entries"),
            func.sum(case((published.overdue_condition(today), 1), else_=0)).label("overdue"),
        )
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .where(published.current())
        .group_by(EntryVersion.organisation_id)
        .subquery()
    )


def every_organisation(today: date) -> list[OrganisationCoverage]:
    """Every organisation on the register, by name, with its public entries and overdue
    reviews on `today` (0 and 0 for one that has recorded nothing)."""
    counts = _counts(today)
    rows = db.session.execute(
        select(
            Organisation.slug,
            Organisation.name,
            Organisation.type,
            Organisation.identifier,
            Organisation.identifier_scheme,
            func.coalesce(counts.c.entries, 0),
            func.coalesce(counts.c.overdue, 0),
        )
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .order_by(Organisation.name)
    )
    return [
        OrganisationCoverage(slug, name, kind, identifier or "", scheme or "", entries, overdue)
        for slug, name, kind, identifier, scheme, entries, overdue in rows
    ]


def by_type(organisations: Sequence[OrganisationCoverage]) -> list[TypeCoverage]:
    """The organisations counted by type, in the vocabulary's order; types with none left out."""
    found = []
    for choice in ORGANISATION_TYPE.choices:
        of_type = [o for o in organisations if o.type == choice.code]
        if of_type:
            found.append(
                TypeCoverage(
                    choice.code,
                    choice.label,
                    len(of_type),
                    sum(1 for o in of_type if o.entries),
                    sum(1 for o in of_type if o.overdue),
                )
            )
    return found


def of_organisation(organisation: Organisation, today: date) -> RecordCompleteness:
    """How complete `organisation`'s public record is on `today`, in one statement: its
    public entries, how many are overdue for review, and the average share of the required
    and recommended questions they answer (as /stats counts it for the whole register)."""
    answers = case(
        (
            EntryVersion.answered_layout == completeness.layout(),
            EntryVersion.answered,
        ),
        else_=completeness.answered(),
    )
    entries, overdue, answered = db.session.execute(
        select(
            func.count(),
            func.sum(case((published.overdue_condition(today), 1), else_=0)),
            func.sum(answers),
        )
        .select_from(EntryVersion)
        .join(Entry, Entry.id == EntryVersion.entry_id)
        .where(published.current(), EntryVersion.organisation_id == organisation.id)
    ).one()
    average = answered / (entries * completeness.questions()) if entries else None
    return RecordCompleteness(entries, overdue or 0, average)


def as_json(organisations: Sequence[OrganisationCoverage], today: date) -> dict:
    """The coverage as plain JSON values, for /coverage.json."""
    return {
        "as_of": today.isoformat(),
        "by_type": [
            {
                "type": kind.code,
                "organisations": kind.organisations,
                "recorded": kind.recorded,
                "recorded_nothing": kind.recorded_nothing,
                "with_overdue_reviews": kind.overdue,
            }
            for kind in by_type(organisations)
        ],
        "organisations": [
            {
                "slug": o.slug,
                "name": o.name,
                "type": o.type,
                "identifier": o.identifier or None,
                "identifier_scheme": o.identifier_scheme or None,
                "published_entries": o.entries,
                "overdue_reviews": o.overdue,
            }
            for o in organisations
        ],
    }
