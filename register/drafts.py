"""Starting an entry, copying one, and deleting a draft that was never published.

An entry is created when its first answer (the title) is saved, so opening the page makes
nothing, and a second press of the same button finds the entry the first press made instead
of making another (`start_entry`). A copy starts a new draft from an entry's descriptive
answers; what belongs to the organisation that wrote it is left behind (`NOT_COPIED`). A draft
that was never public can be deleted outright; its reference is never handed out again.

Plain arguments in, plain results out, like `publishing`: no request objects.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _
from sqlalchemy import func, or_, select, true, update
from sqlalchemy.orm import selectinload

from . import schema
from .audit import commit_or_roll_back, record_event
from .extensions import db
from .formatting import N_
from .models import Entry, EntryVersion, Organisation, User
from .models.entry import DRAFT, IN_REVIEW, WITHDRAWN
from .permissions import can_create_in, can_edit
from .published import current, is_public, is_public_entry
from .publishing import InvalidValues, NotAllowed, WorkflowError, create_entry, lock_entries
from .schema.texts import shown
from .validation import check_values
from .versions import rows_of, values_of

# Two presses of one button come within this; a person means a second entry after longer.
SAME_PRESS = timedelta(seconds=30)
MOST_FOUND = 20

# The Welsh title, which a copy leaves (see `copy_entry`).
_WELSH_TITLE = next(f.welsh_name for f in schema.all_fields() if f.name == "title")
# Answers that belong to the organisation that wrote the entry, not to the tool: a copy
# leaves them for its own organisation to give.
NOT_COPIED = (
    "organisation",
    "team",
    "status",
    "started_on",
    "in_use_from",
    "retired_on",
    "retirement_reason",
    "contact_email",
    "postal_address",
    "web_page",
    "senior_responsible_owner",
    "eu_registration_number",
)
# Answers of repeating rows a copy leaves out: the copied rows keep the rest.
NOT_COPIED_IN_ROWS: Mapping[str, tuple[str, ...]] = {"impact_assessments": ("date",)}
# How `what_is_not_copied` names them (marked here for the catalogue; the page translates).
N_("Impact assessment dates")
# What an entry has besides its answers, none of which a copy takes.
NOT_COPIED_RECORDS = (
    N_("Its reviews and review dates"),
    N_("Its history: earlier versions, change notes and who did what"),
    N_("Where it was imported from"),
    N_("Feedback from the public"),
)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _title_problem(title: str) -> dict[str, str]:
    if not (title or "").strip():
        return {"title": N_("Enter the tool’s title")}
    return check_values([f for f in schema.all_fields() if f.name == "title"], {"title": title})


# Starting an entry -------------------------------------------------------------------------


def _one_at_a_time(person: User) -> None:
    """Take the person's row for this transaction, so that two of their presses run one
    after the other and the second sees what the first created. The UPDATE changes nothing
    (and no key, so rows that refer to the person are not held up)."""
    db.session.execute(
        update(User).where(User.id == person.id).values(name=User.name),
        execution_options={"synchronize_session": False},
    )


def _just_started(person: User, organisation: Organisation, title: str) -> Entry | None:
    """The draft `person` created a moment ago in `organisation` with this title, if any."""
    since = datetime.now(UTC) - SAME_PRESS
    return db.session.scalar(
        select(Entry)
        .join(EntryVersion, EntryVersion.entry_id == Entry.id)
        .where(
            Entry.created_by_id == person.id,
            Entry.organisation_id == organisation.id,
            Entry.state == DRAFT,
            Entry.created_at >= since,
            EntryVersion.number.is_(None),
            EntryVersion.title == title,
        )
        .order_by(Entry.id.desc())
        .limit(1)
    )


def _start(
    organisation: Organisation,
    person: User,
    values: Mapping[str, Any],
    rows: Mapping[str, list[Mapping[str, Any]]] | None = None,
    through: str | None = None,
) -> Entry:
    _require(
        can_create_in(person, organisation),
        _("You can only create entries for organisations you belong to."),
    )
    problems = _title_problem(values.get("title", ""))
    if problems:
        raise InvalidValues(problems)
    try:
        _one_at_a_time(person)
        pressed_before = _just_started(person, organisation, values["title"])
    except Exception:
        db.session.rollback()
        raise
    if pressed_before is not None:
        db.session.rollback()
        return pressed_before
    # create_entry commits, and so lets the next press go on.
    return create_entry(organisation, person, values, rows=rows, through=through)


def start_entry(organisation: Organisation, person: User, title: str) -> Entry:
    """Create a draft entry of `organisation` with its title, its first answer; a second
    press of the same button (same person, organisation and title, moments later) returns
    the entry the first press created instead of another."""
    return _start(organisation, person, {"title": (title or "").strip()})


# Copying an entry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CopiedSection:
    """What a copy takes of one section of the record: the questions' labels."""

    title: str
    answers: list[str]


def what_is_copied() -> list[CopiedSection]:
    """The answers a copy takes, by section, as the copy page lists them (in its language)."""
    listed = []
    for section in schema.SECTIONS:
        # An answer's Welsh version goes with it, so it is not listed again.
        answers = [
            shown(f.label) for f in section.fields if f.name not in NOT_COPIED and not f.welsh_of
        ]
        for group in section.groups:
            left_out = [
                shown(f.label).lower()
                for f in group.fields
                if f.name in NOT_COPIED_IN_ROWS.get(group.name, ()) and not f.welsh_of
            ]
            answers.append(
                gettext(
                    "%(answers)s (without their %(left_out)s)",
                    answers=shown(group.label),
                    left_out=", ".join(left_out),
                )
                if left_out
                else shown(group.label)
            )
        if answers:
            listed.append(CopiedSection(shown(section.title), answers))
    return listed


