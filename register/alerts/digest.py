"""Sending the alerts: for each subscription that is due, one email listing the entries
its search finds that were published, revised, retired or withdrawn since it was last told.

Changes are read from the register's change log (`register.opendata.changes`) up to
CHANGE_LOG_DELAY_SECONDS ago, as the API serves it, so a change committed a moment late is
never passed over. Each subscription keeps the moment it has been told up to (`told_until`);
its email and the new mark are committed together, so a run stopped half way, or run twice,
tells nobody twice. A subscription with nothing to tell gets no email, and its mark moves.

A search is matched against the entries as they are now; a withdrawn entry (no longer
searchable) is matched by its last published version against the search's filters, so a
search with words is not told of withdrawals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from .. import mail, published
from ..addresses import absolute_path, absolute_url
from ..extensions import db
from ..formatting import format_date
from ..models import AlertSubscription, Entry, EntryVersion
from ..models.alert import DAILY, WEEKLY
from ..models.columns import aware
from ..opendata import changes as change_log
from ..search import SearchQuery
from ..search.conditions import conditions
from .searches import FollowedSearch, followed
from .subscriptions import delete_unconfirmed, unsubscribe_link

PERIODS = {DAILY: timedelta(days=1), WEEKLY: timedelta(days=7)}
# A run from cron starts a little later or earlier each day; a subscription this close to
# due is treated as due, so a daily run never skips a day.
LEEWAY = timedelta(hours=1)
TOLD = (change_log.PUBLISHED, change_log.REVISED, change_log.RETIRED, change_log.WITHDRAWN)
KIND_WORDS = {
    change_log.PUBLISHED: "published",
    change_log.REVISED: "revised",
    change_log.RETIRED: "retired",
    change_log.WITHDRAWN: "withdrawn",
}
LOG_PAGE = 1000
CHUNK = 500
# The most changes one email lists; a longer list ends with a link to the search.
LISTED = 50


@dataclass
class AlertRun:
    """What one run did."""

    due: int = 0
    emails: int = 0
    quiet: int = 0
    deleted: int = 0


def send_alerts(now: datetime) -> AlertRun:
    """Email each confirmed subscription that is due what changed among its search's
    entries, through the outbox; delete what was never confirmed in time."""
    run = AlertRun(deleted=delete_unconfirmed(now))
    until = now - timedelta(seconds=current_app.config["CHANGE_LOG_DELAY_SECONDS"])
    due = list(
        db.session.scalars(
            select(AlertSubscription)
            .where(
                AlertSubscription.confirmed_at.is_not(None),
                or_(
                    *(
                        and_(
                            AlertSubscription.frequency == frequency,
                            AlertSubscription.told_until <= until - period + LEEWAY,
                        )
                        for frequency, period in PERIODS.items()
                    )
                ),
            )
            .order_by(AlertSubscription.id)
        )
    )
    run.due = len(due)
    if not due:
        return run
    log = _log(min(aware(row.told_until) for row in due), until)
    matches: dict[str, set[tuple[str, int]]] = {}
    for subscription in due:
        since = aware(subscription.told_until)
        search = followed(subscription.search)
        if search.params != subscription.search:
            # Part of the search no longer exists (an organisation gone, say): what is left
            # would find more than was asked for, so it finds nothing.
            matches[subscription.search] = set()
        elif search.params not in matches:
            matches[search.params] = _matching(search.query, log)
        wanted = matches[subscription.search]
        found = [
            change
            for change in log
            if change.at >= since and (change.kind, change.place.id) in wanted
        ]
        if found:
            subject, body = compose(search, found, since, unsubscribe_link(subscription))
            mail.queue(
                subscription.email,
                subject,
                body,
                headers={
                    "List-Unsubscribe": f"<{unsubscribe_link(subscription)}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
            run.emails += 1
        else:
            run.quiet += 1
        subscription.told_until = until
        db.session.commit()
    return run


def _log(since: datetime, until: datetime) -> list[change_log.Change]:
    """Every change to entries in the log at or after `since` and before `until`."""
    found: list[change_log.Change] = []
    after = None
    while True:
        page = change_log.changes(since, after, LOG_PAGE, until=until)
        found += [change for change in page.changes if change.kind in TOLD]
        if not page.more or not page.changes:
            return found
        after = page.changes[-1].place


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _matching(query: SearchQuery, log: Sequence[change_log.Change]) -> set[tuple[str, int]]:
    """The changes of `log` (by kind and place id) about entries `query` finds."""
    public = sorted({c.reference for c in log if c.kind != change_log.WITHDRAWN and c.reference})
    gone = sorted({c.reference for c in log if c.kind == change_log.WITHDRAWN and c.reference})
    found: set[str] = set()
    for chunk in _chunks(public):
        found |= set(
            db.session.scalars(
                select(Entry.reference)
                .join(EntryVersion, EntryVersion.entry_id == Entry.id)
                .where(*conditions(query), Entry.reference.in_(chunk))
            )
        )
    withdrawn: set[str] = set()
    if not query.text:
        # Its filters, but not `current` (the first condition): a withdrawn entry has no
        # current version, only its last published one.
        filters = conditions(replace(query, text=""))[1:]
        other = aliased(EntryVersion)
        last = (
            select(func.max(other.number))
            .where(other.entry_id == Entry.id)
            .correlate(Entry)
            .scalar_subquery()
        )
        for chunk in _chunks(gone):
            withdrawn |= set(
                db.session.scalars(
                    select(Entry.reference)
                    .join(EntryVersion, EntryVersion.entry_id == Entry.id)
                    .where(*filters, EntryVersion.number == last, Entry.reference.in_(chunk))
                )
            )
    return {
        (change.kind, change.place.id)
        for change in log
        if change.reference in (withdrawn if change.kind == change_log.WITHDRAWN else found)
    }


def _titles(references: set[str]) -> dict[str, str]:
    """The public title of each entry still public, by reference."""
    titles: dict[str, str] = {}
    for chunk in _chunks(sorted(references)):
        rows = db.session.execute(
            select(Entry.reference, EntryVersion.title)
            .join(EntryVersion, EntryVersion.entry_id == Entry.id)
            .where(published.current(), Entry.reference.in_(chunk))
        )
        titles.update({reference: title or "" for reference, title in rows})
    return titles


def _line(change: change_log.Change, titles: dict[str, str]) -> str:
    link = absolute_url("entry_pages.entry", reference=change.reference)
    if change.kind == change_log.WITHDRAWN:
        # A withdrawn entry's answers are no longer public: its reference and the reason only.
        return f"- {change.reference}: withdrawn. The reason: {change.note or ''}\n  {link}"
    title = titles.get(change.reference or "", "")
    version = f" (version {change.version})" if change.version else ""
    return f"- {change.reference} {title}: {KIND_WORDS[change.kind]}{version}\n  {link}"


def compose(
    search: FollowedSearch,
    found: Sequence[change_log.Change],
    since: datetime,
    unsubscribe: str,
) -> tuple[str, str]:
    """The subject and body of the alert listing `found`, changes since `since` among the
    entries `search` finds, with the link that unsubscribes."""
    titles = _titles({c.reference for c in found if c.reference})
    lines = [_line(change, titles) for change in found[:LISTED]]
    listing = absolute_path(
        url_for("listing.entries") + (f"?{search.params}" if search.params else "")
    )
    if len(found) > LISTED:
        lines.append(f"- and {len(found) - LISTED} more")
    count = len(found)
    paragraphs = [
        f"{count} change{'' if count == 1 else 's'} since {format_date(since, 'minute')} "
        "to entries in the register that match the search you follow:",
        "\n".join(f"- {label}: {value}" for label, value in search.summary),
        "\n".join(lines),
        "The entries this search finds now:\n" + listing,
        "To stop these emails, or to change how often you get them, go to:\n" + unsubscribe,
    ]
    subject = f"{count} change{'' if count == 1 else 's'} to entries you follow"
    return subject, mail.signed_off(paragraphs)
