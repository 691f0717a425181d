"""Forms for signing in and managing one's own password."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length

from ..accounts import MIN_PASSWORD_LENGTH


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your password"), Length(max=1000)],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter your current password"), Length(max=1000)],
    )
    new_password = PasswordField(
        "New password",
        widget=GovPasswordInput(),
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A few unrelated words work well.",
        validators=[
            DataRequired("Enter a new password"),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1000,
                message=f"The new password must be at least {MIN_PASSWORD_LENGTH} characters",
            ),
        ],
    )
    confirm_password = PasswordField(
        "Confirm new password",
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Enter the new password again"),
            EqualTo("new_password", "The passwords do not match"),
        ],
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())
