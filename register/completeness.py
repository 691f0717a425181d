"""How many questions each version answers, as `validation.completeness` counts them, in SQL,
and that count kept on each current version for the register's average (/stats).

Counting every current version's answers on every new process reads every row of the
register and of the tables of its codes and repeating rows; instead each version keeps its
count in `entry_version.answered`, set when it is published (`versions.make_current`), and
the average adds those up from a narrow index of current versions.

A count is only as good as the questions it was counted against: when the record gains or
loses a question, or what answers one changes, every kept count is out of date. So each is
kept with `layout()`, a fingerprint of the conditions below, and a count kept against any
other layout is not used: `total_answered` counts those versions again, so the figures
never show a stale count, and keeps a few thousand of the new counts for the next time;
`flask register count-answers` keeps all of them, after a release that changes the questions.
"""

from __future__ import annotations

import functools
import hashlib

from sqlalchemy import Connection, and_, case, exists, func, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from . import published, schema
from .extensions import db
from .models import EntryVersion, VersionChoice, WithheldAnswer
from .models.entry import GROUP_MODELS
from .schema import Kind

_FIELDS = {item.name: item for item in schema.all_fields()}
VERSION = EntryVersion.__table__
BATCH_SIZE = 1000  # versions counted and kept in one transaction
# At most this many counts are kept while the statistics are taken (a few tenths of a second
# at most): after a change to the questions, `flask register count-answers` keeps the rest.
KEPT_PER_CALL = 2000


def _withheld(name: str) -> ColumnElement[bool]:
    """The condition on entry_version for the answer or repeating group `name` withheld."""
    return exists().where(
        WithheldAnswer.version_id == EntryVersion.id, WithheldAnswer.field == name
    )


def unanswered(item: schema.Field) -> ColumnElement[bool]:
    """The condition on entry_version for `item` left unanswered (a withheld answer counts
    as answered: its reason stands in for it)."""
    not_withheld = ~_withheld(item.name)
    if item.kind is Kind.CHOICES:
        blank = ~exists().where(
            VersionChoice.version_id == EntryVersion.id, VersionChoice.field == item.name
        )
    elif item.kind is Kind.BOOLEAN:
        blank = getattr(EntryVersion, item.name).is_(None)
    else:
        column = getattr(EntryVersion, item.name)
        blank = or_(column.is_(None), column == "")
    return and_(blank, not_withheld)


def has_code(name: str, codes: tuple[str, ...]) -> ColumnElement[bool]:
    """The condition on entry_version for field `name` holding one of `codes`."""
    if _FIELDS[name].kind is Kind.CHOICES:
        return exists().where(
            VersionChoice.version_id == EntryVersion.id,
            VersionChoice.field == name,
            VersionChoice.code.in_(codes),
        )
    return getattr(EntryVersion, name).in_(codes)


@functools.cache
def answered_conditions() -> tuple[ColumnElement[bool], ...]:
    """One condition on entry_version for each question `validation.completeness` counts,
    true when the version answers it; the questions are read from the record definition,
    which a process never changes, so they are built once (a few hundredths of a second)."""
    found: list[ColumnElement[bool]] = []
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, schema.Group):
                if item.recommended:
                    model = GROUP_MODELS[item.name]
                    # A withheld group has no rows; its reason stands in for them.
                    has_rows = exists().where(model.version_id == EntryVersion.id)
                    found.append(or_(has_rows, _withheld(item.name)))
            elif item.kind is Kind.ORGANISATION:
                continue
            elif item.required or item.recommended:
                # Answered once the questions the answer calls for are answered too.
                follow_ups = [
                    ~(has_code(*f.required_if) & unanswered(f))
                    for f in schema.all_fields()
                    if f.required_if and f.required_if[0] == item.name
                ]
                found.append(and_(~unanswered(item), *follow_ups))
    return tuple(found)


def questions() -> int:
    """How many questions the count is out of: the same for every version."""
    return len(answered_conditions())


def answered() -> ColumnElement[int]:
    """How many questions a version answers, as an expression on entry_version."""
    parts = [case((condition, 1), else_=0) for condition in answered_conditions()]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


@functools.cache
def layout() -> str:
    """A fingerprint of what the count counts: the conditions above, written out in full,
    which change with any question counted, its kind, or the questions it calls for."""
    written = str(answered().compile(compile_kwargs={"literal_binds": True}))
    return hashlib.sha256(written.encode()).hexdigest()[:16]


def _kept() -> ColumnElement[bool]:
    return EntryVersion.answered_layout == layout()


def _not_kept() -> ColumnElement[bool]:
    return or_(EntryVersion.answered_layout.is_(None), EntryVersion.answered_layout != layout())


def total_answered(session: Session, current: int | None = None) -> int:
    """The questions answered by every current version: the kept counts, and those of
    versions with none kept against today's questions counted again (and, up to
    `KEPT_PER_CALL` of them, kept for the next time). `current` is how many current
    versions there are, if the caller has counted them already."""
    kept, missing = _kept_totals(session, current)
    if missing:
        keep_missing(KEPT_PER_CALL)
        kept, missing = _kept_totals(session)
    if missing:
        # Left for later (too many, or another writer held the database): counted here.
        condition = and_(published.current(), _not_kept())
        kept += session.scalar(select(func.sum(answered())).where(condition)) or 0
    return kept


def _kept_totals(session: Session, current: int | None = None) -> tuple[int, int]:
    """(answers kept, current versions without a count kept against today's questions),
    read from the index of current versions' counts alone: those kept against today's
    questions are a range of it, the others every current version (`current`, counted
    here if not given) less those."""
    versions, total = session.execute(
        select(func.count(), func.sum(EntryVersion.answered)).where(published.current(), _kept())
    ).one()
    if current is None:
        current = session.scalar(
            select(func.count()).select_from(EntryVersion).where(published.current())
        )
    return total or 0, (current or 0) - versions


def keep_missing(limit: int | None = None) -> int:
    """Count and keep the answers of current versions without a count kept against today's
    questions (at most `limit` of them), a batch to a transaction; how many were kept. A
    batch that meets another writer (SQLite) is left for later."""
    missing = select(EntryVersion.id).where(published.current(), _not_kept())
    with db.engine.connect() as connection:
        ids = connection.scalars(missing.order_by(EntryVersion.id).limit(limit)).all()
    kept = 0
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        try:
            with db.engine.begin() as connection:
                count(connection, EntryVersion.id.in_(batch))
        except OperationalError:
            continue
        kept += len(batch)
    return kept


def count(connection: Connection, condition: ColumnElement[bool]) -> None:
    """Count and keep the answers of the versions meeting `condition`. The version is not
    changed by it, so its `updated_at` stays as it was."""
    connection.execute(
        update(VERSION)
        .where(condition)
        .values(
            answered=answered(),
            answered_layout=layout(),
            updated_at=VERSION.c.updated_at,
        )
    )
