"""Forms for an organisation's API tokens: naming a new one, and revoking one. Who may do
either, and what a name may be, is decided by `register.api_tokens`."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from ..api_tokens import NAME_LENGTH
from .entry import tidy

NAME_MESSAGE = _("Enter a name for the token, in %(count)s characters or fewer", count=NAME_LENGTH)


class ApiTokenForm(FlaskForm):
    name = StringField(
        _("Name"),
        description=_(
            "Which system will use it, so that you can tell your tokens apart. "
            "For example, “Case management system”."
        ),
        widget=GovTextInput(),
        filters=[tidy],
        validators=[InputRequired(NAME_MESSAGE), Length(max=NAME_LENGTH, message=NAME_MESSAGE)],
        render_kw={"params": {"label": {"classes": "govuk-label--s"}, "spellcheck": False}},
    )
    create = SubmitField(_("Create a token"), widget=GovSubmitInput())


class RevokeApiTokenForm(FlaskForm):
    revoke = SubmitField(
        _("Revoke this token"),
        widget=GovSubmitInput(),
        render_kw={"params": {"classes": "govuk-button--warning"}},
    )
