"""The dashboard."""

from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import ngettext

from .. import bulk, feedback, reviews, worklists
from ..formatting import day
from ..links import checks as link_checks
from ..mail import oversight as email_oversight
from .manage import blueprint, entry_title, person


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
    by_state = worklists.entries_by_state(user)
    broken_links = worklists.broken_links(user)
    return render_template(
        "manage/dashboard.html",
        not_recorded_cells={
            item.entry.reference: [
                item.entry.source or "",
                ngettext("%(num)s question", "%(num)s questions", item.unanswered),
            ]
            for item in not_recorded.items
        },
        bulk_actions=bulk.offers_bulk_actions(user),
        bulk_problem=bulk_problem,
        problems=[{"text": bulk_problem, "href": "#bulk-actions"}] if bulk_problem else [],
        not_recorded=not_recorded,
        by_state=by_state,
        # Entries a publisher sent back, tagged "Changes requested" wherever they are listed.
        sent_back={
            entry.reference
            for group in by_state
            for entry in group.entries
            if worklists.is_sent_back(entry)
        },
        reviewer=reviewer,
        waiting=worklists.waiting_for_review_by(user) if reviewer else [],
        overdue=worklists.overdue_for_review(user, date.today()),
        broken_links=list(broken_links),
        broken_link_cells={
            entry.reference: [
                "; ".join(link_checks.described(row) for row in rows),
                day(rows[0].failing_since),
            ]
            for entry, rows in broken_links.items()
        },
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
