"""Keeping entries from going stale: review dates, "still accurate" reviews, and reminders.

Each public entry has a next review date, 12 months after publication unless its publishers
change it. A publisher who checks the entry and finds it still right records a review: the
date moves on 12 months and no new version is made. `send_reminders` (run daily by
`flask register send-reminders`) emails each organisation's publishers about entries due
for review within `REMINDER_WINDOW` and about overdue ones; each entry gets one reminder of
each kind per review date, however often it runs.

Plain arguments in, plain results out, like `publishing`: no request objects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _
from sqlalchemy import ColumnElement, case, literal, select
from sqlalchemy.orm import selectinload

from . import mail
from .audit import commit_or_roll_back, record_event
from .extensions import db
from .feedback import publishers_to_email
from .formatting import day
from .languages import in_page_language
from .models import Entry, Organisation, ReviewReminder, User
from .models.feedback import DUE_SOON, OVERDUE
from .permissions import can_review
from .published import is_public, is_public_entry
from .publishing import InvalidValues, NotAllowed, WorkflowError
from .search import bump_generation
from .versions import REVIEW_INTERVAL

REMINDER_WINDOW = timedelta(days=30)
# A later review date would let an entry go unreviewed for too long.
LONGEST_DELAY = timedelta(days=2 * 365)


def _commit_review_date() -> None:
    """Commit a change of review date. The listing filters on it and caches its counts by
    the search's generation, which the database moves on only when a version changes; a
    review date is not in a version, so the generation is moved on here, in the same
    transaction."""
    try:
        bump_generation()
    except Exception:
        db.session.rollback()
        raise
    commit_or_roll_back()


def confirm_still_accurate(entry: Entry, publisher: User, today: date) -> date:
    """Record that a publisher checked the public version and it is still right; the next
    review is due `REVIEW_INTERVAL` from `today`, which is returned."""
    if not can_review(publisher, entry):
        raise NotAllowed(_("Only a publisher of the organisation can review it."))
    if not is_public(entry):
        raise WorkflowError(_("Only an entry with a public version can be reviewed."))
    entry.last_reviewed_on = today
    entry.next_review_due = today + REVIEW_INTERVAL
    record_event(
        "reviewed",
        publisher,
        entry,
        from_state=entry.state,
        to_state=entry.state,
        detail=f"Still accurate. Next review due {day(entry.next_review_due, 'en')}.",
    )
    _commit_review_date()
    return entry.next_review_due


def change_review_date(entry: Entry, publisher: User, due: date, today: date) -> None:
    """Set the entry's next review date, which must be after `today` and not more than
    `LONGEST_DELAY` away."""
    if not can_review(publisher, entry):
        raise NotAllowed(_("Only a publisher of the organisation can change its review date."))
    if not is_public(entry):
        raise WorkflowError(_("Only an entry with a public version has a review date."))
    if due <= today:
        raise InvalidValues({"next_review_due": gettext("The review date must be in the future")})
    if due > today + LONGEST_DELAY:
        raise InvalidValues(
            {
                "next_review_due": gettext(
                    "The review date must be before %(date)s", date=day(today + LONGEST_DELAY)
                )
            }
        )
    before = entry.next_review_due
    entry.next_review_due = due
    record_event(
        "review_date_changed",
        publisher,
        entry,
        from_state=entry.state,
        to_state=entry.state,
        # Kept in the audit log, so in English whichever language the page was in.
        detail=f"{day(due, 'en')}" + (f" (was {day(before, 'en')})" if before else ""),
    )
    _commit_review_date()


# Reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One entry a reminder is about."""

    entry: Entry
    title: str
    due_on: date
    stage: str  # DUE_SOON or OVERDUE
    title_cy: str = ""  # its Welsh title, for a reminder written in Welsh


@dataclass
class ReminderReport:
    """What `send_reminders` did: entries reminded about, emails queued, and organisations
    whose reminders could not go (no publisher), to try again."""

    entries: int = 0
    emails: int = 0
    not_sent: list[str] = field(default_factory=list)


