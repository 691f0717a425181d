"""How many entries the public can see were first published in each month, for the
register's statistics (`register/statistics.py`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Interval, Select, bindparam, func, literal_column, select
from sqlalchemy import column as sql_column

from .. import published
from ..extensions import db
from ..models import Entry


def first_published_per_month() -> dict[str, int]:
    """Entries the public can see, by the month they were first published: the first and
    last months found from the index of first publication, then each month between counted
    from it as a range of moments. Grouping every entry by its month took three to four
    times as long at 100,000 entries (every moment read, cut and grouped)."""
    public = published.public_entries()
    moment = Entry.first_published_at
    first = db.session.scalar(public.with_only_columns(moment).order_by(moment).limit(1))
    if first is None:
        return {}
    last = db.session.scalar(public.with_only_columns(moment).order_by(moment.desc()).limit(1))
    first, last = _in_utc(first), _in_utc(last)
    if db.engine.dialect.name == "postgresql":
        return _per_month_in_one_statement(public, first, last)
    # SQLite answers one statement asked again for each month in less time than it
    # compiles one that counts them all.
    in_month = public.with_only_columns(func.count()).where(
        moment >= bindparam("start", type_=moment.type),
        moment < bindparam("end", type_=moment.type),
    )
    connection = db.session.connection()
    found = {}
    for code, start, end in _months_between(first, last):
        if number := connection.scalar(in_month, {"start": start, "end": end}):
            found[code] = number
    return found


def _per_month_in_one_statement(public: Select, first: datetime, last: datetime) -> dict[str, int]:
    """`first_published_per_month` on PostgreSQL, where each statement costs a round trip:
    the months from `first`'s to `last`'s as a series (of UTC times), each counted by a
    subquery."""
    a_month = literal_column("interval '1 month'", Interval())
    series = (
        func.generate_series(
            datetime(first.year, first.month, 1), datetime(last.year, last.month, 1), a_month
        )
        .table_valued(sql_column("start", DateTime()))
        .render_derived()
    )
    start, moment = series.c.start, Entry.first_published_at
    number = (
        public.with_only_columns(func.count())
        .where(
            moment >= func.timezone("UTC", start), moment < func.timezone("UTC", start + a_month)
        )
        .scalar_subquery()
    )
    rows = db.session.execute(select(func.to_char(start, "YYYY-MM"), number).select_from(series))
    return {code: count for code, count in rows if count}


def _in_utc(moment: datetime) -> datetime:
    """A stored moment in UTC (SQLite gives them back without their zone, in UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _months_between(first: datetime, last: datetime) -> list[tuple[str, datetime, datetime]]:
    """("2025-03", its first moment, the next month's) for each month from `first`'s to
    `last`'s, in UTC."""
    found = []
    start = datetime(first.year, first.month, 1, tzinfo=UTC)
    while start <= last:
        end = datetime(start.year + start.month // 12, start.month % 12 + 1, 1, tzinfo=UTC)
        found.append((f"{start.year:04d}-{start.month:02d}", start, end))
        start = end
    return found
