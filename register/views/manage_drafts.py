"""Starting an entry (created when its title is saved), copying one, and deleting a draft
that was never published."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from .. import drafts, publishing, worklists
from ..forms.entry import show_problems
from ..forms.workflow import CopyEntryForm, DeleteDraftForm, FindEntryToCopyForm, NewEntryForm
from ..models import Organisation
from .manage import (
    back_to_task_list,
    blueprint,
    entry_or_404,
    entry_title,
    error_summary,
    person,
    render_entry_page,
    task_list_url,
)


def _where_it_goes(form: NewEntryForm | CopyEntryForm) -> list[Organisation]:
    """The organisations the person may start an entry for, offered by the form; the only
    one chosen already."""
    organisations = worklists.organisations_for_new_entries(person())
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]
    if len(organisations) == 1 and not form.is_submitted():
        form.organisation.data = organisations[0].id
    return organisations


def _started(form: NewEntryForm | CopyEntryForm, organisations: list[Organisation], start):
    """The entry `start(organisation, title)` made, once the form is sent and valid; None
    while there is nothing to make yet, or the person's answers need correcting."""
    if not organisations or not form.validate_on_submit():
        return None
    chosen = next(o for o in organisations if o.id == form.organisation.data)
    try:
        return start(chosen, form.title.data or "")
    except publishing.InvalidValues as refused:
        show_problems(form, refused.problems)
    except publishing.WorkflowError as refused:
        form.organisation.errors.append(str(refused))
    return None


@blueprint.route("/entries/new", methods=["GET", "POST"])
def new_entry() -> str | Response:
    """Ask the new entry's title (and organisation); the entry is created when they are
    saved, so opening this page creates nothing."""
    form = NewEntryForm()
    organisations = _where_it_goes(form)
    entry = _started(
        form, organisations, lambda chosen, title: drafts.start_entry(chosen, person(), title)
    )
    if entry is not None:
        return redirect(task_list_url(entry))
    return render_template(
        "manage/new_entry.html",
        new_entry_form=form,
        find_form=FindEntryToCopyForm(formdata=None),
        organisations=organisations,
        problems=error_summary(form),
    )


@blueprint.get("/entries/copy")
def find_entry_to_copy() -> str:
    """Find an entry to copy, by its reference or words of its title."""
    form = FindEntryToCopyForm(request.args)
    searched = "q" in request.args
    found = drafts.entries_to_copy(person(), form.q.data or "") if searched else []
    if searched:
        form.validate()
    return render_template(
        "manage/copy_find.html",
        find_form=form,
        searched=searched and not form.q.errors,
        found=found,
        problems=error_summary(form),
    )


@blueprint.route("/entries/<reference>/copy", methods=["GET", "POST"])
def copy_entry(reference: str) -> str | Response:
    """What a copy of the entry takes and leaves, and where the copy goes."""
    source = drafts.copy_source(person(), reference)
    if source is None:
        abort(404)
    # Read now: a refused copy rolls back, and the page must not load them again as it draws.
    copied_from = {
        "reference": source.entry.reference,
        "title": source.title or gettext("Untitled entry"),
        "organisation": source.entry.organisation.name,
    }
    form = CopyEntryForm()
    if not form.is_submitted():
        form.title.data = source.title
    organisations = _where_it_goes(form)
    copy = _started(
        form,
        organisations,
        lambda chosen, title: drafts.copy_entry(source, chosen, person(), title),
    )
    if copy is not None:
        flash(
            gettext(
                "This is a copy of %(reference)s. Check every answer, and give the ones a copy "
                "leaves out.",
                reference=copied_from["reference"],
            ),
            "success",
        )
        return redirect(task_list_url(copy))
    return render_template(
        "manage/copy_entry.html",
        source=copied_from,
        copied=drafts.what_is_copied(),
        not_copied=drafts.what_is_not_copied(),
        copy_form=form,
        organisations=organisations,
        problems=error_summary(form),
    )


@blueprint.route("/entries/<reference>/delete", methods=["GET", "POST"])
def delete_draft(reference: str) -> str | Response:
    """Ask, then delete a draft entry that was never published."""
    entry = entry_or_404(reference)
    if not drafts.may_delete(entry):
        return back_to_task_list(
            entry, gettext("Only a draft that has never been published can be deleted.")
        )
    form = DeleteDraftForm()
    if form.validate_on_submit():
        title = entry_title(entry)
        try:
            drafts.delete_draft(entry, person())
        except publishing.WorkflowError as refused:
            return back_to_task_list(entry, str(refused))
        flash(
            gettext(
                "The draft “%(title)s” (%(reference)s) has been deleted.",
                title=title,
                reference=reference,
            ),
            "success",
        )
        return redirect(url_for("manage.dashboard"))
    return render_entry_page("manage/delete_draft.html", entry, delete_form=form)
