"""Forms for the second factor: entering a code, setting one up, turning it off, and the
administrator's register-wide requirement."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..second_factor import REQUIREMENT
from .admin import CodeField
from .widgets import PasswordInput


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class CodeForm(FlaskForm):
    """A code from the person's authenticator app."""

    code = StringField(
        _("Code"),
        widget=GovTextInput(),
        description=_("The 6-digit code shown in your authenticator app, for example 123456."),
        filters=[_strip],
        validators=[
            DataRequired(_("Enter the code from your authenticator app")),
            Length(max=20, message=_("Enter the 6-digit code from your authenticator app")),
        ],
    )
    submit = SubmitField(_("Continue"), widget=GovSubmitInput())


class RecoveryCodeForm(FlaskForm):
    code = StringField(
        _("Recovery code"),
        widget=GovTextInput(),
        description=_(
            "One of the codes you saved when you set up your second factor, "
            "for example abcde-23456. Each code works once."
        ),
        filters=[_strip],
        validators=[
            DataRequired(_("Enter a recovery code")),
            Length(max=40, message=_("Enter a recovery code, for example abcde-23456")),
        ],
    )
    submit = SubmitField(_("Continue"), widget=GovSubmitInput())


class TurnOffForm(FlaskForm):
    confirmation = PasswordField(
        _("Your password, or a code from your authenticator app"),
        widget=PasswordInput(),
        validators=[
            DataRequired(_("Enter your password or a code from your authenticator app")),
            Length(max=1000),
        ],
    )
    submit = SubmitField(_("Turn off the second factor"), widget=GovSubmitInput())


class RequirementForm(FlaskForm):
    requirement = CodeField(
        _("Who must sign in with a second factor?"),
        REQUIREMENT,
        _("Select who must sign in with a second factor"),
    )
    submit = SubmitField(_("Save"), widget=GovSubmitInput())
