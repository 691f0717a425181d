"""The workflow: drafts, review, publication, revisions, retirement and withdrawal.

Every function takes plain arguments (models and values), asks `permissions` who may do
what, changes the entry in one transaction and writes the `audit` log. A refused action
raises a `WorkflowError` whose message can be shown to the person, and changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from . import authorship, schema, versions, withholding
from .audit import commit_or_roll_back, record_event
from .extensions import db
from .formatting import N_
from .mail import workflow as workflow_emails
from .models import Entry, EntryVersion, Organisation, User
from .models.entry import DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN, reference_for
from .models.provenance import published_as_recorded
from .permissions import can_create_in, can_edit, can_review, can_withdraw
from .validation import (
    Problem,
    answered_questions,
    as_recorded,
    check_values,
    problems_before_publishing,
)
from .versions import FIRST_PUBLICATION_NOTE, rows_of, values_of


class WorkflowError(Exception):
    """An action that is not possible now; the message says why, in plain words."""


class NotAllowed(WorkflowError):
    """The person does not have the role the action needs."""


class InvalidValues(WorkflowError):
    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__(_("Some answers need correcting."))
        self.problems = dict(problems)


class NotReady(WorkflowError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("Some required questions are not answered yet."))
        self.problems = problems


class EditConflict(WorkflowError):
    """Someone else saved the draft since this person opened it."""

    def __init__(self, changed: Mapping[str, tuple[Any, Any]]) -> None:
        super().__init__(
            _(
                "Someone else saved changes to this entry after you opened it. "
                "Your changes have not been saved."
            )
        )
        # field name -> (what is saved now, what this person sent)
        self.changed = dict(changed)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAllowed(message)


def _now() -> datetime:
    return datetime.now(UTC)


def lock_entries(*entries: Entry) -> None:
    """Take the entries for this transaction and see them as they are now, so that two steps
    on one entry at once (two publishers pressing Publish, a double click on Submit) happen one
    after the other: the second finds the entry already moved on and is refused, instead of
    both acting on what they read before (two working copies, a version number given twice).

    The UPDATE changes nothing but takes the entries' row locks on PostgreSQL and the write
    lock on SQLite, both held until the commit or roll back."""
    db.session.execute(
        update(Entry)
        .where(Entry.id.in_([entry.id for entry in entries]))
        .values(state=Entry.state),
        execution_options={"synchronize_session": False},
    )
    db.session.expire_all()


# The workflow ---------------------------------------------------------------------------


def create_entry(
    organisation: Organisation,
    author: User,
    values: Mapping[str, Any] | None = None,
    *,
    rows: Mapping[str, list[Mapping[str, Any]]] | None = None,
    through: str | None = None,
) -> Entry:
    """Start a new draft entry for `organisation`, with a reference of its own.

    `through` says, in the audit log, how the action came (such as an API token).
    """
    _require(
        can_create_in(author, organisation),
        _("You can only create entries for organisations you belong to."),
    )
    values = dict(values or {})
    problems = _problems_in(values, rows)
    if problems:
        raise InvalidValues(problems)
    # The reference comes from the id, which exists only after the insert.
    entry = Entry(
        organisation_id=organisation.id,
        state=DRAFT,
        created_by_id=author.id,
        reference=f"pending-{uuid.uuid4().hex[:12]}",
    )
    draft = EntryVersion(organisation_id=organisation.id, number=None, updated_by_id=author.id)
    versions.set_values(draft, values)
    for group_name, group_rows in (rows or {}).items():
        versions.set_rows(draft, group_name, group_rows)
    entry.versions.append(draft)
    authorship.note_changes(draft, author, authorship.snapshot(None))
    db.session.add(entry)
    try:
        db.session.flush()
        entry.reference = reference_for(entry.id, current_app.config["REGISTER_REFERENCE_PREFIX"])
        record_event("created", author, entry, to_state=DRAFT, detail=through)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return entry


def save_draft(
    entry: Entry,
    author: User,
    values: Mapping[str, Any],
    *,
    based_on: int,
    rows: Mapping[str, list[Mapping[str, Any]]] | None = None,
    through: str | None = None,
    withheld: Mapping[str, withholding.Withholding | None] | None = None,
) -> EntryVersion:
    """Save answers (and, if given, whole repeating groups) to the entry's working copy.

    `based_on` is the draft's `lock_version` when the person opened the form; if someone
    saved in between, `EditConflict` says which of these answers changed under them.
    `withheld` withholds answers (a `Withholding`, their value cleared) or stops
    withholding them (None); answers it does not name stay as they were.
    """
    _require(can_edit(author, entry), _("You can only change entries of your own organisation."))
    lock_entries(entry)
    draft = entry.draft
    if draft is None or entry.state not in (DRAFT,):
        if entry.state == IN_REVIEW:
            raise WorkflowError(
                _(
                    "This entry is waiting for review. A publisher must send it back before it "
                    "can be changed."
                )
            )
        raise WorkflowError(_("This entry has no draft to change. Start a new revision first."))
    if draft.lock_version != based_on:
        raise EditConflict(_changes_under(draft, values, rows))
    problems = _problems_in(values, rows)
    if "organisation" in values and values["organisation"] != entry.organisation_id:
        problems["organisation"] = N_("An entry cannot be moved to another organisation")
    problems.update(_withholding_problems(withheld or {}))
    problems.update(withholding.rows_in_the_way(draft, withheld or {}, rows))
    if problems:
        raise InvalidValues(problems)
    before = authorship.snapshot(draft)
    versions.set_values(draft, values)
    if withheld:
        withholding.set_withheld(draft, withheld)
    for group_name, group_rows in (rows or {}).items():
        versions.set_rows(draft, group_name, group_rows)
    authorship.note_changes(draft, author, before)
    draft.updated_by_id = author.id
    # Always an UPDATE of the version row, so its lock version moves even when only the
    # repeating rows changed (they live in other tables).
    draft.updated_at = _now()
    record_event(
        "saved", author, entry, from_state=entry.state, to_state=entry.state, detail=through
    )
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise EditConflict({}) from None
    except Exception:
        db.session.rollback()
        raise
    return draft


def _withholding_problems(
    withheld: Mapping[str, withholding.Withholding | None],
) -> dict[str, str]:
    """What is wrong with the reasons given for withholding answers, keyed by field."""
    problems = {}
    allowed = withholding.withholdable_names()
    for name, given in withheld.items():
        if name not in allowed:
            problems[name] = N_("This answer cannot be withheld")
        elif given is not None:
            found = withholding.check(given.reason, given.reason_text)
            if found:
                problems[name] = found[1]
    return problems


def _problems_in(
    values: Mapping[str, Any], rows: Mapping[str, list[Mapping[str, Any]]] | None
) -> dict[str, str]:
    """What is wrong with these answers and repeating rows, keyed by field (rows' fields as
    `group-number-field`, counting from 1)."""
    problems = check_values(schema.all_fields(), values)
    for group_name, group_rows in (rows or {}).items():
        group = next((g for g in schema.groups() if g.name == group_name), None)
        if group is None:
            problems[group_name] = f"{group_name} is not a repeating part of the record"
            continue
        for number, row in enumerate(group_rows, start=1):
            for name, problem in check_values(group.fields, row).items():
                problems[f"{group_name}-{number}-{name}"] = problem
    return problems


def _changes_under(
    draft: EntryVersion,
    values: Mapping[str, Any],
    rows: Mapping[str, list[Mapping[str, Any]]] | None,
) -> dict[str, tuple[Any, Any]]:
    saved = values_of(draft)
    changed = {
        name: (saved.get(name), value)
        for name, value in values.items()
        if (saved.get(name) or None) != (value or None)
    }
    saved_rows = rows_of(draft)
    for group_name, group_rows in (rows or {}).items():
        if saved_rows.get(group_name) != [dict(row) for row in group_rows]:
            changed[group_name] = (saved_rows.get(group_name), group_rows)
    return changed


def problems_with(version: EntryVersion) -> list[Problem]:
    """What `version` still needs before it can be published. An entry imported from
    another register's file may leave unanswered what its source did not record
    (`validation.as_recorded`), but not empty what an earlier version answered."""
    problems = problems_before_publishing(
        values_of(version), rows_of(version), withholding.withheld_of(version)
    )
    entry = version.entry
    if not problems or not published_as_recorded(entry.source_format):
        return problems
    return as_recorded(problems, answered_before(entry, version))


def answered_before(entry: Entry, version: EntryVersion | None = None) -> set[str]:
    """Every question some published version of the entry (other than `version`) answered."""
    answered: set[str] = set()
    for earlier in entry.published_versions:
        if earlier is not version:
            answered |= answered_questions(
                values_of(earlier), rows_of(earlier), withholding.withheld_of(earlier)
            )
    return answered


def submit(entry: Entry, author: User, *, through: str | None = None) -> None:
    """Send the working copy for review by a publisher."""
    _require(can_edit(author, entry), _("You can only submit entries of your own organisation."))
    lock_entries(entry)
    if entry.state != DRAFT or entry.draft is None:
        raise WorkflowError(_("Only a draft can be submitted for review."))
    problems = problems_with(entry.draft)
    if problems:
        raise NotReady(problems)
    mark_submitted(entry, author, through)
    commit_or_roll_back()


def mark_submitted(entry: Entry, author: User, detail: str | None = None) -> None:
    """Put the entry's working copy in the review queue and log it, in the caller's
    transaction (`submit` checks first; an import submits many entries at once)."""
    entry.state = IN_REVIEW
    entry.submitted_by_id = author.id
    entry.submitted_at = _now()
    entry.review_comment = None
    record_event("submitted", author, entry, from_state=DRAFT, to_state=IN_REVIEW, detail=detail)
    workflow_emails.tell(workflow_emails.SUBMITTED, entry, author)


def send_back(entry: Entry, reviewer: User, comment: str) -> None:
    """Return a submitted entry to its editors with a comment saying what to change."""
    _require(can_review(reviewer, entry), _("Only a publisher of the organisation can review it."))
    lock_entries(entry)
    if entry.state != IN_REVIEW:
        raise WorkflowError(_("Only an entry waiting for review can be sent back."))
    comment = (comment or "").strip()
    if not comment:
        raise InvalidValues({"comment": N_("Enter a comment saying what needs to change")})
    entry.state = DRAFT
    entry.review_comment = comment
    record_event("sent_back", reviewer, entry, from_state=IN_REVIEW, to_state=DRAFT, detail=comment)
    workflow_emails.tell(workflow_emails.SENT_BACK, entry, reviewer, comment)
    commit_or_roll_back()


def publish(
    entry: Entry, reviewer: User, change_note: str = "", *, through: str | None = None
) -> EntryVersion:
    """Publish the submitted working copy as the entry's next immutable version."""
    _require(can_review(reviewer, entry), _("Only a publisher of the organisation can publish it."))
    lock_entries(entry)
    draft = publish_submitted(entry, reviewer, change_note, through)
    commit_or_roll_back()
    return draft


