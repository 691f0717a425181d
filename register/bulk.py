"""The same workflow step for several entries at once: submit, publish or retire.

Each entry goes through exactly the checks and changes its single action makes (`publishing`:
who may, the entry's state, what it still needs, the two-person rule), and is written to the
audit log as that action writes it. It is all or nothing, in one transaction: every entry
that cannot take the step is named with why, and then none of them has moved.

Plain arguments in, plain results out: no request objects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _

from . import publishing
from .extensions import db
from .formatting import N_
from .models import Entry, User
from .models.entry import DRAFT
from .permissions import can_edit, can_review, publishes_for
from .publishing import InvalidValues, NotAllowed, WorkflowError

SUBMIT, PUBLISH, RETIRE = "submit", "publish", "retire"
ACTIONS = (SUBMIT, PUBLISH, RETIRE)
# The most entries one step takes: more than a dashboard lists, few enough for one page.
MOST_ENTRIES = 500


class BulkRefused(WorkflowError):
    """Nothing was done. `entries` maps the reference of each entry that cannot take the
    step to why, in the page's language; `problems` maps a field of the step (the reason,
    the change note) to what is wrong with it, in English (`gettext` shows it)."""

    def __init__(
        self, entries: dict[str, str] | None = None, problems: dict[str, str] | None = None
    ) -> None:
        super().__init__(_("Nothing was changed."))
        self.entries = entries or {}
        self.problems = problems or {}


@dataclass(frozen=True)
class Step:
    """What the person asked for: the step, and its words (a reason, a change note)."""

    action: str
    reason: str = ""
    change_note: str = ""
    retired_on: str | None = None


def offers_bulk_actions(user: User) -> bool:
    """Bulk actions are for publishers (and administrators)."""
    return user.is_admin or any(publishes_for(user, m.organisation_id) for m in user.memberships)


def _submit(entry: Entry, user: User, step: Step) -> None:
    if not can_edit(user, entry):
        raise NotAllowed(_("You can only submit entries of your own organisation."))
    if entry.state != DRAFT or entry.draft is None:
        raise WorkflowError(_("Only a draft can be submitted for review."))
    if publishing.problems_with(entry.draft):
        raise WorkflowError(_("Some required questions are not answered yet."))
    publishing.mark_submitted(entry, user)


def _publish(entry: Entry, user: User, step: Step) -> None:
    if not can_review(user, entry):
        raise NotAllowed(_("Only a publisher of the organisation can publish it."))
    note = step.change_note if entry.published_versions else ""
    publishing.publish_submitted(entry, user, note, None)  # publish's own checks and work


def _retire(entry: Entry, user: User, step: Step) -> None:
    if not can_review(user, entry):
        raise NotAllowed(_("Only a publisher of the organisation can retire it."))
    publishing.mark_retired(entry, user, step.reason, step.retired_on)


_STEPS: dict[str, Callable[[Entry, User, Step], None]] = {
    SUBMIT: _submit,
    PUBLISH: _publish,
    RETIRE: _retire,
}


def _try_each(step: Step, user: User, entries: Sequence[Entry]) -> BulkRefused | None:
    """Take `step` for each entry in the session's transaction, leaving it open; what was
    refused, if anything."""
    refused: dict[str, str] = {}
    problems: dict[str, str] = {}
    publishing.lock_entries(*entries)  # as the single actions take each entry
    for entry in entries:
        try:
            _STEPS[step.action](entry, user, step)
        except InvalidValues as invalid:
            # About the step's own words (one reason, one change note for all): said once.
            problems.update(invalid.problems)
        except WorkflowError as refusal:
            refused[entry.reference] = str(refusal)
    return BulkRefused(refused, problems) if refused or problems else None


def apply(step: Step, user: User, entries: Sequence[Entry]) -> None:
    """Take `step` for every one of `entries`, in one transaction, or for none of them:
    raises `BulkRefused` naming each entry that cannot take it (and what is wrong with the
    step's words), having changed nothing."""
    if step.action not in _STEPS:
        raise BulkRefused(problems={"action": N_("Choose what to do with the entries")})
    if not entries:
        raise BulkRefused(problems={"entries": N_("Select at least one entry")})
    try:
        refused = _try_each(step, user, entries)
        if refused:
            raise refused
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def why_not(step: Step, user: User, entries: Sequence[Entry]) -> dict[str, str]:
    """Which of `entries` cannot take `step` as things stand, and why, for the confirmation
    page: the step is tried, then rolled back, so nothing changes. Its words (a reason, a
    change note) are not asked for yet, so their problems are left out."""
    if step.action not in _STEPS or not entries:
        return {}
    try:
        refused = _try_each(step, user, entries)
    finally:
        db.session.rollback()
    return refused.entries if refused else {}
