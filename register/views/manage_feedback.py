"""Dealing with feedback from the public: reading a reported problem, resolving it (with a
public response if wanted), and hiding abusive feedback (administrators).

An item is visible to the publishers of its entry's organisation and to administrators;
for anyone else it does not exist (404).
"""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import feedback
from ..formatting import N_
from ..forms.entry import show_problems
from ..forms.feedback import HideFeedbackForm, ResolveFeedbackForm
from ..models import Feedback
from ..publishing import InvalidValues, WorkflowError
from .manage import blueprint, error_summary, person, render_entry_page

KIND_NAMES = {
    "problem": N_("Reported problem"),
    "useful": N_("Found the entry useful"),
    "not_useful": N_("Did not find the entry useful"),
}


def _item_or_404(feedback_id: int) -> Feedback:
    item = feedback.find(person(), feedback_id)
    if item is None:
        abort(404)
    return item


def _dashboard(message: str, category: str = "important") -> Response:
    flash(message, category)
    return redirect(url_for("manage.dashboard") + "#feedback")


def _page(item: Feedback, resolve_form: ResolveFeedbackForm, hide_form: HideFeedbackForm) -> str:
    retention = current_app.config["FEEDBACK_EMAIL_RETENTION_DAYS"]
    closed = item.closed_at
    email_deleted_on = closed + timedelta(days=retention) if closed else None
    return render_entry_page(
        "manage/feedback_item.html",
        item.entry,
        item=item,
        kind_name=gettext(KIND_NAMES[item.kind]) if item.kind in KIND_NAMES else item.kind,
        retention_days=retention,
        email_deleted_on=email_deleted_on,
        is_admin=person().is_admin,
        resolve_form=resolve_form,
        hide_form=hide_form,
        problems=error_summary(resolve_form),
    )


@blueprint.get("/feedback/<int(max=2147483647):feedback_id>")
def feedback_item(feedback_id: int) -> str:
    item = _item_or_404(feedback_id)
    return _page(item, ResolveFeedbackForm(formdata=None), HideFeedbackForm(formdata=None))


@blueprint.post("/feedback/<int(max=2147483647):feedback_id>/resolve")
def resolve_feedback(feedback_id: int) -> str | Response:
    item = _item_or_404(feedback_id)
    form = ResolveFeedbackForm()
    if form.validate():
        try:
            feedback.resolve(item, person(), form.response.data)
        except InvalidValues as refused:
            show_problems(form, refused.problems)
        except WorkflowError as refused:
            return _dashboard(str(refused))
        else:
            resolved = (
                gettext(
                    "The feedback is marked as resolved. Your response is shown on the entry page."
                )
                if item.response
                else gettext("The feedback is marked as resolved.")
            )
            return _dashboard(resolved, "success")
    return _page(item, form, HideFeedbackForm(formdata=None))


@blueprint.post("/feedback/<int(max=2147483647):feedback_id>/hide")
def hide_feedback(feedback_id: int) -> str | Response:
    item = _item_or_404(feedback_id)
    if not person().is_admin:
        abort(403)
    form = HideFeedbackForm()
    if not form.validate():
        abort(400)
    try:
        feedback.hide(item, person())
    except WorkflowError as refused:
        return _dashboard(str(refused))
    return _dashboard(
        gettext("The feedback is hidden. Any public response to it is no longer shown.")
    )
