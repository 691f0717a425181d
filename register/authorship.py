"""Who wrote a version's answers, and the two-person rule that follows from it.

Every way a working copy's answers change (the forms, the repeating rows, the submission
API, imports, copying an entry) takes a `snapshot` of the answers before and calls
`note_changes` after, in the same transaction: each answer that reads differently is noted
against the person (`models.AnswerChange`). Answers carried over from the version before
are not noted: nobody changed them in this version.

A publisher who changed any answer of a version, or who submitted it, is not its only
reviewer unless the organisation allows self-publishing: `refusal_to_publish` is the one
place that says so, for a single entry, a bulk step and a whole import alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from .extensions import db
from .models import AnswerChange, Entry, EntryVersion, Membership, User
from .permissions import PUBLISHER, two_person_refusal
from .versions import rows_of, values_of

# Each answer's value as compared, keyed by answer: a field's name or `group-number`.
Answers = dict[str, Any]
# Noted for an import, which writes a version's answers all at once: one row stands for
# every answer, rather than one per answer of thousands of entries.
EVERY_ANSWER = "*"


def _comparable(value: Any) -> Any:
    """An answer in a form that compares equal however it was stored: no answer is None,
    a row is its answered fields in order."""
    if value in (None, "", [], ()):
        return None
    if isinstance(value, Mapping):
        return tuple(sorted((k, _comparable(v)) for k, v in value.items() if _comparable(v)))
    if isinstance(value, list):
        return tuple(value)
    return value


def answers_in(values: Mapping[str, Any], rows: Mapping[str, list[Mapping[str, Any]]]) -> Answers:
    """Answers (as `versions.values_of` and `rows_of` give them) keyed by answer."""
    answers: Answers = {
        name: _comparable(value) for name, value in values.items() if name != "organisation"
    }
    for group_name, group_rows in rows.items():
        for number, row in enumerate(group_rows, start=1):
            answers[f"{group_name}-{number}"] = _comparable(row)
    return answers


def snapshot(version: EntryVersion | None) -> Answers:
    """The version's answers now, to compare with after a change; none for a new version."""
    if version is None:
        return {}
    return answers_in(values_of(version), rows_of(version))


def changed_answers(before: Answers, after: Answers) -> list[str]:
    """The answers that read differently after than before, in the order of `after` then
    the answers that are gone (a removed row)."""
    names = list(after) + [name for name in before if name not in after]
    return [name for name in names if before.get(name) != after.get(name)]


def note_changes(version: EntryVersion, person: User | None, before: Answers) -> list[str]:
    """Note, in the caller's transaction, that `person` changed each answer of `version`
    that differs from `before`; the answers noted. An operator's command, which acts as
    no person, notes nothing."""
    if person is None:
        return []
    changed = changed_answers(before, snapshot(version))
    if changed:
        _note(version, person, changed)
    return changed


def note_import(version: EntryVersion, person: User | None) -> None:
    """Note that `person` imported the version's answers (all of them, as far as the rule and
    the clash page are concerned); an operator's command notes nothing."""
    if person is not None:
        _note(version, person, [EVERY_ANSWER])


def _note(version: EntryVersion, person: User, answers: list[str]) -> None:
    """Note that `person` changed `answers` now: a note they already have on the version
    moves on to now, rather than being written twice."""
    now = datetime.now(UTC)
    noted: dict[str, AnswerChange] = {}
    if version.id is not None:
        # The version's rows may be changed and not flushed yet: flushed with the commit.
        with db.session.no_autoflush:
            noted = {
                change.answer: change
                for change in db.session.scalars(
                    select(AnswerChange).where(
                        AnswerChange.version_id == version.id,
                        AnswerChange.changed_by_id == person.id,
                        AnswerChange.answer.in_(answers),
                    )
                )
            }
    for answer in answers:
        if answer in noted:
            noted[answer].changed_at = now
        else:
            db.session.add(
                AnswerChange(
                    version=version, answer=answer, changed_by_id=person.id, changed_at=now
                )
            )


def changes_to(version: EntryVersion) -> list[AnswerChange]:
    """Who changed which answer of `version`, the latest change first."""
    return list(
        db.session.scalars(
            select(AnswerChange)
            .where(AnswerChange.version_id == version.id)
            .order_by(AnswerChange.changed_at.desc(), AnswerChange.id.desc())
        )
    )


def wrote_any(version: EntryVersion, person: User) -> bool:
    """Whether `person` changed any answer of `version`."""
    if version.id is None:
        return False
    found = select(AnswerChange.id).where(
        AnswerChange.version_id == version.id, AnswerChange.changed_by_id == person.id
    )
    return bool(db.session.scalar(select(found.exists())))


def writers_of(version: EntryVersion) -> set[int]:
    """The ids of the people who changed any answer of `version`."""
    return set(
        db.session.scalars(
            select(AnswerChange.changed_by_id)
            .where(AnswerChange.version_id == version.id, AnswerChange.changed_by_id.is_not(None))
            .distinct()
        )
    )


def refusal_to_publish(entry: Entry, reviewer: User) -> str:
    """Why `reviewer` may not publish the entry's submitted working copy under the
    two-person rule, in plain words; empty if they may."""
    draft = entry.draft
    return two_person_refusal(
        reviewer,
        entry.organisation,
        submitted=entry.submitted_by_id is not None and entry.submitted_by_id == reviewer.id,
        wrote=draft is not None and wrote_any(draft, reviewer),
    )


def other_reviewers(entry: Entry, reviewer: User) -> list[User]:
    """The organisation's other publishers who may publish the entry's working copy: not
    `reviewer`, not its submitter and none who changed its answers; by name."""
    draft = entry.draft
    left_out = {reviewer.id, entry.submitted_by_id} | (writers_of(draft) if draft else set())
    publishers: Iterable[User] = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == entry.organisation_id,
            Membership.role == PUBLISHER,
            User.is_active.is_(True),
        )
    )
    return sorted(
        (person for person in publishers if person.id not in left_out),
        key=lambda person: ((person.name or person.email).lower(), person.id),
    )


@dataclass(frozen=True)
class Change:
    """Who last changed an answer of a draft, and when."""

    by: User | None
    at: datetime


def last_changes(draft: EntryVersion, answers: Sequence[str]) -> dict[str, Change]:
    """Who last changed each of `answers` (field names, or `group-number` for a row) of the
    draft and when, to show a person whose save clashed whose answers they are choosing
    between. An answer with no record of its own is put down to the draft's last save."""
    found: dict[str, Change] = {}
    for change in changes_to(draft):  # the latest first
        named = answers if change.answer == EVERY_ANSWER else [change.answer]
        for answer in named:
            if answer in answers and answer not in found:
                found[answer] = Change(change.changed_by, change.changed_at)
    saver = db.session.get(User, draft.updated_by_id) if draft.updated_by_id else None
    return {name: found.get(name, Change(saver, draft.updated_at)) for name in answers}
