"""Forms that move an entry through the workflow: create (or copy), submit, review, revise,
retire, withdraw and delete a draft. Whether an action is allowed, and what it needs, is
decided by `publishing` and `drafts`; these forms only carry the person's words and the CSRF
token.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
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
        widget=GovCharacterCount(),
        filters=[tidy],
        validators=[
            *([DataRequired(required)] if required else []),
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"),
        ],
        render_kw={"params": {"maxlength": max_length, "label": {"classes": "govuk-label--s"}}},
    )


def button(text: str, classes: str = "") -> SubmitField:
    params = {"classes": classes} if classes else {}
    return SubmitField(text, widget=GovSubmitInput(), render_kw={"params": params})


def _organisation() -> RadioField:
    return RadioField(
        "Which organisation uses the tool?",
        coerce=int,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the organisation that uses the tool")],
        invalid_value_message="Select the organisation that uses the tool",
        invalid_choice_message="Select the organisation that uses the tool",
        render_kw={"params": legend("Which organisation uses the tool?", "m")},
    )


def _title() -> StringField:
    return StringField(
        "What is the tool called?",
        description=TITLE.hint,
        widget=GovTextInput(),
        filters=[tidy],
        validators=[InputRequired("Enter the tool’s title"), Follows(TITLE)],
        render_kw={"params": {"label": {"classes": "govuk-label--m"}}},
    )


class NewEntryForm(FlaskForm):
    """The first answers of a new entry, which is created when they are saved."""

    title = _title()
    organisation = _organisation()
    create = button("Save and continue")


class CopyEntryForm(FlaskForm):
    """Where a copy of an entry goes, and what it is called there."""

    title = _title()
    organisation = _organisation()
    copy = button("Create the copy")


class FindEntryToCopyForm(FlaskForm):
    """A reference or words of a title, to find the entry to copy (sent with GET)."""

    class Meta:
        csrf = False

    q = StringField(
        "Reference or title of the entry to copy",
        description="For example, AIR-00042 or “housing repairs”",
        widget=GovTextInput(),
        filters=[tidy],
        validators=[InputRequired("Enter a reference or words from a title")],
        render_kw={"params": {"label": {"classes": "govuk-label--s"}}},
    )
    search = button("Find entries", "govuk-button--secondary")


class DeleteDraftForm(FlaskForm):
    delete = button("Delete this draft", "govuk-button--warning")


class SubmitForReviewForm(FlaskForm):
    submit_for_review = button("Submit for review")


class PublishForm(FlaskForm):
    change_note = TextAreaField(
        CHANGE_NOTE.label,
        widget=GovCharacterCount(),
        filters=[tidy],
        validators=[Follows(CHANGE_NOTE)],
        render_kw={
            "params": {
                "maxlength": CHANGE_NOTE.max_length,
                "label": {"classes": "govuk-label--s"},
            }
        },
    )
    publish = button("Publish")


class SendBackForm(FlaskForm):
    comment = _note("What needs to change", "Your comment is shown to the organisation’s editors")
    send_back = button("Send back", "govuk-button--secondary")


class StartRevisionForm(FlaskForm):
    start_revision = button("Update this entry", "govuk-button--secondary")


class RetireForm(FlaskForm):
    retirement_reason = _note(
        "Why is the tool no longer used?",
        "This is shown to the public",
        required="Enter the reason the tool was retired",
    )
    retired_on = StringField(
        "When was it retired?",
        description=f"{RETIRED_ON.hint}. Leave empty for today.",
        widget=GovTextInput(),
        filters=[tidy],
        validators=[Follows(RETIRED_ON)],
        render_kw={
            "params": {"classes": "govuk-input--width-10", "label": {"classes": "govuk-label--s"}}
        },
    )
    # First the answers are checked and the page shows how the public will read them; then
    # the person confirms, or goes back to change them.
    check = button("Continue")
    change = button("Change your answers", "govuk-button--secondary")
    retire = button("Retire this tool", "govuk-button--warning")


class WithdrawForm(FlaskForm):
    reason = _note(
        "Why is the entry being withdrawn?",
        "This is shown to the public",
        required="Enter the reason, which will be shown to the public",
    )
    understood = BooleanField(
        "I understand that withdrawing cannot be undone",
        widget=GovCheckboxInput(),
        validators=[DataRequired("Confirm that you understand withdrawing cannot be undone")],
    )
    withdraw = button("Withdraw this entry", "govuk-button--warning")
