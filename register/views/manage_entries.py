"""An entry's task list, its section pages, and checking the answers before submitting."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import comparison, permissions, plain_english, publishing, schema, withholding
from ..formatting import N_
from ..forms.entry import asked, section_form, show_problems, withholding_data
from ..forms.workflow import StartRevisionForm, SubmitForReviewForm
from ..models.entry import DRAFT
from ..schema.texts import shown
from ..schema.vocabularies import WITHHELD_REASON
from . import entry_summary, manage_clashes, session_end
from .manage import (
    blueprint,
    entry_or_404,
    error_summary,
    group_slug,
    latest_version,
    lock_from,
    not_editable,
    person,
    render_entry_page,
    section_or_404,
    task_list_url,
)

SAVED = N_("Your answers have been saved.")


@blueprint.get("/entries/<reference>")
def task_list(reference: str) -> str:
    entry = entry_or_404(reference)
    version = latest_version(entry)
    user = person()
    return render_entry_page(
        "manage/task_list.html",
        entry,
        version=version,
        progress=entry_summary.progress_of(version),
        can_review=permissions.can_review(user, entry),
        is_admin=user.is_admin,
        revision_form=StartRevisionForm(),
    )


def _next_page(entry, section: schema.Section) -> str:
    """Where "Save and continue" goes: the next section, or checking the answers."""
    slugs = [s.slug for s in schema.SECTIONS]
    position = slugs.index(section.slug)
    if position + 1 < len(slugs):
        return url_for(
            "manage.section", reference=entry.reference, section_slug=slugs[position + 1]
        )
    return url_for("manage.check", reference=entry.reference)


@blueprint.route("/entries/<reference>/<section_slug>", methods=["GET", "POST"])
def section(reference: str, section_slug: str) -> str | Response:
    entry = entry_or_404(reference)
    section = section_or_404(section_slug)
    if entry.state != DRAFT or entry.draft is None:
        return not_editable(entry)
    draft = entry.draft
    fields = asked(section)
    form_class = section_form(section.slug)
    clashes: list[comparison.Clash] = []
    unsettled: dict[str, str] = {}
    if request.method == "GET":
        # Answers sent after the session ended come back as typed, not yet saved.
        kept = session_end.kept_answers_here()
        data = {
            **publishing.values_of(draft),
            **withholding_data(withholding.withheld_of(draft)),
        }
        form = form_class(formdata=kept, data=data, lock_version=str(draft.lock_version))
        started_from = comparison.fingerprints(fields, publishing.values_of(draft))
        if kept is not None:
            started_from = kept.get(manage_clashes.STARTED_FROM, started_from)
    else:
        form = form_class()
        based_on = lock_from(form)
        # Kept as the person first opened the page, through every clash, like the lock.
        started_from = request.form.get(manage_clashes.STARTED_FROM, "")
        if form.validate():
            try:
                manage_clashes.save_section(
                    entry,
                    person(),
                    fields,
                    started_from,
                    form.answers(fields),
                    based_on,
                    withheld=form.withholdings(),
                )
            except manage_clashes.Unsettled as refused:
                clashes, unsettled = refused.clashes, refused.problems
            except manage_clashes.Clashed as refused:
                form.form_errors.append(str(refused))
                clashes = refused.clashes
            except publishing.InvalidValues as refused:
                show_problems(form, refused.problems)
            except publishing.WorkflowError:
                return not_editable(entry)
            else:
                return _after_saving(entry, section, form)
        elif manage_clashes.merging_from() is not None:
            # Keep asking about the clashes while the person corrects their other answers.
            saved = publishing.values_of(draft)
            clashes = comparison.clashes(fields, started_from, saved, form.answers(fields))
    rows = publishing.rows_of(draft)
    clashing = {clash.field for clash in clashes}
    conflict = manage_clashes.conflict_view(
        entry, section_form=form, clashes=clashes, problems=unsettled
    )
    return render_entry_page(
        "manage/section.html",
        entry,
        section=section,
        section_form=form,
        questions=form.questions(tuple(f for f in fields if f not in clashing)),
        withheld=withholding.withheld_of(draft),
        withheld_reasons=[(c.code, shown(c.label)) for c in WITHHELD_REASON.choices],
        # Advice on the saved answers: shown beside them, never stopping a save.
        advice=plain_english.advice_for(publishing.values_of(draft)),
        groups=[
            {
                "group": group,
                "slug": group_slug(group),
                "rows": [
                    {
                        "title": entry_summary.row_title(group, row, number),
                        "answers": entry_summary.row_answers(group, row),
                        "number": number,
                    }
                    for number, row in enumerate(rows[group.name], start=1)
                ],
            }
            for group in section.groups
        ],
        started_from=started_from,
        conflict=conflict,
        # A clash is explained where the person chooses between the answers.
        problems=error_summary(form, explained_at="#changes" if clashes else "")
        + manage_clashes.conflict_problems(conflict),
    )


def _after_saving(entry, section: schema.Section, form) -> Response:
    wanted_group = request.form.get("add_row", "")
    for group in section.groups:
        if group.name == wanted_group:
            return redirect(
                url_for("manage.add_row", reference=entry.reference, group=group_slug(group))
            )
    if form.save_as_draft.data:
        flash(gettext(SAVED), "success")
        return redirect(task_list_url(entry))
    return redirect(_next_page(entry, section))


@blueprint.get("/entries/<reference>/check")
def check(reference: str) -> str:
    entry = entry_or_404(reference)
    return _check_page(entry, SubmitForReviewForm())


def _check_page(entry, form: SubmitForReviewForm, not_ready: list | None = None) -> str:
    version = latest_version(entry)
    progress = entry_summary.progress_of(version)
    problems = [
        {"text": shown(p.message), "href": entry_summary.section_href(entry, p.section, p.field)}
        for p in not_ready or []
    ]
    return render_entry_page(
        "manage/check.html",
        entry,
        summary=entry_summary.summary_cards(entry, version, progress.problems),
        progress=progress,
        editable=entry.state == DRAFT,
        submit_form=form,
        problems=problems,
    )


@blueprint.post("/entries/<reference>/submit")
def submit(reference: str) -> str | Response:
    entry = entry_or_404(reference)
    form = SubmitForReviewForm()
    try:
        publishing.submit(entry, person())
    except publishing.NotReady as refused:
        return _check_page(entry, form, refused.problems)
    except publishing.WorkflowError:
        return not_editable(entry)
    flash(gettext("The entry has been submitted for review. A publisher will check it."), "success")
    return redirect(task_list_url(entry))