def publish_all(
    entries: Sequence[Entry],
    reviewer: User,
    change_notes: Mapping[int, str],
    *,
    through: str | None = None,
) -> list[EntryVersion]:
    """Publish several submitted entries at once (an import's, approved as a whole), each as
    `publish` would, with the change note `change_notes` gives for its id: all of them, or,
    if any one is refused, none."""
    for entry in entries:
        _require(
            can_review(reviewer, entry), _("Only a publisher of the organisation can publish it.")
        )
    lock_entries(*entries)
    try:
        # Each entry's versions and answers in a few queries, not a few per entry; and no
        # flush between entries, since each reads only its own, unchanged, rows.
        entries = _with_answers([entry.id for entry in entries])
        with db.session.no_autoflush:
            drafts = [
                publish_submitted(entry, reviewer, change_notes.get(entry.id, ""), through)
                for entry in entries
            ]
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return drafts


def _with_answers(ids: Sequence[int]) -> list[Entry]:
    """The entries of `ids`, in that order, with every version's answers loaded."""
    versions_of = selectinload(Entry.versions)
    found = db.session.scalars(
        select(Entry)
        .where(Entry.id.in_(ids))
        .options(
            *(
                versions_of.selectinload(getattr(EntryVersion, name))
                for name in ("choices", "data_sources", "risks", "impact_assessments")
            )
        )
    )
    by_id = {entry.id: entry for entry in found}
    return [by_id[entry_id] for entry_id in ids]


