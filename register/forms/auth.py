"""Forms for signing in and managing one's own password."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from .account import confirm_password_field, new_password_field
from .widgets import PasswordInput


class SignInForm(FlaskForm):
    email = StringField(
        _("Email address"),
        widget=GovTextInput(),
        validators=[DataRequired(_("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _("Password"),
        widget=PasswordInput(),
        # Empty for people whose organisation signs in with its own accounts; the view says
        # "Enter your password" to everyone else.
        validators=[Length(max=1000)],
    )
    submit = SubmitField(_("Sign in"), widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _("Current password"),
        widget=PasswordInput(),
        validators=[DataRequired(_("Enter your current password")), Length(max=1000)],
    )
    new_password = new_password_field()
    confirm_password = confirm_password_field()
    submit = SubmitField(_("Change password"), widget=GovSubmitInput())
