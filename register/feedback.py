"""Feedback from the public on entries, and its moderation.

Anyone may say whether an entry was useful, or report a problem with it (what is wrong, and
an email address if they want a reply). Each item is kept against the entry and the
published version the person was reading. The organisation's publishers see the problems,
resolve them (optionally with a response that is then shown on the entry page) and
administrators hide abusive ones. A reporter's email address is never shown publicly, and
is cleared `FEEDBACK_EMAIL_RETENTION_DAYS` after the item was resolved or hidden.

Plain arguments in, plain results out, like `publishing`: no request objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import Select, and_, case, func, or_, select, update
from sqlalchemy.orm import selectinload

from . import published
from .audit import commit_or_roll_back, record_event
from .extensions import db
from .models import Entry, EntryVersion, Feedback, Membership, User
from .models.feedback import NOT_USEFUL, PROBLEM, USEFUL
from .permissions import can_review
from .publishing import InvalidValues, NotAllowed, WorkflowError

TEXT_LENGTH = 2000
RESPONSE_LENGTH = 2000
EMAIL_LENGTH = 254
# How many items a dashboard lists; older ones are still kept.
LISTED = 50


def _now() -> datetime:
    return datetime.now(UTC)


def _tidy(text: str | None) -> str:
    """Typed text without surrounding spaces, a line break counted once (as browsers do)."""
    return (text or "").replace("\r\n", "\n").strip()


def _check_version(entry: Entry, version: EntryVersion) -> None:
    """Feedback is about a published version of this very entry, which is still public."""
    if (
        version.entry_id != entry.id
        or not published.is_published_version(version)
        or not published.was_published(entry)
    ):
        raise WorkflowError("Feedback can only be given on a published version of the entry.")
    if published.is_withdrawn(entry):
        raise WorkflowError("This entry has been withdrawn.")


# Giving feedback -----------------------------------------------------------------------


def record_vote(entry: Entry, version: EntryVersion, useful: bool) -> Feedback:
    """Record one answer to "Was this entry useful?"."""
    _check_version(entry, version)
    item = Feedback(
        entry_id=entry.id,
        version_id=version.id,
        organisation_id=entry.organisation_id,
        kind=USEFUL if useful else NOT_USEFUL,
    )
    db.session.add(item)
    commit_or_roll_back()
    return item


def check_report(text: str | None, email: str | None) -> tuple[str, str | None, dict[str, str]]:
    """The report's text and email address tidied, and what is wrong with them by field."""
    text, email = _tidy(text), _tidy(email) or None
    # In the language of the page the form is on.
    problems: dict[str, str] = {}
    if not text:
        problems["text"] = gettext("Enter what is wrong with this entry")
    elif len(text) > TEXT_LENGTH:
        problems["text"] = gettext(
            "What is wrong must be %(count)s characters or fewer", count=TEXT_LENGTH
        )
    if email is not None:
        if len(email) > EMAIL_LENGTH:
            problems["email"] = gettext(
                "Email address must be %(count)s characters or fewer", count=EMAIL_LENGTH
            )
        else:
            try:
                validate_email(email, check_deliverability=False)
            except EmailNotValidError:
                problems["email"] = gettext(
                    "Enter an email address in the correct format, like name@example.org"
                )
    return text, email, problems


def report_problem(
    entry: Entry,
    version: EntryVersion,
    text: str | None,
    email: str | None = None,
    *,
    tell: Callable[[Feedback], None] | None = None,
) -> Feedback:
    """Record a problem someone found in `version`; `InvalidValues` (storing nothing) if the
    text is empty or too long, or the email address is not one. `tell(item)` queues the
    emails about it, in the same transaction."""
    _check_version(entry, version)
    text, email, problems = check_report(text, email)
    if problems:
        raise InvalidValues(problems)
    item = Feedback(
        entry_id=entry.id,
        version_id=version.id,
        organisation_id=entry.organisation_id,
        kind=PROBLEM,
        text=text,
        email=email,
    )
    db.session.add(item)
    if tell is not None:
        db.session.flush()  # the emails link to the item
        tell(item)
    commit_or_roll_back()
    return item


