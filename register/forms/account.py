"""Forms reached from an emailed link (forgotten passwords, accepting an invitation), and the
choice of emails about entries on a person's account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..accounts import MIN_PASSWORD_LENGTH
from ..mail.workflow import KINDS
from . import legend

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def email_field(label: str = "Email address") -> UnboundField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired("Enter an email address"),
            Length(max=254, message="The email address must be 254 characters or fewer"),
            Email(EMAIL_FORMAT),
        ],
    )


def new_password_field(label: str = "New password") -> UnboundField:
    return PasswordField(
        label,
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


def confirm_password_field(label: str = "Confirm new password") -> UnboundField:
    return PasswordField(
        label,
        widget=GovPasswordInput(),
        validators=[
            DataRequired("Enter the new password again"),
            EqualTo("new_password", "The passwords do not match"),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField("Send a link", widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    new_password = new_password_field()
    confirm_password = confirm_password_field()
    submit = SubmitField("Change password", widget=GovSubmitInput())


class CreateAccountForm(FlaskForm):
    """A new person's details, when they accept an invitation."""

    name = StringField(
        "Your name",
        widget=GovTextInput(),
        description="Colleagues in your organisation will see it.",
        validators=[
            DataRequired("Enter your name"),
            Length(max=200, message="Your name must be 200 characters or fewer"),
        ],
    )
    new_password = new_password_field("Create a password")
    confirm_password = confirm_password_field("Confirm your password")
    submit = SubmitField("Create account", widget=GovSubmitInput())


class JoinForm(FlaskForm):
    """An existing account accepting an invitation: a button, and the CSRF token."""

    submit = SubmitField("Accept invitation", widget=GovSubmitInput())


EMAILS_QUESTION = "Which emails about entries do you want?"


class WorkflowEmailsForm(FlaskForm):
    """The kinds of email about entries a person wants: every kind ticked is on."""

    kinds = SelectMultipleField(
        EMAILS_QUESTION,
        description="We email you when work on an entry moves on. Untick the ones you do "
        "not want. Emails about your account, such as password resets, always come.",
        choices=[SelectChoice(kind, label) for kind, label in KINDS.items()],
        # Checked below, with a message a person can act on.
        validate_choice=False,
        widget=GovCheckboxesInput(),
        render_kw={"params": legend(EMAILS_QUESTION, "m")},
    )
    submit = SubmitField("Save your choices", widget=GovSubmitInput())

    def validate_kinds(self, field: SelectMultipleField) -> None:
        if set(field.data or []) - set(KINDS):
            raise ValidationError("Choose only from the emails listed")
