"""Forms for the second factor: entering a code, setting one up, turning it off, and the
administrator's register-wide requirement."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from ..second_factor import REQUIREMENT
from .admin import CodeField


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class CodeForm(FlaskForm):
    """A code from the person's authenticator app."""

    code = StringField(
        "Code",
        widget=GovTextInput(),
        description="The 6-digit code shown in your authenticator app, for example 123456.",
        filters=[_strip],
        validators=[
            DataRequired("Enter the code from your authenticator app"),
            Length(max=20, message="Enter the 6-digit code from your authenticator app"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class RecoveryCodeForm(FlaskForm):
    code = StringField(
        "Recovery code",
        widget=GovTextInput(),
        description="One of the codes you saved when you set up your second factor, "
        "for example abcde-23456. Each code works once.",
        filters=[_strip],
        validators=[
            DataRequired("Enter a recovery code"),
            Length(max=40, message="Enter a recovery code, for example abcde-23456"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class TurnOffForm(FlaskForm):
    confirmation = PasswordField(
        "Your password, or a code from your authenticator app",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Enter your password or a code from your authenticator app"),
            Length(max=1000),
        ],
    )
    submit = SubmitField("Turn off the second factor", widget=GovSubmitInput())


class RequirementForm(FlaskForm):
    requirement = CodeField(
        "Who must sign in with a second factor?",
        REQUIREMENT,
        "Select who must sign in with a second factor",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