def publisher_addresses(organisation_id: int) -> list[str]:
    """The email addresses of the organisation's active publishers, who deal with feedback."""
    return [address for address, _language in publishers_to_email(organisation_id)]


def publishers_to_email(organisation_id: int) -> list[tuple[str, str]]:
    """The email address and language of each of the organisation's active publishers."""
    return [
        (address, language)
        for address, language in db.session.execute(
            select(User.email, User.language)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.organisation_id == organisation_id,
                Membership.role == "publisher",
                User.is_active.is_(True),
            )
            .order_by(User.email)
        )
    ]


def report_email(item: Feedback, title: str, link: str) -> tuple[str, str]:
    """The subject and paragraphs of the email telling publishers about a reported problem,
    in the language being written in. The reporter's address is left out: publishers see
    it on the feedback page."""
    entry, version = item.entry, item.version
    reply = (
        gettext("They left an email address for a reply; you will find it on the feedback page.")
        if item.email
        else gettext("They did not leave an email address.")
    )
    subject = gettext(
        "Problem reported with %(reference)s: %(title)s", reference=entry.reference, title=title
    )
    paragraphs = [
        gettext(
            "Someone reported a problem with “%(title)s” (%(reference)s), version %(number)s, "
            "on the public register. They wrote:",
            title=title,
            reference=entry.reference,
            number=version.number,
        ),
        item.text or "",
        reply,
        gettext(
            "Read it, and mark it resolved with a public response if you want one: %(link)s",
            link=link,
        ),
    ]
    return subject, "\n\n".join(paragraphs)


# Moderation -----------------------------------------------------------------------------


def resolve(item: Feedback, publisher: User, response: str | None = None) -> None:
    """Mark a reported problem resolved, with a response shown on the entry page if given."""
    if not can_review(publisher, item.entry):
        raise NotAllowed("Only a publisher of the organisation can resolve its feedback.")
    if item.kind != PROBLEM:
        raise WorkflowError("Only a reported problem can be resolved.")
    if item.resolved_at is not None or item.hidden_at is not None:
        raise WorkflowError("This feedback has already been dealt with.")
    response = _tidy(response)
    if len(response) > RESPONSE_LENGTH:
        raise InvalidValues(
            {"response": f"Your response must be {RESPONSE_LENGTH} characters or fewer"}
        )
    item.resolved_at = _now()
    item.resolved_by_id = publisher.id
    item.response = response or None
    record_event(
        "feedback_resolved",
        publisher,
        item.entry,
        detail=f"Feedback {item.id}" + (" with a public response" if response else ""),
    )
    commit_or_roll_back()


def hide(item: Feedback, administrator: User) -> None:
    """Hide abusive feedback: it leaves the dashboards, and its response the entry page."""
    if not administrator.is_admin:
        raise NotAllowed("Only a register administrator can hide feedback.")
    if item.hidden_at is not None:
        raise WorkflowError("This feedback is already hidden.")
    item.hidden_at = _now()
    item.hidden_by_id = administrator.id
    record_event("feedback_hidden", administrator, item.entry, detail=f"Feedback {item.id}")
    commit_or_roll_back()


def purge_emails(now: datetime, retention_days: int) -> int:
    """Clear the email address of every item resolved or hidden more than `retention_days`
    before `now`; how many were cleared."""
    cutoff = now - timedelta(days=retention_days)
    result = db.session.execute(
        update(Feedback)
        .where(
            Feedback.kind == PROBLEM,  # only reports carry an address; the index starts so
            Feedback.email.is_not(None),
            or_(Feedback.resolved_at < cutoff, Feedback.hidden_at < cutoff),
        )
        .values(email=None)
        .execution_options(synchronize_session=False)
    )
    commit_or_roll_back()
    return result.rowcount or 0


# Reading it -----------------------------------------------------------------------------


def _organisations_reviewed_by(user: User) -> list[int] | None:
    """The organisations whose feedback `user` deals with; None means every one (admins)."""
    if user.is_admin:
        return None
    return [m.organisation_id for m in user.memberships if m.role == "publisher"]