def publish_submitted(
    entry: Entry, reviewer: User, change_note: str, through: str | None
) -> EntryVersion:
    """`publish`'s work, in the caller's transaction, with the entry already locked."""
    if entry.state != IN_REVIEW or entry.draft is None:
        raise WorkflowError(_("Only an entry waiting for review can be published."))
    refusal = authorship.refusal_to_publish(entry, reviewer)
    if refusal:
        raise NotAllowed(refusal)
    draft = entry.draft
    problems = problems_with(draft)
    if problems:
        raise NotReady(problems)
    latest = db.session.scalar(
        select(func.max(EntryVersion.number)).where(EntryVersion.entry_id == entry.id)
    )
    change_note = (change_note or "").strip()
    if latest and not change_note:
        raise InvalidValues(
            {"change_note": N_("Enter a change note saying what is new in this version")}
        )
    versions.make_current(
        entry, draft, reviewer, (latest or 0) + 1, change_note or FIRST_PUBLICATION_NOTE
    )
    record_event(
        "published",
        reviewer,
        entry,
        from_state=IN_REVIEW,
        to_state=PUBLISHED,
        detail=". ".join(filter(None, [f"Version {draft.number}", through])),
    )
    workflow_emails.tell(workflow_emails.PUBLISHED, entry, reviewer)
    return draft


