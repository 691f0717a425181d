"""The confirmation of a bulk action on the dashboard: the entries chosen, and the words the
step needs (a reason to retire, a change note to publish revisions). Whether each entry can
take the step is decided by `bulk`; this form only carries the choice and the CSRF token.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectMultipleField

from .workflow import PublishForm, RetireForm, button


class BulkActionForm(FlaskForm):
    """The entries chosen (checkboxes drawn by the page, one per entry offered), the entries
    offered (so that unticking every box still shows them), and the step."""

    action = HiddenField()
    entries = SelectMultipleField(_("Entries"), choices=[], validate_choice=False)
    offered = SelectMultipleField(_("Entries offered"), choices=[], validate_choice=False)


# The words each step needs are the single action's own fields.
class BulkRetireForm(BulkActionForm):
    retirement_reason = RetireForm.retirement_reason
    retired_on = RetireForm.retired_on
    confirm = button(_("Retire these tools"), "govuk-button--warning")


class BulkPublishForm(BulkActionForm):
    change_note = PublishForm.change_note
    confirm = button(_("Publish these entries"))


class BulkSubmitForm(BulkActionForm):
    confirm = button(_("Submit these entries for review"))


FORMS: dict[str, type[BulkActionForm]] = {
    "submit": BulkSubmitForm,
    "publish": BulkPublishForm,
    "retire": BulkRetireForm,
}
