"""Checking every public link of the register (`flask register check-links`, run from cron).

Each link answered in a public entry's current version is checked, once per run however
many entries give it, and what was found is kept in `LinkCheck`: so the dashboard can mark
entries with a broken link, and each organisation's publishers get one email per run listing
the links newly broken, never told again of a breakage they have heard of. A link that
works again is forgotten as broken; a link no longer in a public version is forgotten.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import published, schema
from ..extensions import db
from ..mail import broken_links
from ..models import Entry, EntryVersion, LinkCheck
from ..schema import Kind
from . import fetch


@dataclass(frozen=True)
class Link:
    """One link of one entry's public version, and the question it answers."""

    entry_id: int
    version_id: int
    question: str
    url: str


@dataclass(frozen=True)
class Report:
    checked: int  # different addresses asked
    broken: int  # links broken now, reported or not
    newly_broken: int
    emails: int


@functools.cache
def url_questions() -> dict[str, str]:
    """Every question answered with a link, by its key (a field's name, or its group's and
    its own: "data_sources.link"), with its label as people read it."""
    questions = {f.name: f.label for f in schema.all_fields() if f.kind is Kind.URL}
    for group in schema.groups():
        questions |= {
            f"{group.name}.{f.name}": f"{group.label}: {f.label}"
            for f in group.fields
            if f.kind is Kind.URL
        }
    return questions


def described(row: LinkCheck) -> str:
    """A broken link as the dashboard lists it: its question, address and what was found."""
    return f"{url_questions()[row.question]}: {row.url} ({row.detail})"


def public_links() -> list[Link]:
    """Every link answered in the versions the public sees now, each once per question
    (two data sources of an entry may give the same link)."""
    rows = [selectinload(getattr(EntryVersion, group.name)) for group in schema.groups()]
    versions = db.session.scalars(published.current_versions().options(*rows))
    return list(dict.fromkeys(link for version in versions for link in links_of(version)))


def links_of(version: EntryVersion) -> list[Link]:
    """The links answered in `version`, its repeating rows' included."""
    found = []
    for question in url_questions():
        group_name, _, name = question.rpartition(".")
        answerers = getattr(version, group_name) if group_name else [version]
        found += [(question, url) for one in answerers if (url := getattr(one, name))]
    return [Link(version.entry_id, version.id, question, url) for question, url in found]


def check_links(now: datetime, check: fetch.Fetch = fetch.check) -> Report:
    """Check every public link with `check`, keep what was found as of `now`, queue the
    emails about new breakages, and commit."""
    links = public_links()
    outcomes = {url: check(url) for url in dict.fromkeys(link.url for link in links)}
    kept = {(c.entry_id, c.question, c.url): c for c in db.session.scalars(select(LinkCheck))}
    for link in links:
        outcome = outcomes[link.url]
        row = kept.pop((link.entry_id, link.question, link.url), None)
        if row is None:
            row = LinkCheck(entry_id=link.entry_id, question=link.question, url=link.url)
            db.session.add(row)
        _record(row, link.version_id, outcome, now)
    for gone in kept.values():
        db.session.delete(gone)
    db.session.flush()
    news = _new_breakages()
    emails = broken_links.queue_emails(
        {
            organisation_id: [_breakage(row) for row in rows]
            for organisation_id, rows in news.items()
        }
    )
    for row in (row for rows in news.values() for row in rows):
        row.reported_at = now
    db.session.commit()
    broken = sum(not outcomes[link.url].working for link in links)
    newly = sum(len(rows) for rows in news.values())
    return Report(len(outcomes), broken, newly, emails)


def _record(row: LinkCheck, version_id: int, outcome: fetch.Outcome, now: datetime) -> None:
    row.version_id = version_id
    row.working = outcome.working
    row.detail = outcome.detail
    row.checked_at = now
    if outcome.working:
        row.failing_since = row.reported_at = None
    elif row.failing_since is None:
        row.failing_since = now


def _new_breakages() -> dict[int, list[LinkCheck]]:
    """Broken links nobody has been told of, by the id of their entry's organisation."""
    rows = db.session.scalars(
        select(LinkCheck)
        .where(LinkCheck.working.is_(False), LinkCheck.reported_at.is_(None))
        .options(joinedload(LinkCheck.entry).joinedload(Entry.organisation))
        .order_by(LinkCheck.entry_id, LinkCheck.id)
    )
    found: dict[int, list[LinkCheck]] = defaultdict(list)
    for row in rows:
        found[row.entry.organisation_id].append(row)
    return found


def _breakage(row: LinkCheck) -> broken_links.Breakage:
    return broken_links.Breakage(
        row.entry.reference,
        row.entry.organisation.name,
        url_questions()[row.question],
        row.url,
        row.detail,
    )
