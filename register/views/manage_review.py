"""Reviewing a submitted entry (publish or send back), or a whole import's entries at once,
starting a revision of a published one, retiring and withdrawing, and an entry's history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import authorship, published, publishing, worklists
from ..comparison import Comparison, compare
from ..formatting import N_, number
from ..forms.entry import show_problems
from ..forms.import_batch import PublishBatchForm
from ..forms.workflow import (
    PublishForm,
    RetireForm,
    SendBackForm,
    WithdrawForm,
)
from ..importing import batches
from ..models import Entry, EntryVersion
from ..models.entry import IN_REVIEW, PUBLISHED
from . import entry_changes, entry_display, entry_summary
from .manage import (
    back_to_task_list,
    blueprint,
    entry_or_404,
    error_summary,
    person,
    render_entry_page,
    reviewable_or_403,
    task_list_url,
)

# How each audit log action reads to a person (the page translates each).
ACTIONS = {
    "created": N_("Created"),
    "saved": N_("Saved answers"),
    "submitted": N_("Submitted for review"),
    "sent_back": N_("Sent back"),
    "published": N_("Published"),
    "revision_started": N_("Started a new version"),
    "retired": N_("Retired"),
    "withdrawn": N_("Withdrawn"),
    "reviewed": N_("Reviewed: still accurate"),
    "review_date_changed": N_("Changed the review date"),
    "feedback_resolved": N_("Resolved feedback"),
    "feedback_hidden": N_("Hid feedback"),
}


@blueprint.get("/entries/<reference>/review")
def review(reference: str) -> str | Response:
    entry = reviewable_or_403(reference)
    if entry.state != IN_REVIEW:
        return back_to_task_list(entry, gettext("This entry is not waiting for review."))
    return _review_page(entry, PublishForm(), SendBackForm())


def _review_page(
    entry: Entry, publish_form: PublishForm, send_back_form: SendBackForm, refusal: str = ""
) -> str:
    version = entry.draft
    progress = entry_summary.progress_of(version)
    problems = error_summary(publish_form, send_back_form)
    if refusal:
        problems.insert(0, {"text": refusal, "href": "#publish"})
    publish_form.change_note.description = (
        gettext("What is new in this version, for the people who follow the entry")
        if entry.published_versions
        else gettext("Optional for the first version")
    )
    # What the public would see change: the revision against the version published now.
    published = entry.current_version
    comparison, changes = _compared(published, version) if published else (None, [])
    # The two-person rule, said before the publisher tries, with whoever else may publish.
    own_submission = authorship.refusal_to_publish(entry, person())
    other_reviewers = authorship.other_reviewers(entry, person()) if own_submission else []
    return render_entry_page(
        "manage/review.html",
        entry,
        imported=entry_display.imported_from(entry),
        batch_id=entry.provenance[-1].batch_id if entry.provenance else None,
        summary=entry_summary.summary_cards(entry, version, progress.problems),
        progress=progress,
        published=published,
        comparison=comparison,
        changes=changes,
        own_submission=own_submission,
        other_reviewers=[reviewer.name or reviewer.email for reviewer in other_reviewers],
        publish_form=publish_form,
        send_back_form=send_back_form,
        problems=problems,
    )


@blueprint.post("/entries/<reference>/review/publish")
def publish(reference: str) -> str | Response:
    entry = reviewable_or_403(reference)
    form = PublishForm()
    if not form.validate():
        return _review_page(entry, form, SendBackForm(formdata=None))
    try:
        version = publishing.publish(entry, person(), form.change_note.data or "")
    except publishing.NotAllowed as refused:
        return _review_page(entry, form, SendBackForm(formdata=None), str(refused))
    except publishing.InvalidValues as refused:
        show_problems(form, refused.problems)
        return _review_page(entry, form, SendBackForm(formdata=None))
    except publishing.NotReady as refused:
        first = refused.problems[0].message if refused.problems else ""
        return _review_page(
            entry,
            form,
            SendBackForm(formdata=None),
            gettext("%(refusal)s For example: %(problem)s", refusal=refused, problem=first),
        )
    except publishing.WorkflowError as refused:
        return back_to_task_list(entry, str(refused))
    flash(
        gettext(
            "Version %(number)s of %(reference)s is published.",
            number=version.number,
            reference=entry.reference,
        ),
        "success",
    )
    return redirect(task_list_url(entry))


@blueprint.post("/entries/<reference>/review/send-back")
def send_back(reference: str) -> str | Response:
    entry = reviewable_or_403(reference)
    form = SendBackForm()
    done = _step(
        entry,
        form,
        lambda: publishing.send_back(entry, person(), form.comment.data or ""),
        gettext("The entry has been sent back to its editors with your comment."),
    )
    return done or _review_page(entry, PublishForm(formdata=None), form)


def _step(entry: Entry, form: FlaskForm, action: Callable[[], Any], done: str) -> Response | None:
    """Take a workflow step for a form that was sent and is valid: back to the task list
    saying it is `done`, or saying why the entry's state refuses it. None when there is no
    step to take yet, or the person's words need correcting (shown at their fields)."""
    if request.method != "POST" or not form.validate():
        return None
    try:
        action()
    except publishing.InvalidValues as refused:
        show_problems(form, refused.problems)
        return None
    except publishing.WorkflowError as refused:
        return back_to_task_list(entry, str(refused))
    return back_to_task_list(entry, done, "success")


