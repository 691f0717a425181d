"""The dashboard, and starting a new entry."""

from __future__ import annotations

from datetime import date

from flask import redirect, render_template
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from .. import bulk, feedback, publishing, reviews, worklists
from ..forms.workflow import NewEntryForm
from ..mail import oversight as email_oversight
from .manage import blueprint, entry_title, error_summary, person, task_list_url


@blueprint.get("")
def dashboard() -> str:
    return dashboard_page()


def dashboard_page(bulk_problem: str = "") -> str:
    """The dashboard; with `bulk_problem`, what was wrong with a bulk action asked for from
    it (nothing chosen), shown beside its checkboxes."""
    user = person()
    not_recorded = worklists.not_recorded(user)
    # Publishers and administrators review entries and answer feedback; editors do neither.
    reviewer = user.is_admin or any(m.role == "publisher" for m in user.memberships)
    return render_template(
        "manage/dashboard.html",
        not_recorded_cells={
            item.entry.reference: [
                item.entry.source or "",
                f"{item.unanswered} question{'' if item.unanswered == 1 else 's'}",
            ]
            for item in not_recorded.items
        },
        bulk_actions=bulk.offers_bulk_actions(user),
        bulk_problem=bulk_problem,
        problems=[{"text": bulk_problem, "href": "#bulk-actions"}] if bulk_problem else [],
        not_recorded=not_recorded,
        by_state=worklists.entries_by_state(user),
        reviewer=reviewer,
        waiting=worklists.waiting_for_review_by(user) if reviewer else [],
        overdue=worklists.overdue_for_review(user, date.today()),
        due_soon=worklists.due_for_review_soon(user, date.today(), reviews.REMINDER_WINDOW),
        deals_with_feedback=reviewer,
        reported=feedback.open_problems(user),
        usefulness=feedback.usefulness(user),
        can_create=bool(user.is_admin or user.memberships),
        # The organisations whose API tokens the person looks after as a publisher.
        token_organisations=user.publishes_for(),
        entry_title=entry_title,
        # Administrators are told when email has not been going out for an hour.
        delayed_email=email_oversight.delayed() if user.is_admin else 0,
    )


@blueprint.route("/entries/new", methods=["GET", "POST"])
def new_entry() -> str | Response:
    user = person()
    organisations = worklists.organisations_for_new_entries(user)
    form = NewEntryForm()
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]
    if len(organisations) == 1 and not form.is_submitted():
        form.organisation.data = organisations[0].id
    if organisations and form.validate_on_submit():
        chosen = next(o for o in organisations if o.id == form.organisation.data)
        try:
            entry = publishing.create_entry(chosen, user)
        except publishing.WorkflowError as refused:
            form.organisation.errors.append(str(refused))
        else:
            return redirect(task_list_url(entry))
    return render_template(
        "manage/new_entry.html",
        new_entry_form=form,
        organisations=organisations,
        problems=error_summary(form),
    )
