"""Forms that move an entry through the workflow: create, submit, review, revise, retire and
withdraw. Whether an action is allowed, and what it needs, is decided by `publishing`; these
forms only carry the person's words and the CSRF token.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from ..schema import REGISTER_FIELDS, section
from . import legend
from .entry import Follows, tidy

# Free text kept with a workflow step (a comment, a reason); the change note has its own limit.
NOTE_LENGTH = 2000
CHANGE_NOTE = next(field for field in REGISTER_FIELDS if field.name == "change_note")
RETIRED_ON = next(field for field in section("about").fields if field.name == "retired_on")


def _note(label: str, hint: str = "", max_length: int = NOTE_LENGTH) -> TextAreaField:
    return TextAreaField(
        label,
        description=hint,
        widget=GovCharacterCount(),
        filters=[tidy],
        validators=[
            Length(max=max_length, message=f"{label} must be {max_length} characters or fewer")
        ],
        render_kw={"params": {"maxlength": max_length, "label": {"classes": "govuk-label--s"}}},
    )


def button(text: str, classes: str = "") -> SubmitField:
    params = {"classes": classes} if classes else {}
    return SubmitField(text, widget=GovSubmitInput(), render_kw={"params": params})


class NewEntryForm(FlaskForm):
    organisation = RadioField(
        "Which organisation uses the tool?",
        coerce=int,
        widget=GovRadioInput(),
        validators=[InputRequired("Select the organisation that uses the tool")],
        invalid_value_message="Select the organisation that uses the tool",
        invalid_choice_message="Select the organisation that uses the tool",
        render_kw={"params": legend("Which organisation uses the tool?", "m")},
    )
    create = button("Create an entry")


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
    retirement_reason = _note("Why is the tool no longer used?", "This is shown to the public")
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
    retire = button("Retire this tool", "govuk-button--warning")


class WithdrawForm(FlaskForm):
    reason = _note("Why is the entry being withdrawn?", "This is shown to the public")
    withdraw = button("Withdraw this entry", "govuk-button--warning")