@blueprint.post("/entries/<reference>/revise")
def start_revision(reference: str) -> Response:
    entry = entry_or_404(reference)
    try:
        publishing.start_revision(entry, person())
    except publishing.WorkflowError as refused:
        return back_to_task_list(entry, str(refused))
    return back_to_task_list(
        entry,
        gettext(
            "You are now editing a new version. The published version stays public until this "
            "one is published."
        ),
        "success",
    )


@blueprint.route("/entries/<reference>/retire", methods=["GET", "POST"])
def retire(reference: str) -> str | Response:
    entry = reviewable_or_403(reference)
    if entry.state != PUBLISHED:
        return back_to_task_list(entry, gettext("Only a published entry can be retired."))
    form = RetireForm()
    if form.retire.data:  # confirmed, having seen what the public will read
        done = _step(
            entry,
            form,
            lambda: publishing.retire(
                entry, person(), form.retirement_reason.data or "", form.retired_on.data or None
            ),
            gettext("The tool is recorded as retired."),
        )
        if done:
            return done
    elif request.method == "POST" and form.validate() and not form.change.data:
        return render_entry_page(
            "manage/retire.html",
            entry,
            retire_form=form,
            preview=_as_retired(entry, form.retirement_reason.data, form.retired_on.data),
        )
    return render_entry_page(
        "manage/retire.html", entry, retire_form=form, problems=error_summary(form)
    )


def _as_retired(entry: Entry, reason: str, retired_on: str) -> dict[str, Any]:
    """How the top of the entry's public page will read once it is retired, shown by the
    public page's own notice."""
    version = entry.current_version
    retired = SimpleNamespace(
        status="retired",
        retired_on=retired_on or date.today().isoformat(),
        retirement_reason=reason,
    )
    return {"title": version.title, "retirement": entry_display.retirement(retired)}


@blueprint.route("/entries/<reference>/withdraw", methods=["GET", "POST"])
def withdraw(reference: str) -> str | Response:
    entry = entry_or_404(reference)
    if not person().is_admin:
        abort(403)
    if not published.is_public(entry):
        return back_to_task_list(
            entry, gettext("Only an entry that is or was public can be withdrawn.")
        )
    form = WithdrawForm()
    done = _step(
        entry,
        form,
        lambda: publishing.withdraw(entry, person(), form.reason.data or ""),
        gettext("The entry has been withdrawn."),
    )
    return done or render_entry_page(
        "manage/withdraw.html", entry, withdraw_form=form, problems=error_summary(form)
    )


@blueprint.get("/entries/<reference>/history")
def history(reference: str) -> str:
    entry = reviewable_or_403(reference)
    return render_entry_page(
        "manage/history.html",
        entry,
        events=worklists.history_of(entry),
        actions=ACTIONS,
    )


# A whole import at once --------------------------------------------------------------------


def _batch_or_404(batch_id: int) -> batches.BatchReview:
    review = batches.review_of(batch_id, person())
    if review is None:
        abort(404)
    return review


def _compared(
    before: EntryVersion, after: EntryVersion
) -> tuple[Comparison, list[entry_changes.ShownSection]]:
    """What `after` changes in `before`, and its changed sections as the public changes page
    shows them."""
    comparison = compare(
        publishing.values_of(before),
        publishing.rows_of(before),
        publishing.values_of(after),
        publishing.rows_of(after),
    )
    return comparison, entry_changes.show_comparison(comparison)[0]


def _changes(item: batches.WaitingEntry) -> list[entry_changes.ShownSection]:
    """What an update changes in the published entry, as the public changes page shows it."""
    if item.current is None:
        return []
    return _compared(item.current, item.draft)[1]


@blueprint.get("/imports/<int:batch_id>/review")
def batch_review(batch_id: int) -> str:
    """An import's entries waiting for review: the new ones listed, each update's changes
    shown, and the way to publish them all at once."""
    review = _batch_or_404(batch_id)
    return render_template(
        "manage/import_batch_review.html",
        review=review,
        changes={item.entry.id: _changes(item) for item in review.publishable},
    )


@blueprint.route("/imports/<int:batch_id>/review/publish", methods=["GET", "POST"])
def batch_publish(batch_id: int) -> str | Response:
    """Confirm, then publish every entry of the import the person may publish."""
    review = _batch_or_404(batch_id)
    form = PublishBatchForm()
    if form.validate_on_submit():
        try:
            count = batches.publish_batch(batch_id, person(), form.entries.data or "")
        except publishing.NotReady as refused:
            first = refused.problems[0].message if refused.problems else ""
            flash(
                gettext(
                    "Nothing was published. %(refusal)s For example: %(problem)s",
                    refusal=refused,
                    problem=first,
                )
            )
        except publishing.WorkflowError as refused:
            flash(gettext("Nothing was published. %(refusal)s", refusal=refused))
        else:
            flash(
                ngettext(
                    "%(count)s entry is published.",
                    "%(count)s entries are published.",
                    count,
                    count=number(count),
                ),
                "success",
            )
            return redirect(url_for("manage.dashboard"))
        return redirect(url_for("manage.batch_review", batch_id=batch_id))
    if not review.publishable:
        return redirect(url_for("manage.batch_review", batch_id=batch_id))
    form.entries.data = review.fingerprint
    return render_template("manage/import_batch_confirm.html", review=review, form=form)
