"""Forms reached from an emailed link (forgotten passwords, accepting an invitation), and the
choice of emails about entries on a person's account."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..accounts import MIN_PASSWORD_LENGTH
from ..mail.workflow import KINDS
from ..schema.record import EMAIL_LENGTH
from . import legend
from .entry import tidy
from .widgets import PasswordInput

EMAIL_FORMAT = _("Enter an email address in the correct format, like name@example.com")


def email_input(
    label: str,
    description: str | None = None,
    validators: Sequence[Any] = (),
    label_params: Mapping[str, str] = MappingProxyType({"classes": "govuk-label--s"}),
) -> UnboundField:
    """An email address question as GOV.UK asks one: an email keyboard, the browser's own
    address offered, no spelling marks, and no more than an address can hold."""
    return StringField(
        label,
        description=description,
        widget=GovTextInput(),
        filters=[tidy],
        validators=list(validators),
        render_kw={
            "params": {
                "type": "email",
                "autocomplete": "email",
                "spellcheck": False,
                "label": dict(label_params),
                "attributes": {"maxlength": EMAIL_LENGTH},
            }
        },
    )


def email_field(label: str = _("Email address")) -> UnboundField:
    """A person's own address, which must be given."""
    return email_input(
        label,
        label_params={},
        validators=[
            DataRequired(_("Enter an email address")),
            Length(
                max=EMAIL_LENGTH, message=_("The email address must be 254 characters or fewer")
            ),
            Email(EMAIL_FORMAT),
        ],
    )


def new_password_field(label: str = _("New password")) -> UnboundField:
    return PasswordField(
        label,
        widget=PasswordInput(),
        description=_(
            "At least %(count)s characters. A few unrelated words work well.",
            count=MIN_PASSWORD_LENGTH,
        ),
        validators=[
            DataRequired(_("Enter a new password")),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1000,
                message=_(
                    "The new password must be at least %(count)s characters",
                    count=MIN_PASSWORD_LENGTH,
                ),
            ),
        ],
    )


def confirm_password_field(label: str = _("Confirm new password")) -> UnboundField:
    return PasswordField(
        label,
        widget=PasswordInput(),
        validators=[
            DataRequired(_("Enter the new password again")),
            EqualTo("new_password", _("The passwords do not match")),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = email_field()
    submit = SubmitField(_("Send a link"), widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    new_password = new_password_field()
    confirm_password = confirm_password_field()
    submit = SubmitField(_("Change password"), widget=GovSubmitInput())


class CreateAccountForm(FlaskForm):
    """A new person's details, when they accept an invitation."""

    name = StringField(
        _("Your name"),
        widget=GovTextInput(),
        description=_("Colleagues in your organisation will see it."),
        validators=[
            DataRequired(_("Enter your name")),
            Length(max=200, message=_("Your name must be 200 characters or fewer")),
        ],
    )
    new_password = new_password_field(_("Create a password"))
    confirm_password = confirm_password_field(_("Confirm your password"))
    submit = SubmitField(_("Create account"), widget=GovSubmitInput())


class JoinForm(FlaskForm):
    """An existing account accepting an invitation: a button, and the CSRF token."""

    submit = SubmitField(_("Accept invitation"), widget=GovSubmitInput())


EMAILS_QUESTION = _("Which emails about entries do you want?")


class WorkflowEmailsForm(FlaskForm):
    """The kinds of email about entries a person wants: every kind ticked is on."""

    kinds = SelectMultipleField(
        EMAILS_QUESTION,
        description=_(
            "We email you when work on an entry moves on. Untick the ones you do "
            "not want. Emails about your account, such as password resets, always come."
        ),
        choices=[SelectChoice(kind, _(label)) for kind, label in KINDS.items()],
        # Checked below, with a message a person can act on.
        validate_choice=False,
        widget=GovCheckboxesInput(),
        render_kw={"params": legend(EMAILS_QUESTION, "m")},
    )
    submit = SubmitField(_("Save your choices"), widget=GovSubmitInput())

    def validate_kinds(self, field: SelectMultipleField) -> None:
        if set(field.data or []) - set(KINDS):
            raise ValidationError(_("Choose only from the emails listed"))
