"""When the public register last changed, for ETag and Last-Modified on downloads.

The public register changes when a version is published (which includes retiring a tool) or
an entry is withdrawn, when an organisation is renamed (or its type or website changes), and
when an import records where entries came from (which the downloads' provenance columns
show). Each is cheap to find: the
latest publication is the top of an index, withdrawn entries are few and found by their
indexed state, and there are few organisations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from .. import feedback, published, schema
from ..extensions import db
from ..models import Entry, Organisation
from ..models.provenance import ImportBatch
from ..published import last_withdrawn_at
from ..search import REVIEW, generation
from .records import utc

# Bump when the shape of an export changes, so caches let go of the old one.
EXPORT_FORMAT = "1"
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Freshness:
    """The moment the public register last changed, and a validator for that state."""

    last_changed: datetime
    etag: str


def _changes() -> tuple[datetime | None, ...]:
    """The latest publication, withdrawal, import and change to an organisation."""
    # The latest import is asked in the same statement: one round trip for both.
    published, imported, renamed = db.session.execute(
        select(
            func.max(Entry.last_published_at),
            select(func.max(ImportBatch.imported_at)).scalar_subquery(),
            select(func.max(Organisation.changed_at)).scalar_subquery(),
        )
    ).one()
    return published, last_withdrawn_at(), imported, renamed


def _last_of(changes: tuple[datetime | None, ...]) -> datetime:
    moments = [utc(moment) for moment in changes if moment is not None]
    return max(moments, default=EPOCH).replace(microsecond=0)


def register_last_changed() -> datetime:
    """When the public register last changed: `register_freshness().last_changed`, without
    reading every organisation for the ETag (the API gives its answers an ETag of their own)."""
    return _last_of(_changes())


def register_freshness(*extra: str) -> Freshness:
    """The register's freshness; `extra` (such as a query string) is folded into the ETag."""
    changes = _changes()
    published, withdrawn, imported, _renamed = changes
    organisations = db.session.execute(
        select(
            Organisation.id,
            Organisation.name,
            Organisation.slug,
            Organisation.type,
            Organisation.website,
            Organisation.identifier,
            Organisation.identifier_scheme,
        ).order_by(Organisation.id)
    ).all()
    last_changed = _last_of(changes)
    digest = hashlib.sha256()
    for part in (
        EXPORT_FORMAT,
        str(schema.SCHEMA_VERSION),
        repr(utc(published)),
        repr(utc(withdrawn)),
        repr(utc(imported)),
        repr([tuple(row) for row in organisations]),
        *extra,
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return Freshness(last_changed=last_changed, etag=digest.hexdigest()[:32])


def search_freshness(parameters: Collection[str], *extra: str) -> Freshness:
    """The freshness of a search's download or feed, given its `parameters` (names).

    Filtered by review date (`review=overdue`), it also depends on what the above cannot see:
    review dates change without a new version, and which entries are overdue changes with the
    day. So the search's generation (moved on by a review) and the day go into the ETag, and
    as no moment of that change is kept, the download counts as changed now.
    """
    freshness = register_freshness(*extra)
    if REVIEW.name not in parameters:
        return freshness
    digest = hashlib.sha256(f"{freshness.etag}\x00{generation()}\x00{date.today()}".encode())
    now = datetime.now(UTC).replace(microsecond=0)
    return Freshness(last_changed=now, etag=digest.hexdigest()[:32])


def entry_last_changed(entry: Entry, today: date) -> datetime:
    """When anything the public pages of `entry` show last changed: a version published, the
    entry's own details (reviews and review dates, where it was imported from: `updated_at`
    moves with any change to the entry), its organisation's name, type or website, and a
    response to a reported problem. An overdue review is shown from the day after the date
    it was due, so the start of that day counts too."""
    moments = [
        entry.updated_at,
        entry.last_published_at,
        entry.organisation.changed_at,
        feedback.responses_changed_at(entry),
    ]
    if entry.next_review_due is not None and published.is_overdue(entry, today):
        moments.append(datetime.combine(entry.next_review_due + timedelta(days=1), time(), UTC))
    return max(utc(moment) for moment in moments if moment is not None).replace(microsecond=0)
