"""The form asking for email alerts about a search. Whether the answers will do is decided
by `register.alerts`; this form only carries them.

Like the feedback forms, it signs its own token (see views/alerts.py) instead of
Flask-WTF's, which lives in the session cookie: readers of the register get no cookie.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import HiddenField, RadioField, SubmitField
from wtforms.fields.choices import SelectChoice

from ..models.alert import DAILY, WEEKLY
from . import legend
from .account import email_input


class SubscribeForm(FlaskForm):
    class Meta:
        csrf = False  # the form carries a signed token of its own, bound to the search

    csrf_token = HiddenField()
    search = HiddenField()
    email = email_input(_("Email address"), _("We use it only to send these emails."))
    frequency = RadioField(
        _("How often do you want emails?"),
        choices=[SelectChoice(DAILY, _("Once a day")), SelectChoice(WEEKLY, _("Once a week"))],
        description=_("Only when something has changed."),
        validate_choice=False,  # a missing or unknown answer gets the register's own message
        widget=GovRadioInput(),
        render_kw={"params": legend(_("How often do you want emails?"))},
    )
    send = SubmitField(_("Get emails"), widget=GovSubmitInput())


class LinkForm(FlaskForm):
    """A button that uses the link in the address (confirm, or unsubscribe)."""

    class Meta:
        csrf = False  # signed token of its own, bound to the link

    csrf_token = HiddenField()
