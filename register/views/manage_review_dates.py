"""An entry's review date: confirming the public version is still accurate (a review, with
no new version), or moving the next review date. For its publishers and administrators."""

from __future__ import annotations

from datetime import date

from flask import redirect, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import published, reviews
from ..formatting import N_, day
from ..forms.entry import show_problems
from ..forms.feedback import ReviewDateForm, StillAccurateForm
from ..models import Entry
from ..publishing import InvalidValues, WorkflowError
from .manage import (
    back_to_task_list,
    blueprint,
    error_summary,
    person,
    render_entry_page,
    reviewable_or_403,
)

NOT_PUBLIC = N_("Only an entry with a public version has a review date.")


def _page(entry: Entry, date_form: ReviewDateForm, still_accurate_form: StillAccurateForm) -> str:
    today = date.today()
    return render_entry_page(
        "manage/review_date.html",
        entry,
        overdue=published.is_overdue(entry, today),
        next_due_if_confirmed=today + reviews.REVIEW_INTERVAL,
        date_form=date_form,
        still_accurate_form=still_accurate_form,
        problems=error_summary(date_form),
    )


@blueprint.route("/entries/<reference>/review-date", methods=["GET", "POST"])
def review_date(reference: str) -> str | Response:
    entry = reviewable_or_403(reference)
    if not published.is_public(entry):
        return back_to_task_list(entry, gettext(NOT_PUBLIC))
    form = ReviewDateForm()
    if not form.is_submitted():
        form.next_review_due.data = entry.next_review_due
    elif form.validate():
        try:
            reviews.change_review_date(entry, person(), form.next_review_due.data, date.today())
        except InvalidValues as refused:
            show_problems(form, refused.problems)
        except WorkflowError as refused:
            return back_to_task_list(entry, str(refused))
        else:
            return back_to_task_list(
                entry,
                gettext("The next review is due by %(date)s.", date=day(entry.next_review_due)),
                "success",
            )
    return _page(entry, form, StillAccurateForm(formdata=None))


@blueprint.post("/entries/<reference>/still-accurate")
def still_accurate(reference: str) -> Response:
    entry = reviewable_or_403(reference)
    form = StillAccurateForm()
    if not form.validate():
        return redirect(url_for("manage.review_date", reference=entry.reference))
    try:
        due = reviews.confirm_still_accurate(entry, person(), date.today())
    except WorkflowError as refused:
        return back_to_task_list(entry, str(refused))
    return back_to_task_list(
        entry,
        gettext(
            "Review recorded: the entry is still accurate. The next review is due by %(date)s.",
            date=day(due),
        ),
        "success",
    )
