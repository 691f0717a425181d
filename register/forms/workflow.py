"""Forms that move an entry through the workflow: create (or copy), submit, review, revise,
retire, withdraw and delete a draft. Whether an action is allowed, and what it needs, is
decided by `publishing` and `drafts`; these forms only carry the person's words and the CSRF
token.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from ..schema import REGISTER_FIELDS, section
from . import legend
from .entry import Follows, tidy
from .widgets import CharacterCount

# Free text kept with a workflow step (a comment, a reason); the change note has its own limit.
NOTE_LENGTH = 2000
CHANGE_NOTE = next(field for field in REGISTER_FIELDS if field.name == "change_note")
RETIRED_ON = next(field for field in section("about").fields if field.name == "retired_on")
TITLE = next(field for field in section("about").fields if field.name == "title")


def _note(
    label: str, hint: str = "", max_length: int = NOTE_LENGTH, *, required: str = ""
) -> TextAreaField:
    """Free text; with `required`, the message for leaving it empty (said with the form's
    other errors, before the workflow is asked)."""
    return TextAreaField(
        label,
        description=hint,
        widget=CharacterCount(),
        filters=[tidy],
        validators=[
            *([DataRequired(required)] if required else []),
            Length(
                max=max_length,
                message=_(
                    "%(label)s must be %(count)s characters or fewer", label=label, count=max_length
                ),
            ),
        ],
        render_kw={"params": {"maxlength": max_length, "label": {"classes": "govuk-label--s"}}},
    )


def button(text: str, classes: str = "") -> SubmitField:
    params = {"classes": classes} if classes else {}
    return SubmitField(text, widget=GovSubmitInput(), render_kw={"params": params})


def _organisation() -> RadioField:
    return RadioField(
        _("Which organisation uses the tool?"),
        coerce=int,
        widget=GovRadioInput(),
        validators=[InputRequired(_("Select the organisation that uses the tool"))],
        invalid_value_message=_("Select the organisation that uses the tool"),
        invalid_choice_message=_("Select the organisation that uses the tool"),
        render_kw={"params": legend(_("Which organisation uses the tool?"), "m")},
    )


def _title() -> StringField:
    return StringField(
        _("What is the tool called?"),
        description=_(TITLE.hint),  # the record's own text, in the page's language
        widget=GovTextInput(),
        filters=[tidy],
        validators=[InputRequired(_("Enter the tool’s title")), Follows(TITLE)],
        render_kw={"params": {"label": {"classes": "govuk-label--m"}}},
    )


class NewEntryForm(FlaskForm):
    """The first answers of a new entry, which is created when they are saved."""

    title = _title()
    organisation = _organisation()
    create = button(_("Save and continue"))


class CopyEntryForm(FlaskForm):
    """Where a copy of an entry goes, and what it is called there."""

    title = _title()
    organisation = _organisation()
    copy = button(_("Create the copy"))


class FindEntryToCopyForm(FlaskForm):
    """A reference or words of a title, to find the entry to copy (sent with GET)."""

    class Meta:
        csrf = False

    q = StringField(
        _("Reference or title of the entry to copy"),
        description=_("For example, AIR-00042 or “housing repairs”"),
        widget=GovTextInput(),
        filters=[tidy],
        validators=[InputRequired(_("Enter a reference or words from a title"))],
        render_kw={"params": {"label": {"classes": "govuk-label--s"}}},
    )
    search = button(_("Find entries"), "govuk-button--secondary")


class DeleteDraftForm(FlaskForm):
    delete = button(_("Delete this draft"), "govuk-button--warning")


class SubmitForReviewForm(FlaskForm):
    submit_for_review = button(_("Submit for review"))


class PublishForm(FlaskForm):
    change_note = TextAreaField(
        _(CHANGE_NOTE.label),
        widget=CharacterCount(),
        filters=[tidy],
        validators=[Follows(CHANGE_NOTE)],
        render_kw={
            "params": {
                "maxlength": CHANGE_NOTE.max_length,
                "label": {"classes": "govuk-label--s"},
            }
        },
    )
    publish = button(_("Publish"))


class SendBackForm(FlaskForm):
    comment = _note(
        _("What needs to change"), _("Your comment is shown to the organisation’s editors")
    )
    send_back = button(_("Send back"), "govuk-button--secondary")


class StartRevisionForm(FlaskForm):
    start_revision = button(_("Update this entry"), "govuk-button--secondary")


class RetireForm(FlaskForm):
    retirement_reason = _note(
        _("Why is the tool no longer used?"),
        _("This is shown to the public"),
        required=_("Enter the reason the tool was retired"),
    )
    retired_on = StringField(
        _("When was it retired?"),
        description=_("%(hint)s. Leave empty for today.", hint=_(RETIRED_ON.hint)),
        widget=GovTextInput(),
        filters=[tidy],
        validators=[Follows(RETIRED_ON)],
        render_kw={
            "params": {"classes": "govuk-input--width-10", "label": {"classes": "govuk-label--s"}}
        },
    )
    # First the answers are checked and the page shows how the public will read them; then
    # the person confirms, or goes back to change them.
    check = button(_("Continue"))
    change = button(_("Change your answers"), "govuk-button--secondary")
    retire = button(_("Retire this tool"), "govuk-button--warning")


class WithdrawForm(FlaskForm):
    reason = _note(
        _("Why is the entry being withdrawn?"),
        _("This is shown to the public"),
        required=_("Enter the reason, which will be shown to the public"),
    )
    understood = BooleanField(
        _("I understand that withdrawing cannot be undone"),
        widget=GovCheckboxInput(),
        validators=[DataRequired(_("Confirm that you understand withdrawing cannot be undone"))],
    )
    withdraw = button(_("Withdraw this entry"), "govuk-button--warning")
