"""Settling a clash: a person saved a section or a row after someone else saved the same draft.

The save is refused (`publishing.EditConflict`) and the page asks, question by question, which
answer to keep. The form keeps the lock version the person started from, so pressing Save
again without choosing is refused again; the choices travel with the lock version they were
made on (`merge_based_on`), and are taken only while nobody has saved since.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import request
from flask_babel import gettext
from flask_wtf import FlaskForm

from .. import authorship, comparison, publishing, schema
from ..forms.entry import LOCK_VERSION
from ..models import Entry, User
from ..schema.texts import shown
from . import entry_summary

# The form's fingerprints of the answers the person started from (see `comparison`).
STARTED_FROM = "started_from"
# The lock version the person's choices between the answers were made on.
MERGE_BASED_ON = "merge_based_on"


class Unsettled(Exception):
    """The person saved their choices without choosing for every clash."""

    def __init__(self, clashes: list[comparison.Clash], problems: Mapping[str, str]) -> None:
        super().__init__("Some clashes are not settled")
        self.clashes = clashes
        self.problems = dict(problems)


class Clashed(Exception):
    """Someone else saved first and changed answers the person must choose between."""

    def __init__(self, refused: publishing.EditConflict, clashes: list[comparison.Clash]) -> None:
        super().__init__(str(refused))
        self.clashes = clashes


def save_section(
    entry: Entry,
    author: User,
    fields: Sequence[schema.Field],
    started_from: str,
    answers: dict[str, Any],
    based_on: int,
    withheld: Mapping[str, Any] | None = None,
) -> None:
    """Save a section's answers (and the answers it withholds, see
    `publishing.save_draft`), settling clashes as the person chose (see `settled`).

    When someone else saved first but changed none of these questions (another section, or a
    question the person left as it was), nothing of theirs can be lost: the answers are saved
    on the draft as it is now. Otherwise `Clashed` says which questions to ask about."""
    settled_answers, saving_on = settled(entry, fields, started_from, answers, based_on)
    try:
        publishing.save_draft(entry, author, settled_answers, based_on=saving_on, withheld=withheld)
        return
    except publishing.EditConflict as refused:
        clashes = _section_clashes(entry, fields, started_from, answers)
        if clashes:
            raise Clashed(refused, clashes) from None
    try:
        publishing.save_draft(
            entry, author, answers, based_on=entry.draft.lock_version, withheld=withheld
        )
    except publishing.EditConflict as refused:
        raise Clashed(refused, _section_clashes(entry, fields, started_from, answers)) from None


def _section_clashes(
    entry: Entry, fields: Sequence[schema.Field], started_from: str, answers: Mapping[str, Any]
) -> list[comparison.Clash]:
    return comparison.clashes(fields, started_from, publishing.values_of(entry.draft), answers)


def merging_from() -> int | None:
    """The lock version the person's choices were made on, or None if they made none."""
    text = request.form.get(MERGE_BASED_ON, "")
    return int(text) if LOCK_VERSION.fullmatch(text) else None


def settled(
    entry: Entry,
    fields: Sequence[schema.Field],
    started_from: str,
    answers: dict[str, Any],
    based_on: int,
) -> tuple[dict[str, Any], int]:
    """The answers to save, and the lock version to save them on.

    Without choices, the person's answers on the lock version they started from (so a save
    after someone else's is refused). With choices made on the draft as it is now, the answers
    with every clash settled as chosen; `Unsettled` if one is not. Choices made on an older
    draft are saved on it, and so refused in turn: someone saved again since."""
    merging = merging_from()
    draft = entry.draft
    if merging is None or merging != draft.lock_version:
        return answers, based_on if merging is None else merging
    found = _section_clashes(entry, fields, started_from, answers)
    sent = request.form
    merged, problems = comparison.merge(
        found,
        answers,
        {clash.field.name: sent.get(f"clash-{clash.field.name}", "") for clash in found},
        {clash.field.name: sent.get(f"merged-{clash.field.name}", "") for clash in found},
    )
    if problems:
        raise Unsettled(found, problems)
    return merged, merging