def _for(query: Select, user: User) -> Select:
    organisations = _organisations_reviewed_by(user)
    if organisations is None:
        return query
    return query.where(Feedback.organisation_id.in_(organisations))


def find(user: User, feedback_id: int) -> Feedback | None:
    """The feedback item, if `user` deals with its organisation's feedback; else None."""
    item = db.session.scalar(
        select(Feedback)
        .where(Feedback.id == feedback_id)
        .options(selectinload(Feedback.entry).selectinload(Entry.organisation))
    )
    if item is None or not can_review(user, item.entry):
        return None
    return item


def open_problems(user: User, limit: int = LISTED) -> tuple[int, list[Feedback]]:
    """How many reported problems of `user`'s organisations wait for a publisher, and the
    newest `limit` of them, each with its entry and version."""
    waiting = and_(
        Feedback.kind == PROBLEM, Feedback.resolved_at.is_(None), Feedback.hidden_at.is_(None)
    )
    total = db.session.scalar(_for(select(func.count()).select_from(Feedback), user).where(waiting))
    items = db.session.scalars(
        _for(select(Feedback), user)
        .where(waiting)
        .options(
            selectinload(Feedback.entry).selectinload(Entry.organisation),
            selectinload(Feedback.version),
        )
        .order_by(Feedback.received_at.desc(), Feedback.id.desc())
        .limit(limit)
    )
    return total or 0, list(items)


@dataclass(frozen=True)
class Usefulness:
    """How people answered "Was this entry useful?" about one entry."""

    entry: Entry
    useful: int
    not_useful: int


def usefulness(user: User, limit: int = LISTED) -> list[Usefulness]:
    """The answers about `user`'s organisations' entries, the most answered first."""
    useful = func.sum(case((Feedback.kind == USEFUL, 1), else_=0))
    not_useful = func.sum(case((Feedback.kind == NOT_USEFUL, 1), else_=0))
    rows = db.session.execute(
        _for(select(Feedback.entry_id, useful, not_useful), user)
        .where(Feedback.kind.in_((USEFUL, NOT_USEFUL)), Feedback.hidden_at.is_(None))
        .group_by(Feedback.entry_id)
        .order_by((useful + not_useful).desc(), Feedback.entry_id)
        .limit(limit)
    ).all()
    entries = _entries([entry_id for entry_id, _, _ in rows])
    return [Usefulness(entries[entry_id], yes, no) for entry_id, yes, no in rows]


def _entries(ids: Iterable[int]) -> dict[int, Entry]:
    found = db.session.scalars(
        select(Entry)
        .where(Entry.id.in_(list(ids)))
        .options(selectinload(Entry.versions), selectinload(Entry.organisation))
    )
    return {entry.id: entry for entry in found}


@dataclass(frozen=True)
class PublicResponse:
    """A publisher's response to a reported problem, as the entry page shows it."""

    response: str
    resolved_at: datetime
    version_number: int


def responses_changed_at(entry: Entry) -> datetime | None:
    """When the responses `public_responses` shows last changed: a response given, or one
    hidden by a moderator (which takes it off the page)."""
    given, hidden = db.session.execute(
        select(func.max(Feedback.resolved_at), func.max(Feedback.hidden_at)).where(
            Feedback.entry_id == entry.id
        )
    ).one()
    return max((moment for moment in (given, hidden) if moment is not None), default=None)


def public_responses(entry: Entry) -> list[PublicResponse]:
    """The responses to problems reported with `entry`, newest first (hidden ones left out).
    The reports themselves are not shown: they are unmoderated and may name people."""
    rows = db.session.execute(
        select(Feedback.response, Feedback.resolved_at, EntryVersion.number)
        .join(EntryVersion, EntryVersion.id == Feedback.version_id)
        .where(
            Feedback.entry_id == entry.id,
            Feedback.response.is_not(None),
            Feedback.resolved_at.is_not(None),
            Feedback.hidden_at.is_(None),
        )
        .order_by(Feedback.resolved_at.desc(), Feedback.id.desc())
    )
    return [PublicResponse(*row) for row in rows]