def start_revision(entry: Entry, author: User, *, through: str | None = None) -> EntryVersion:
    """Open a new working copy of a published entry; the published version stays public."""
    _require(can_edit(author, entry), _("You can only change entries of your own organisation."))
    lock_entries(entry)
    if entry.state != PUBLISHED or entry.current_version is None:
        raise WorkflowError(_("Only a published entry can be revised."))
    draft = versions.copy_of(entry.current_version)
    draft.updated_by_id = author.id
    entry.versions.append(draft)
    entry.state = DRAFT
    record_event(
        "revision_started", author, entry, from_state=PUBLISHED, to_state=DRAFT, detail=through
    )
    commit_or_roll_back()
    return draft


def retire(
    entry: Entry, publisher: User, reason: str, retired_on: str | None = None
) -> EntryVersion:
    """Record that the tool is no longer used: a new published version with status retired."""
    _require(can_review(publisher, entry), _("Only a publisher of the organisation can retire it."))
    lock_entries(entry)
    version = mark_retired(entry, publisher, reason, retired_on)
    commit_or_roll_back()
    return version


def mark_retired(
    entry: Entry,
    publisher: User | None,
    reason: str,
    retired_on: str | None = None,
    *,
    for_review: bool = False,
) -> EntryVersion:
    """Retire a published entry in the caller's transaction (`retire` checks who may first;
    an import retires the entries its file no longer has). With `for_review`, the retirement
    is a revision submitted for another publisher's review, and the published version stays
    public until it is published."""
    if entry.state != PUBLISHED or entry.current_version is None:
        raise WorkflowError(
            _("Only a published entry with no revision in progress can be retired.")
        )
    if entry.current_version.status == "retired":
        # Otherwise a second press of the button publishes the same retirement again.
        raise WorkflowError(_("This tool is already recorded as retired."))
    retired_on = retired_on or date.today().isoformat()
    values = {
        "status": "retired",
        "retired_on": retired_on,
        "retirement_reason": (reason or "").strip(),
    }
    problems = check_values(schema.all_fields(), values)
    if not values["retirement_reason"]:
        problems["retirement_reason"] = N_("Enter the reason the tool was retired")
    if problems:
        raise InvalidValues(problems)
    version = versions.copy_of(entry.current_version)
    before = authorship.snapshot(version)
    versions.set_values(version, values)
    entry.versions.append(version)
    authorship.note_changes(version, publisher, before)
    note = f"Retired: {values['retirement_reason']}"
    if for_review:
        entry.state = DRAFT
        mark_submitted(entry, publisher, note)
        return version
    latest = max(v.number for v in entry.published_versions)
    versions.make_current(entry, version, publisher, latest + 1, note)
    record_event(
        "retired",
        publisher,
        entry,
        from_state=PUBLISHED,
        to_state=PUBLISHED,
        detail=values["retirement_reason"],
    )
    return version


def withdraw(entry: Entry, administrator: User, reason: str) -> None:
    """Take an entry off the public register, with a public reason; its reference stays used."""
    _require(can_withdraw(administrator), _("Only a register administrator can withdraw an entry."))
    lock_entries(entry)
    if entry.state == WITHDRAWN:
        raise WorkflowError(_("This entry has already been withdrawn."))
    if not entry.published_versions:
        raise WorkflowError(_("Only an entry that has been published can be withdrawn."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidValues({"reason": N_("Enter the reason, which will be shown to the public")})
    previous = entry.state
    for version in entry.versions:
        version.is_current = False
    entry.state = WITHDRAWN
    entry.withdrawn_at = _now()
    entry.withdrawn_reason = reason
    record_event(
        "withdrawn", administrator, entry, from_state=previous, to_state=WITHDRAWN, detail=reason
    )
    workflow_emails.tell(workflow_emails.WITHDRAWN, entry, administrator, reason)
    commit_or_roll_back()
