"""How many entries the register has, in all, by each filterable field and by source.

Counting every field at 100,000 entries takes a moment, so the counts are kept in memory
until the register changes (see `freshness`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from .. import published, schema
from ..extensions import db
from ..models import Entry, EntryVersion, Organisation, VersionChoice
from ..schema import Kind
from ..search import WRITTEN_HERE
from .freshness import register_freshness

_cache: dict[str, dict[str, Any]] = {}


def register_statistics() -> dict[str, Any]:
    """`entries`, `organisations` and `counts` (field -> code -> entries, and the source
    filter's values -> entries) of the register as the public sees it now."""
    etag = register_freshness("statistics").etag
    if etag not in _cache:
        counted = _count()
        _cache.clear()
        _cache[etag] = counted
    return _cache[etag]


def _count() -> dict[str, Any]:
    current = published.current()
    counts: dict[str, dict[str, int]] = {}
    for item in schema.all_fields():
        if not item.filter or item.kind is Kind.ORGANISATION:
            continue
        if item.kind is Kind.CHOICES:
            query = (
                select(VersionChoice.code, func.count())
                .join(EntryVersion, EntryVersion.id == VersionChoice.version_id)
                .where(current, VersionChoice.field == item.name)
                .group_by(VersionChoice.code)
            )
        else:
            column = getattr(EntryVersion, item.name)
            query = select(column, func.count()).where(current).group_by(column)
        by_code = {}
        for code, count in db.session.execute(query):
            if code is None:
                continue
            key = ("true" if code else "false") if item.kind is Kind.BOOLEAN else str(code)
            by_code[key] = count
        counts[item.name] = by_code
    counts["organisation_type"] = {
        code: count
        for code, count in db.session.execute(
            select(Organisation.type, func.count())
            .join(EntryVersion, EntryVersion.organisation_id == Organisation.id)
            .where(current)
            .group_by(Organisation.type)
        )
    }
    # The source filter's values: each source's name, and WRITTEN_HERE for the others.
    counts["source"] = {
        source or WRITTEN_HERE: count
        for source, count in db.session.execute(
            select(Entry.source, func.count())
            .join(EntryVersion, EntryVersion.entry_id == Entry.id)
            .where(current)
            .group_by(Entry.source)
        )
    }
    total = db.session.scalar(select(func.count()).select_from(EntryVersion).where(current))
    organisations_count = db.session.scalar(
        select(func.count(func.distinct(EntryVersion.organisation_id))).where(current)
    )
    return {"entries": total or 0, "organisations": organisations_count or 0, "counts": counts}