def what_is_not_copied() -> list[str]:
    """What a copy leaves behind, as the copy page lists it (in its language)."""
    fields = {f.name: f for f in schema.all_fields()}
    in_rows = [
        f"{group.item_label.capitalize()} {f.label.lower()}s"
        for group in schema.groups()
        for f in group.fields
        if f.name in NOT_COPIED_IN_ROWS.get(group.name, ())
    ]
    left = [*(fields[name].label for name in NOT_COPIED), *in_rows, *NOT_COPIED_RECORDS]
    return [shown(text) for text in left]


def copied_answers(
    version: EntryVersion,
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The answers and repeating rows a copy of `version` starts with."""
    values = {
        k: v for k, v in values_of(version).items() if schema.english_name(k) not in NOT_COPIED
    }
    rows = {
        group_name: [
            {
                k: v
                for k, v in row.items()
                if schema.english_name(k) not in NOT_COPIED_IN_ROWS.get(group_name, ())
            }
            for row in group_rows
        ]
        for group_name, group_rows in rows_of(version).items()
    }
    return values, rows


def copy_source(person: User, reference: str) -> EntryVersion | None:
    """The version a copy of the entry `reference` starts from, if `person` may copy it:
    what one of their organisations' entries says now (its working copy, else its public
    version), or the public version of any other public entry. None otherwise."""
    entry = db.session.scalar(
        select(Entry)
        .where(func.upper(Entry.reference) == (reference or "").strip().upper())
        .options(selectinload(Entry.versions), selectinload(Entry.organisation))
    )
    if entry is None or entry.state == WITHDRAWN:
        return None
    if can_edit(person, entry):
        return entry.draft or entry.current_version
    return entry.current_version if is_public(entry) else None


def copy_entry(source: EntryVersion, organisation: Organisation, person: User, title: str) -> Entry:
    """A new draft entry of `organisation` starting from `source`'s descriptive answers
    (see `copied_answers`), called `title`; the copied answers count as changed by `person`.
    A second press of the same button returns the copy the first press made."""
    values, rows = copied_answers(source)
    values["title"] = (title or "").strip()
    # The Welsh title named the tool copied, not the copy: it is left to be given anew.
    values.pop(_WELSH_TITLE, None)
    return _start(
        organisation, person, values, rows, through=f"Copied from {source.entry.reference}"
    )


@dataclass(frozen=True)
class Found:
    """An entry a person may copy, as the search for one lists it."""

    reference: str
    title: str
    organisation: str
    own: bool  # one of the person's organisations' entries


def entries_to_copy(person: User, words: str) -> list[Found]:
    """Entries `person` may copy whose reference is `words` or whose title has them: their
    organisations' (as they are now: the working copy, else the public version) and other
    organisations' public ones; by title."""
    words = (words or "").strip()
    if not words:
        return []
    mine = (
        true()
        if person.is_admin
        else Entry.organisation_id.in_([m.organisation_id for m in person.memberships])
    )
    own_now = mine & (Entry.state != WITHDRAWN) & (EntryVersion.number.is_(None) | current())
    public_now = ~mine & is_public_entry() & current()
    rows = db.session.execute(
        select(Entry.reference, EntryVersion.title, EntryVersion.number, Organisation.name, mine)
        .join(EntryVersion, EntryVersion.entry_id == Entry.id)
        .join(Organisation, Organisation.id == Entry.organisation_id)
        .where(own_now | public_now)
        .where(
            or_(
                func.upper(Entry.reference) == words.upper(),
                func.lower(EntryVersion.title).contains(words.lower(), autoescape=True),
            )
        )
        .order_by(EntryVersion.title, Entry.id)
        .limit(2 * MOST_FOUND)
    )
    found: dict[str, Found] = {}
    for reference, title, number, organisation, own in rows:
        # An entry of the person's own with a working copy is copied as the copy says now.
        if reference not in found or number is None:
            found[reference] = Found(reference, title or "Untitled entry", organisation, bool(own))
    return list(found.values())[:MOST_FOUND]


# Deleting a draft ---------------------------------------------------------------------------


def may_delete(entry: Entry) -> bool:
    """Whether the entry is a draft that was never published, which can be deleted."""
    return (
        entry.state == DRAFT and entry.first_published_at is None and not entry.published_versions
    )


def delete_draft(entry: Entry, person: User) -> str:
    """Delete a draft entry that was never published, with all its answers; the audit log
    keeps a line saying so. Returns the deleted entry's reference, which is never used
    again."""
    _require(can_edit(person, entry), _("You can only delete entries of your own organisation."))
    lock_entries(entry)
    if entry.state == IN_REVIEW:
        raise WorkflowError(
            _(
                "This entry is waiting for review. A publisher must send it back before it can "
                "be deleted."
            )
        )
    if not may_delete(entry):
        raise WorkflowError(
            _(
                "This entry has been published, so it cannot be deleted. A register "
                "administrator can withdraw it."
            )
        )
    reference = entry.reference
    title = (entry.draft.title if entry.draft else None) or "Untitled entry"
    record_event(
        "draft_deleted",
        person,
        organisation=db.session.get(Organisation, entry.organisation_id),
        from_state=DRAFT,
        detail=f"{reference} {title}",
    )
    db.session.delete(entry)
    commit_or_roll_back()
    return reference
