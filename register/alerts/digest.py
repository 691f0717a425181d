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
from functools import partial

from flask import current_app, url_for
from flask_babel import gettext, ngettext
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from .. import mail, published
from ..addresses import absolute_path, absolute_url
from ..extensions import db
from ..formatting import N_, format_date
from ..languages import in_page_language
from ..models import AlertSubscription, Entry, EntryVersion
from ..models.alert import DAILY, WEEKLY
from ..models.columns import aware
from ..opendata import changes as change_log
from ..search import SearchQuery
from ..search.conditions import conditions
from .searches import FollowedSearch, followed
from .subscriptions import delete_unconfirmed, summary_lines, unsubscribe_link

PERIODS = {DAILY: timedelta(days=1), WEEKLY: timedelta(days=7)}
# A run from cron starts a little later or earlier each day; a subscription this close to
# due is treated as due, so a daily run never skips a day.
LEEWAY = timedelta(hours=1)
TOLD = (change_log.PUBLISHED, change_log.REVISED, change_log.RETIRED, change_log.WITHDRAWN)
# Each kind of change as an alert names it (translated as the email is written).
KIND_WORDS = {
    change_log.PUBLISHED: N_("published"),
    change_log.REVISED: N_("revised"),
    change_log.RETIRED: N_("retired"),
    change_log.WITHDRAWN: N_("withdrawn"),
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
            mail.send(
                subscription.email,
                subscription.language,
                # Written in the subscriber's language, the links in the body too.
                partial(_alert_for, subscription, search, found, since),
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
    """The public title of each entry still public, by reference, in the language the alert
    is written in where the entry gives it in that language."""
    titles: dict[str, str] = {}
    for chunk in _chunks(sorted(references)):
        rows = db.session.execute(
            select(Entry.reference, EntryVersion.title, EntryVersion.title_cy)
            .join(EntryVersion, EntryVersion.entry_id == Entry.id)
            .where(published.current(), Entry.reference.in_(chunk))
        )
        titles.update(
            {reference: in_page_language(title, title_cy) for reference, title, title_cy in rows}
        )
    return titles


def _line(change: change_log.Change, titles: dict[str, str]) -> str:
    link = absolute_url("entry_pages.entry", reference=change.reference)
    if change.kind == change_log.WITHDRAWN:
        # A withdrawn entry's answers are no longer public: its reference and the reason only.
        said = gettext(
            "%(reference)s: withdrawn. The reason: %(reason)s",
            reference=change.reference,
            reason=change.note or "",
        )
        return f"- {said}\n  {link}"
    title = titles.get(change.reference or "", "")
    what = gettext(KIND_WORDS[change.kind])
    if change.version:
        what = gettext("%(change)s (version %(number)s)", change=what, number=change.version)
    return f"- {change.reference} {title}: {what}\n  {link}"


def _alert_for(
    subscription: AlertSubscription,
    search: FollowedSearch,
    found: Sequence[change_log.Change],
    since: datetime,
) -> tuple[str, str]:
    return compose(search, found, since, unsubscribe_link(subscription))


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
        lines.append("- " + gettext("and %(count)s more", count=len(found) - LISTED))
    count = len(found)
    paragraphs = [
        ngettext(
            "%(num)s change since %(since)s to entries in the register that match the search "
            "you follow:",
            "%(num)s changes since %(since)s to entries in the register that match the "
            "search you follow:",
            count,
            since=format_date(since, "minute"),
        ),
        summary_lines(search),
        "\n".join(lines),
        gettext("The entries this search finds now:") + "\n" + listing,
        gettext("To stop these emails, or to change how often you get them, go to:")
        + "\n"
        + unsubscribe,
    ]
    subject = ngettext(
        "%(num)s change to entries you follow", "%(num)s changes to entries you follow", count
    )
    return subject, mail.signed_off(paragraphs)
