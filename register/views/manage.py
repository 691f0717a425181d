"""The pages where public servants record, review and publish their organisation's entries.

Everything under /manage needs a signed-in person. An entry of an organisation the person
does not belong to answers 404 on every URL (administrators see all), so even the reference
of someone else's draft is not revealed; an entry the person can see but not act on in that
way answers 403. The routes live in the `manage_*` modules by feature; this module holds the
blueprint and the rules they share.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import formatting, permissions, schema, worklists
from ..models import Entry, User
from ..models.entry import IN_REVIEW, PUBLISHED
from . import session_end

blueprint = Blueprint("manage", __name__, url_prefix="/manage")


@blueprint.before_request
def signed_in_only() -> Response | None:
    if not current_user.is_authenticated:
        # A form sent after the session ended: its answers are kept for after signing in.
        return session_end.after_session_end() or current_app.login_manager.unauthorized()
    return None


def person() -> User:
    """The signed-in person, as the model the domain functions take."""
    return current_user._get_current_object()


def entry_or_404(reference: str) -> Entry:
    """The entry, if the signed-in person may see it; otherwise, as far as they know, none."""
    entry = worklists.find_entry(person(), reference)
    if entry is None:
        abort(404)
    return entry


def reviewable_or_403(reference: str) -> Entry:
    """The entry, if the signed-in person is one of its publishers or an administrator."""
    entry = entry_or_404(reference)
    if not permissions.can_review(person(), entry):
        abort(403)
    return entry


def section_or_404(slug: str) -> schema.Section:
    try:
        return schema.section(slug)
    except KeyError:
        abort(404)


def group_or_404(slug: str) -> tuple[schema.Section, schema.Group]:
    """The repeating group whose web address is `slug` (like `data-sources`), and its section."""
    for section in schema.SECTIONS:
        for group in section.groups:
            if group_slug(group) == slug:
                return section, group
    abort(404)


def group_slug(group: schema.Group) -> str:
    return group.name.replace("_", "-")


def latest_version(entry: Entry) -> Any:
    """What the entry says now: its working copy, else its public version, else its last one."""
    return entry.draft or entry.current_version or (entry.versions[-1] if entry.versions else None)


def entry_title(entry: Entry) -> str:
    """The title of an entry's latest version in the page's language (`formatting.entry_title`),
    or "Untitled entry"."""
    version = latest_version(entry)
    return formatting.entry_title(version) if version else gettext("Untitled entry")


def task_list_url(entry: Entry) -> str:
    return url_for("manage.task_list", reference=entry.reference)


def back_to_task_list(entry: Entry, message: str, category: str = "important") -> Response:
    flash(message, category)
    return redirect(task_list_url(entry))


def not_editable(entry: Entry) -> Response:
    """Where someone lands who tries to change an entry that has no draft to change."""
    if entry.state == IN_REVIEW:
        message = gettext(
            "This entry is waiting for review. A publisher must send it back before it can be "
            "changed."
        )
    elif entry.state == PUBLISHED:
        message = gettext(
            "This entry is published. Choose “Update this entry” to start a new version."
        )
    else:
        message = gettext("This entry has been withdrawn and can no longer be changed.")
    return back_to_task_list(entry, message)


def error_summary(*forms: FlaskForm, explained_at: str = "") -> list[dict[str, str]]:
    """The GOV.UK error summary's items for `forms`: the first error of each field, linked
    to the field, then errors about a form as a whole, linked to `explained_at` if given."""
    items = []
    for form in forms:
        for field in form:
            if field.errors:
                items.append({"text": field.errors[0], "href": f"#{field.id}"})
        for error in form.form_errors:
            items.append({"text": error, "href": explained_at} if explained_at else {"text": error})
    return items


def render_entry_page(template: str, entry: Entry, **context: Any) -> str:
    """A page about one entry, which its layout heads with the entry's reference and title;
    a sent-back entry's pages show what the publisher asked to change."""
    return render_template(
        template,
        entry=entry,
        title=entry_title(entry),
        changes_requested=worklists.changes_requested(entry),
        **context,
    )


def lock_from(form: Any) -> int:
    """The lock version a form was based on; a form without a sensible one was tampered with."""
    based_on = form.based_on()
    if based_on is None:
        abort(400)
    return based_on
