"""Bulk actions from the dashboard: submit, publish or retire the entries a publisher ticks.

The dashboard's checkboxes send the entries chosen and the step by GET to the confirmation
page, which lists them, each with why it cannot take the step if it cannot (nothing changes
until the step is confirmed). Confirming posts the page's form; `bulk.apply` then takes the
step for all of them or, naming what stands in the way, for none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response

from .. import bulk, worklists
from ..formatting import N_
from ..forms.bulk import FORMS, BulkActionForm
from ..models import Entry
from .manage import blueprint, entry_title, error_summary, person
from .manage_dashboard import dashboard_page

# A reference as the register writes them; anything else is not looked up.
REFERENCE = re.compile(r"[A-Z]{2,10}-[0-9]{1,12}")
# Texts kept in English here are translated where they are shown.
NOT_FOUND = N_("There is no entry with this reference that you can change.")

TOO_MANY = N_("Choose at most %(count)s entries at a time")
NOTHING_CHOSEN = {
    bulk.SUBMIT: N_("Select the entries to submit for review"),
    bulk.PUBLISH: N_("Select the entries to publish"),
    bulk.RETIRE: N_("Select the entries to retire"),
}


@dataclass(frozen=True)
class Chosen:
    """One entry offered on the confirmation page."""

    reference: str
    title: str
    organisation: str
    state: str
    chosen: bool
    why_not: str


def _heading(action: str, count: int) -> str:
    """The confirmation page's title: the step, and how many entries it is for."""
    if action == bulk.SUBMIT:
        return ngettext(
            "Submit %(num)s entry for review", "Submit %(num)s entries for review", count
        )
    if action == bulk.PUBLISH:
        return ngettext("Publish %(num)s entry", "Publish %(num)s entries", count)
    return ngettext("Retire %(num)s entry", "Retire %(num)s entries", count)


def _done(action: str, count: int) -> str:
    """What the dashboard says once the step is taken."""
    if action == bulk.SUBMIT:
        return ngettext(
            "%(num)s entry submitted for review.", "%(num)s entries submitted for review.", count
        )
    if action == bulk.PUBLISH:
        return ngettext("%(num)s entry published.", "%(num)s entries published.", count)
    return ngettext(
        "%(num)s entry recorded as retired.", "%(num)s entries recorded as retired.", count
    )


def _references(values: list[str]) -> list[str]:
    """The references among `values`, each once, in order."""
    found = (value.strip().upper() for value in values)
    return list(dict.fromkeys(value for value in found if REFERENCE.fullmatch(value)))


def _words(form: BulkActionForm, name: str) -> str:
    """What the person typed in the form's field `name`, if the step's form has one."""
    field = getattr(form, name, None)
    return (field.data or "") if field is not None else ""


def _allowed(action: str) -> None:
    if not bulk.offers_bulk_actions(person()):
        abort(403)
    if action not in bulk.ACTIONS:
        abort(404)


def _page(
    form: BulkActionForm,
    action: str,
    offered: list[str],
    chosen: list[str],
    found: dict[str, Entry],
    why_not: dict[str, str],
) -> str:
    rows = [
        Chosen(
            reference=reference,
            title=entry_title(found[reference]) if reference in found else "",
            organisation=found[reference].organisation.name if reference in found else "",
            state=found[reference].state if reference in found else "",
            chosen=reference in chosen,
            why_not=gettext(why_not[reference]) if reference in why_not else "",
        )
        for reference in offered
    ]
    problems = error_summary(form)
    for number, row in enumerate(rows, start=1):
        if row.why_not and row.chosen:
            problems.append(
                {"text": f"{row.reference}: {row.why_not}", "href": f"#entries-{number}"}
            )
    if action == bulk.PUBLISH:
        form.change_note.description = gettext(
            "Needed for entries already published: say what is new in this version. The "
            "same note is kept with each of them."
        )
    return render_template(
        "manage/bulk_confirm.html",
        form=form,
        action=action,
        heading=_heading(action, len(chosen) or len(offered)),
        rows=rows,
        offered=offered,
        problems=problems,
        refused=any(row.why_not and row.chosen for row in rows),
    )


@blueprint.get("/bulk")
def bulk_choose() -> str:
    """The confirmation page for the entries ticked on the dashboard."""
    action = request.args.get("action", "")
    _allowed(action)
    offered = _references(request.args.getlist("entries"))
    if not offered or len(offered) > bulk.MOST_ENTRIES:
        return dashboard_page(
            gettext(TOO_MANY, count=bulk.MOST_ENTRIES)
            if offered
            else gettext(NOTHING_CHOSEN[action])
        )
    user = person()
    found = worklists.find_entries(user, offered)
    why_not = {reference: NOT_FOUND for reference in offered if reference not in found}
    step = bulk.Step(action)
    why_not |= bulk.why_not(step, user, [found[r] for r in offered if r in found])
    form = FORMS[action](formdata=None, action=action)
    found = worklists.find_entries(user, offered)  # as they are after the trial
    return _page(form, action, offered, offered, found, why_not)


@blueprint.post("/bulk")
def bulk_confirm() -> str | Response:
    """Take the step for the entries still ticked, all or none."""
    action = request.form.get("action", "")
    _allowed(action)
    form = FORMS[action]()
    user = person()
    offered = _references(form.offered.data or [])[: bulk.MOST_ENTRIES]
    chosen = [r for r in _references(form.entries.data or []) if r in offered]
    found = worklists.find_entries(user, offered)
    why_not = {reference: NOT_FOUND for reference in chosen if reference not in found}
    if form.validate_on_submit() and not why_not:
        if not chosen:
            form.entries.errors = [gettext(NOTHING_CHOSEN[action])]
        else:
            step = bulk.Step(
                action,
                reason=_words(form, "retirement_reason"),
                change_note=_words(form, "change_note"),
                retired_on=_words(form, "retired_on") or None,
            )
            try:
                bulk.apply(step, user, [found[r] for r in chosen])
            except bulk.BulkRefused as refused:
                why_not = refused.entries
                for name, problem in refused.problems.items():
                    field = getattr(form, name, None) or form.entries
                    field.errors = [*field.errors, gettext(problem)]
                found = worklists.find_entries(user, offered)
            else:
                flash(_done(action, len(chosen)), "success")
                return redirect(url_for("manage.dashboard"))
    return _page(form, action, offered, chosen, found, why_not)