def conflict_view(
    entry: Entry,
    *,
    section_form: FlaskForm,
    clashes: Sequence[comparison.Clash],
    problems: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """What the section page shows of a clash: each question, both answers, who changed
    theirs and when, and the choice the person made so far (None when there is no clash)."""
    if not clashes:
        return None
    changes = authorship.last_changes(entry.draft, [clash.field.name for clash in clashes])
    return {
        "based_on": entry.draft.lock_version,
        "questions": entry_summary.clash_questions(
            clashes, changes, request.form, problems or {}, section_form
        ),
    }


def conflict_problems(conflict: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """The error summary's items for the clashes the person has not settled."""
    if not conflict:
        return []
    return [
        {"text": question["error"], "href": question["error_href"]}
        for question in conflict["questions"]
        if question["error"]
    ]


# A row of a repeating group: the person keeps the other's row or saves theirs. --------------

ROW_CHOICE = "clash-row"


def row_settled(entry: Entry, group: schema.Group, based_on: int, *, adding: bool) -> int | None:
    """The lock version to save the person's row on: the one they started from, or, once they
    chose to save theirs over the draft as it is now, that one. None when they chose to keep
    the row as saved (nothing to save); `Unsettled` when they pressed Save without choosing."""
    merging = merging_from()
    if merging is None or merging != entry.draft.lock_version:
        return based_on if merging is None else merging
    choice = request.form.get(ROW_CHOICE)
    if choice == comparison.THEIRS:
        return None
    if choice == comparison.MINE:
        return merging
    item = shown(group.item_label)
    asked = (
        gettext("Choose whether to add your %(item)s", item=item)
        if adding
        else gettext("Choose which %(item)s to save", item=item)
    )
    raise Unsettled([], {ROW_CHOICE: asked})


def save_row(
    entry: Entry,
    author: User,
    group: schema.Group,
    started_from: str,
    rows: Sequence[Mapping[str, Any]],
    changed: list[dict[str, Any]],
    based_on: int,
    *,
    adding: bool,
) -> bool:
    """Save a group's rows `changed` from `rows` (as the draft has them now) by the person's
    row; False when they chose to keep the saved row instead. When someone else saved first
    but left this group's rows as the person found them (`started_from`), nothing of theirs
    can be lost and the rows are saved; otherwise `Clashed`."""
    seen = entry.draft.lock_version  # the draft `rows` were read from
    saving_on = row_settled(entry, group, based_on, adding=adding)
    if saving_on is None:
        return False
    try:
        publishing.save_draft(entry, author, {}, based_on=saving_on, rows={group.name: changed})
        return True
    except publishing.EditConflict as refused:
        if saving_on == seen or comparison.rows_fingerprint(rows) != started_from:
            raise Clashed(refused, []) from None
    try:
        publishing.save_draft(entry, author, {}, based_on=seen, rows={group.name: changed})
    except publishing.EditConflict as refused:
        raise Clashed(refused, []) from None
    return True


def row_conflict_view(
    entry: Entry,
    group: schema.Group,
    number: int | None,
    answers: list[dict[str, str]],
    error: str = "",
) -> dict[str, Any]:
    """What a row's page shows of a clash: the answers saved now and the person's, who saved
    theirs and when, and the choice to make."""
    draft = entry.draft
    count = len(publishing.rows_of(draft)[group.name])
    answer = f"{group.name}-{number or count}"
    change = authorship.last_changes(draft, [answer])[answer]
    return {
        "answers": answers,
        "based_on": draft.lock_version,
        "adding": number is None,
        "changed_by": change.by,
        "changed_at": change.at,
        "choice": request.form.get(ROW_CHOICE, ""),
        "error": error,
    }


def row_conflict_problems(conflict: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """The error summary's item for a row's clash the person has not settled."""
    if not conflict or not conflict["error"]:
        return []
    return [{"text": conflict["error"], "href": f"#{ROW_CHOICE}"}]
