"""Forms for feedback on entries (the public's, and publishers' handling of it) and for
review dates. What is allowed and what the words must be is decided by `register.feedback`
and `register.reviews`; these forms only carry the words.

The public's forms sign their own token (see views/feedback.py) instead of Flask-WTF's,
which lives in the session cookie: readers of the register get no cookie at all.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSubmitInput,
)
from wtforms import DateField, HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired

from ..feedback import RESPONSE_LENGTH, TEXT_LENGTH
from . import legend
from .account import email_input
from .entry import tidy
from .widgets import CharacterCount, DateInput


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
    website = StringField(_("Leave this empty"))
    text = TextAreaField(
        _("What is wrong with this entry?"),
        description=(
            _(
                "For example, something that is out of date, unclear or missing. Do not include "
                "personal information, such as your name or details of your case."
            )
        ),
        widget=CharacterCount(),
        filters=[tidy],
        render_kw={"params": {"maxlength": TEXT_LENGTH, "label": {"classes": "govuk-label--m"}}},
    )
    email = email_input(
        _("Your email address (optional)"),
        _(
            "Only if you would like a reply. The organisation sees it, it is never published, "
            "and it is deleted soon after your report has been dealt with."
        ),
    )
    send = button(_("Send report"))


class ResolveFeedbackForm(FlaskForm):
    response = TextAreaField(
        _("Public response (optional)"),
        description=(
            _(
                "Shown on the entry page under “Responses to reported problems”. Leave it empty "
                "to resolve without a public response. Do not repeat the reporter’s words or "
                "details."
            )
        ),
        widget=CharacterCount(),
        filters=[tidy],
        render_kw={
            "params": {"maxlength": RESPONSE_LENGTH, "label": {"classes": "govuk-label--s"}}
        },
    )
    resolve = button(_("Mark as resolved"))


class HideFeedbackForm(FlaskForm):
    hide = button(_("Hide this feedback"), "govuk-button--warning")


class StillAccurateForm(FlaskForm):
    still_accurate = button(_("Confirm it is still accurate"))


class DayMonthYearField(DateField):
    """A date typed as day, month and year in three boxes (GOV.UK's date input)."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, format="%d %m %Y", widget=DateInput(), **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata([part.strip() for part in valuelist])
        except ValueError:
            raise ValueError(_("Enter a real date, like 27 3 2027")) from None


class ReviewDateForm(FlaskForm):
    next_review_due = DayMonthYearField(
        _("Next review date"),
        description=_("For example, 27 3 2027"),
        validators=[InputRequired(_("Enter the next review date"))],
        render_kw={"params": legend(_("Next review date"))},
    )
    change = button(_("Change the review date"), "govuk-button--secondary")
