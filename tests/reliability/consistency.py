"""What must hold of a register's database whatever happened to the servers writing it.

`problems_in` reads every entry, version and audit line and lists every way they disagree:
a reference not made from the entry's id, version numbers with a gap, two working copies or
two current versions, a published version missing an answer it was published with, or an
audit log whose states do not follow on from each other or do not match the versions.
`engine_problems` asks the database engine itself whether its files and indexes are sound.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import selectinload

from register import publishing
from register.extensions import db
from register.models import AuditEvent, Entry, EntryVersion
from register.models.entry import PUBLISHED, WITHDRAWN, reference_for
from register.search.index import FTS_TABLE

VERSION_DETAIL = re.compile(r"Version (\d+)\b")


def problems_in(app: Flask) -> list[str]:
    """Every inconsistency between entries, their versions and the audit log."""
    with app.app_context():
        db.session.expire_all()
        entries = db.session.scalars(
            select(Entry)
            .order_by(Entry.id)
            .options(
                selectinload(Entry.versions).selectinload(EntryVersion.choices),
                selectinload(Entry.versions).selectinload(EntryVersion.risks),
                selectinload(Entry.versions).selectinload(EntryVersion.data_sources),
                selectinload(Entry.versions).selectinload(EntryVersion.impact_assessments),
            )
        ).all()
        events: dict[int, list[AuditEvent]] = defaultdict(list)
        for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            if event.entry_id is not None:
                events[event.entry_id].append(event)
        prefix = app.config["REGISTER_REFERENCE_PREFIX"]
        problems = []
        for entry in entries:
            problems += [
                f"{entry.reference}: {problem}"
                for problem in _entry_problems(entry, events[entry.id], prefix)
            ]
        db.session.remove()
        return problems


def _entry_problems(entry: Entry, events: list[AuditEvent], prefix: str) -> list[str]:
    problems = []
    if entry.reference != reference_for(entry.id, prefix):
        problems.append(f"the reference does not come from id {entry.id}")
    published = sorted(v.number for v in entry.versions if v.number is not None)
    if published != list(range(1, len(published) + 1)):
        problems.append(f"version numbers {published} are not 1 to {len(published)}")
    drafts = [v for v in entry.versions if v.number is None]
    if len(drafts) > 1:
        problems.append(f"{len(drafts)} working copies")
    if entry.state not in (PUBLISHED, WITHDRAWN) and not drafts:
        problems.append(f"state {entry.state} but no working copy")
    current = [v for v in entry.versions if v.is_current]
    should_be_public = bool(published) and entry.state != WITHDRAWN
    if len(current) != (1 if should_be_public else 0):
        problems.append(f"{len(current)} current versions in state {entry.state}")
    elif current and current[0].number != published[-1]:
        problems.append(f"version {current[0].number} is current, not the latest")
    for version in entry.versions:
        if version.number is None:
            continue
        if version.published_at is None or not version.change_note:
            problems.append(f"version {version.number} has no publication details")
        missing = publishing.problems_with(version)
        if missing:
            problems.append(f"version {version.number} lacks {[p.field for p in missing]}")
    return problems + _audit_problems(entry, events, published)


def _audit_problems(entry: Entry, events: list[AuditEvent], published: list[int]) -> list[str]:
    """The audit log tells the entry's story: each change of state starts from where the
    previous one left it and ends where the entry is, and every version is published once."""
    problems = []
    steps = [event for event in events if event.to_state is not None]
    if not steps or steps[0].action not in ("created", "imported"):
        problems.append("the audit log does not start with its creation")
    state = None
    for event in steps:
        if event.from_state is not None and event.from_state != state:
            problems.append(f"audit line {event.id} ({event.action}) is from {event.from_state}")
        state = event.to_state
    if state != entry.state:
        problems.append(f"the audit log ends in {state}, the entry is {entry.state}")
    numbered = Counter(
        int(found.group(1))
        for event in events
        if event.action == "published" and (found := VERSION_DETAIL.match(event.detail or ""))
    )
    retired = sum(event.action == "retired" for event in events)
    if sum(numbered.values()) + retired != len(published) or any(
        count > 1 for count in numbered.values()
    ):
        problems.append(
            f"the audit log publishes versions {sorted(numbered.elements())} and retires "
            f"{retired} times, for versions {published}"
        )
    return problems


def engine_problems(app: Flask) -> list[str]:
    """What the database engine finds wrong with its own files, keys and indexes."""
    with app.app_context():
        engine = db.engine
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                problems = [
                    row[0]
                    for row in connection.execute(text("PRAGMA integrity_check"))
                    if row[0] != "ok"
                ]
                problems += [
                    f"foreign key broken: {tuple(row)}"
                    for row in connection.execute(text("PRAGMA foreign_key_check"))
                ]
                # The full-text index must be sound too (it raises if not). It holds only
                # current versions, so it is not compared with the whole version table.
                check = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')"  # noqa: S608
                connection.execute(text(check))
                return problems
            return _postgres_index_problems(connection)


def _postgres_index_problems(connection) -> list[str]:
    """PostgreSQL keeps its own files sound; check every B-tree index against its table with
    amcheck where the server has it (the database is the test's own to add it to)."""
    available = connection.execute(
        text("SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'")
    ).first()
    if not available:
        return []
    connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
    indexes = connection.execute(
        text(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = 'public'"
        )
    ).all()
    problems = []
    for oid, name in indexes:
        try:
            with connection.begin_nested():
                connection.execute(text("SELECT bt_index_check(:oid, true)"), {"oid": oid})
        except DBAPIError as error:
            problems.append(f"index {name}: {error.orig}")
    connection.commit()
    return problems
