"""Forms for feedback on entries (the public's, and publishers' handling of it) and for
review dates. What is allowed and what the words must be is decided by `register.feedback`
and `register.reviews`; these forms only carry the words.

The public's forms sign their own token (see views/feedback.py) instead of Flask-WTF's,
which lives in the session cookie: readers of the register get no cookie at all.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovDateInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import DateField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from ..feedback import EMAIL_LENGTH, RESPONSE_LENGTH, TEXT_LENGTH
from . import legend
from .entry import tidy


def button(text: str, classes: str = "") -> SubmitField:
    params = {"classes": classes} if classes else {}
    return SubmitField(text, widget=GovSubmitInput(), render_kw={"params": params})


class ReportProblemForm(FlaskForm):
    class Meta:
        csrf = False  # the form carries a signed token of its own, bound to the entry shown

    csrf_token = HiddenField()
    entry = HiddenField()
    version = HiddenField()
    # Left empty by people, who never see it; robots that fill every field fill it in.
    website = StringField("Leave this empty")
    text = TextAreaField(
        "What is wrong with this entry?",
        description=(
            "For example, something that is out of date, unclear or missing. Do not include "
            "personal information, such as your name or details of your case."
        ),
        widget=GovCharacterCount(),
        filters=[tidy],
        render_kw={"params": {"maxlength": TEXT_LENGTH, "label": {"classes": "govuk-label--m"}}},
    )
    email = StringField(
        "Your email address (optional)",
        description=(
            "Only if you would like a reply. The organisation sees it, it is never published, "
            "and it is deleted soon after your report has been dealt with."
        ),
        widget=GovTextInput(),
        filters=[tidy],
        render_kw={
            "params": {
                "type": "email",
                "autocomplete": "email",
                "spellcheck": False,
                "label": {"classes": "govuk-label--s"},
                "attributes": {"maxlength": EMAIL_LENGTH},
            }
        },
    )
    send = button("Send report")


class ResolveFeedbackForm(FlaskForm):
    response = TextAreaField(
        "Public response (optional)",
        description=(
            "Shown on the entry page under “Responses to reported problems”. Leave it empty "
            "to resolve without a public response. Do not repeat the reporter’s words or "
            "details."
        ),
        widget=GovCharacterCount(),
        filters=[tidy],
        render_kw={
            "params": {"maxlength": RESPONSE_LENGTH, "label": {"classes": "govuk-label--s"}}
        },
    )
    resolve = button("Mark as resolved")


class HideFeedbackForm(FlaskForm):
    hide = button("Hide this feedback", "govuk-button--warning")


class StillAccurateForm(FlaskForm):
    still_accurate = button("Confirm it is still accurate")


class DayMonthYearField(DateField):
    """A date typed as day, month and year in three boxes (GOV.UK's date input)."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, format="%d %m %Y", widget=GovDateInput(), **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata([part.strip() for part in valuelist])
        except ValueError:
            raise ValueError("Enter a real date, like 27 3 2027") from None


class ReviewDateForm(FlaskForm):
    next_review_due = DayMonthYearField(
        "Next review date",
        description="For example, 27 3 2027",
        validators=[InputRequired("Enter the next review date")],
        render_kw={"params": legend("Next review date")},
    )
    change = button("Change the review date", "govuk-button--secondary")