def due_for_reminders(today: date) -> dict[int, list[Due]]:
    """Public entries due for review within `REMINDER_WINDOW` of `today`, or overdue, whose
    reminder for this review date and stage has not been sent; by organisation id, the most
    overdue first."""
    already_sent = select(ReviewReminder.id).where(
        ReviewReminder.entry_id == Entry.id,
        ReviewReminder.due_on == Entry.next_review_due,
        ReviewReminder.stage == _stage_of(today),
    )
    entries = db.session.scalars(
        select(Entry)
        .where(
            Entry.next_review_due <= today + REMINDER_WINDOW,
            is_public_entry(),
            ~already_sent.exists(),
        )
        .options(selectinload(Entry.versions))
        .order_by(Entry.next_review_due, Entry.id)
    )
    by_organisation: dict[int, list[Due]] = defaultdict(list)
    for entry in entries:
        current = entry.current_version
        title = (current.title if current else None) or entry.reference
        stage = OVERDUE if entry.next_review_due < today else DUE_SOON
        by_organisation[entry.organisation_id].append(
            Due(entry, title, entry.next_review_due, stage, (current and current.title_cy) or "")
        )
    return dict(by_organisation)


def _stage_of(today: date) -> ColumnElement:
    """In SQL: the stage a reminder about the entry would be at on `today`."""
    return case((Entry.next_review_due < today, literal(OVERDUE)), else_=literal(DUE_SOON))


def reminder_email(
    organisation: Organisation, items: list[Due], link: Callable[[Entry], str]
) -> tuple[str, str]:
    """The subject and body (without sign-off) of one organisation's reminder, in the
    language being written in (`mail.send` chooses it)."""
    overdue = [item for item in items if item.stage == OVERDUE]
    soon = [item for item in items if item.stage == DUE_SOON]
    name, count = organisation.name, len(items)
    if overdue:
        subject = ngettext(
            "%(num)s entry of %(organisation)s to review, some overdue",
            "%(num)s entries of %(organisation)s to review, some overdue",
            count,
            organisation=name,
        )
    else:
        subject = ngettext(
            "%(num)s entry of %(organisation)s to review",
            "%(num)s entries of %(organisation)s to review",
            count,
            organisation=name,
        )
    paragraphs = [
        gettext(
            "These published entries of %(organisation)s need to be reviewed, so the public "
            "can trust they are still right. For each one, check the entry and either confirm "
            "it is still accurate or update it.",
            organisation=name,
        )
    ]
    headings = (gettext("Overdue for review:"), gettext("Due for review soon:"))
    for heading, group in zip(headings, (overdue, soon), strict=True):
        if group:
            lines = [
                "- "
                + gettext(
                    "%(reference)s %(title)s: due %(date)s",
                    reference=item.entry.reference,
                    title=in_page_language(item.title, item.title_cy),
                    date=day(item.due_on),
                )
                + f"\n  {link(item.entry)}"
                for item in group
            ]
            paragraphs.append(heading + "\n" + "\n".join(lines))
    return subject, "\n\n".join(paragraphs)


def _reminder(
    organisation: Organisation, items: list[Due], link: Callable[[Entry], str]
) -> tuple[str, str]:
    subject, body = reminder_email(organisation, items, link)
    return subject, mail.signed_off([body])


def send_reminders(today: date, link: Callable[[Entry], str]) -> ReminderReport:
    """Email each organisation's publishers about its entries due for review, and remember
    what was sent: the emails join the outbox in the same transaction as that record, so a
    reminder is neither lost nor sent twice. `link(entry)` is where a publisher reviews it."""
    report = ReminderReport()
    for organisation_id, items in due_for_reminders(today).items():
        organisation = db.session.get(Organisation, organisation_id)
        addresses = publishers_to_email(organisation_id)
        if not addresses:
            report.not_sent.append(f"{organisation.name}: it has no publisher")
            continue
        for address, language in addresses:
            # In the language of the page the publisher last signed in on, links too.
            mail.send(address, language, partial(_reminder, organisation, items, link))
        for item in items:
            db.session.add(
                ReviewReminder(
                    entry_id=item.entry.id,
                    due_on=item.due_on,
                    stage=item.stage,
                    recipients=len(addresses),
                )
            )
        commit_or_roll_back()
        report.entries += len(items)
        report.emails += len(addresses)
    return report
