"""Adding, changing and removing the rows of a repeating group (data sources, risks, impact
assessments), one page per row, without JavaScript.

Rows are numbered from 1 in the order they are shown. Every change saves the group's whole
list with the draft's lock version, so a change made by someone else in between is never lost.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import comparison, publishing, schema, withholding
from ..forms.entry import RemoveRowForm, row_form, show_problems
from ..models import Entry
from ..models.entry import DRAFT
from ..schema.texts import shown
from ..validation import messages_for
from . import entry_summary, manage_clashes, session_end
from .manage import (
    blueprint,
    entry_or_404,
    error_summary,
    group_or_404,
    lock_from,
    not_editable,
    person,
    render_entry_page,
)


@blueprint.route("/entries/<reference>/<group>/add", methods=["GET", "POST"])
def add_row(reference: str, group: str) -> str | Response:
    return _row_page(reference, group, None)


@blueprint.route(
    "/entries/<reference>/<group>/<int(min=1, max=100000):number>", methods=["GET", "POST"]
)
def change_row(reference: str, group: str, number: int) -> str | Response:
    return _row_page(reference, group, number)


def _draft_rows(
    reference: str, slug: str, number: int | None
) -> tuple[Entry, schema.Section, schema.Group, list[dict[str, Any]]] | Response:
    """The entry, the group and its saved rows; 404 for a row that does not exist."""
    entry = entry_or_404(reference)
    section, group = group_or_404(slug)
    if entry.state != DRAFT or entry.draft is None:
        return not_editable(entry)
    rows = publishing.rows_of(entry.draft)[group.name]
    if number is not None and not 1 <= number <= len(rows):
        abort(404)
    return entry, section, group, rows


def _back_to_section(entry: Entry, section: schema.Section, group: schema.Group) -> Response:
    return redirect(entry_summary.section_href(entry, section, group.name))


def _row_page(reference: str, slug: str, number: int | None) -> str | Response:
    found = _draft_rows(reference, slug, number)
    if isinstance(found, Response):
        return found
    entry, section, group, rows = found
    form_class = row_form(group.name)
    conflict: dict[str, Any] | None = None
    if request.method == "GET":
        saved = rows[number - 1] if number else None
        # Answers sent after the session ended come back as typed, not yet saved.
        kept = session_end.kept_answers_here()
        form = form_class(formdata=kept, data=saved, lock_version=str(entry.draft.lock_version))
        started_from = comparison.rows_fingerprint(rows)
        if kept is not None:
            started_from = kept.get(manage_clashes.STARTED_FROM, started_from)
    else:
        form = form_class()
        based_on = lock_from(form)
        # Kept as the person first opened the page, through every clash, like the lock.
        started_from = request.form.get(manage_clashes.STARTED_FROM, "")
        # Adding a row to a group withheld as a whole stops withholding it: say so.
        was_withheld = number is None and group.name in withholding.withheld_of(entry.draft)
        if form.validate():
            row = form.answers(group.fields)
            changed = list(rows)
            if number:
                changed[number - 1] = row
            else:
                changed.append(row)
            position = number or len(changed)
            try:
                _refuse_empty(group, row)
                if not manage_clashes.save_row(
                    entry,
                    person(),
                    group,
                    started_from,
                    rows,
                    changed,
                    based_on,
                    adding=number is None,
                ):
                    flash(
                        gettext(
                            "Your %(item)s was not saved. The saved one is kept.",
                            item=shown(group.item_label),
                        )
                    )
                    return _back_to_section(entry, section, group)
            except manage_clashes.Unsettled as refused:
                # The form keeps the lock version the person started from, so a save without
                # a choice is refused again rather than replacing the other person's row.
                conflict = manage_clashes.row_conflict_view(
                    entry,
                    group,
                    number,
                    _row_conflict(group, rows, number, row),
                    refused.problems[manage_clashes.ROW_CHOICE],
                )
            except manage_clashes.Clashed as clash:
                form.form_errors.append(str(clash))
                rows = publishing.rows_of(entry.draft)[group.name]
                conflict = manage_clashes.row_conflict_view(
                    entry, group, number, _row_conflict(group, rows, number, row)
                )
            except publishing.InvalidValues as refused:
                prefix = f"{group.name}-{position}-"
                show_problems(
                    form,
                    {
                        name.removeprefix(prefix): problem
                        for name, problem in refused.problems.items()
                    },
                )
            except publishing.WorkflowError:
                return not_editable(entry)
            else:
                done = (
                    gettext("The %(item)s has been changed.", item=shown(group.item_label))
                    if number
                    else gettext("The %(item)s has been added.", item=shown(group.item_label))
                )
                if was_withheld:
                    done += " " + gettext(
                        "The %(group)s are no longer withheld.", group=shown(group.label).lower()
                    )
                flash(done, "success")
                return _back_to_section(entry, section, group)
    return render_entry_page(
        "manage/row.html",
        entry,
        section=section,
        group=group,
        number=number,
        row_form=form,
        questions=form.questions(group.fields),
        started_from=started_from,
        conflict=conflict,
        problems=error_summary(form, explained_at="#changes" if conflict else "")
        + manage_clashes.row_conflict_problems(conflict),
    )


def _refuse_empty(group: schema.Group, row: dict[str, Any]) -> None:
    """A row with no answer at all says nothing: ask for its first question instead."""
    if all(value is None for value in row.values()):
        first = group.fields[0]
        raise publishing.InvalidValues({first.name: messages_for(first).missing})


def _row_conflict(
    group: schema.Group, rows: list[dict[str, Any]], number: int | None, row: dict[str, Any]
) -> list[dict[str, str]]:
    """What is saved now against what the person sent: the row itself when changing one, the
    list of rows when adding one."""
    if number:
        return entry_summary.changed_row(group, rows[number - 1], row)
    titles = [entry_summary.row_title(group, r, n) for n, r in enumerate(rows, start=1)]
    added = entry_summary.row_title(group, row, len(rows) + 1)
    return [
        {
            "label": group.label,
            "saved": "; ".join(titles) or gettext("None"),
            "yours": "; ".join([*titles, added]),
        }
    ]


@blueprint.route(
    "/entries/<reference>/<group>/<int(min=1, max=100000):number>/remove", methods=["GET", "POST"]
)
def remove_row(reference: str, group: str, number: int) -> str | Response:
    found = _draft_rows(reference, group, number)
    if isinstance(found, Response):
        return found
    entry, section, group_, rows = found
    if request.method == "GET":
        form = RemoveRowForm(lock_version=str(entry.draft.lock_version))
    else:
        form = RemoveRowForm()
        based_on = lock_from(form)
        remaining = rows[: number - 1] + rows[number:]
        try:
            publishing.save_draft(
                entry, person(), {}, based_on=based_on, rows={group_.name: remaining}
            )
        except publishing.EditConflict:
            form.form_errors.append(
                gettext(
                    "Someone else saved changes to this entry after you opened this page. "
                    "Nothing has been removed. Check this is still the %(item)s you want to "
                    "remove.",
                    item=shown(group_.item_label),
                )
            )
            form.lock_version.data = str(entry.draft.lock_version)
        except publishing.WorkflowError:
            return not_editable(entry)
        else:
            flash(
                gettext("The %(item)s has been removed.", item=shown(group_.item_label)), "success"
            )
            return _back_to_section(entry, section, group_)
    return render_entry_page(
        "manage/remove_row.html",
        entry,
        section=section,
        group=group_,
        number=number,
        row_title=entry_summary.row_title(group_, rows[number - 1], number),
        answers=entry_summary.row_answers(group_, rows[number - 1]),
        remove_form=form,
        problems=error_summary(form),
    )
