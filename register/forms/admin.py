"""Forms for the register administrator's pages: organisations, people and roles."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, StopValidation

from ..schema.texts import shown
from ..schema.vocabularies import ORGANISATION_TYPE, ROLE, YES_NO, Vocabulary
from .account import email_field


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class CodeField(RadioField):
    """Radios for a vocabulary; a missing or unknown code is an error at the field."""

    def __init__(self, label: str, vocabulary: Vocabulary, message: str, **kwargs: Any) -> None:
        # The vocabulary is English; each label is said in the page's language when shown.
        choices = [
            SelectChoice(choice.code, LazyString(shown, choice.label))
            for choice in vocabulary.choices
        ]
        super().__init__(label, choices=choices, widget=GovRadioInput(), **kwargs)
        self.vocabulary = vocabulary
        self.message = message

    def pre_validate(self, form: FlaskForm) -> None:
        if self.data not in self.vocabulary:
            raise StopValidation(self.message)

    def item_hints(self) -> list[dict[str, Any]]:
        """Per-choice hints for the radios macro, from the vocabulary."""
        return [
            {"hint": {"text": shown(c.hint)}} if c.hint else {} for c in self.vocabulary.choices
        ]


class OrganisationForm(FlaskForm):
    name = StringField(
        _("Name"),
        widget=GovTextInput(),
        filters=[_strip],
        validators=[
            DataRequired(_("Enter the organisation’s name")),
            Length(max=200, message=_("The name must be 200 characters or fewer")),
        ],
    )
    type = CodeField(
        _("Type of organisation"), ORGANISATION_TYPE, _("Select the type of organisation")
    )
    website = StringField(
        _("Website (optional)"),
        widget=GovTextInput(),
        description=_("The full address, starting https://"),
        filters=[_strip],
        validators=[Optional(), Length(max=2000, message=_("The address is too long"))],
    )
    contact_email = StringField(
        _("Contact email address (optional)"),
        widget=GovTextInput(),
        description=_("Where the public can ask about the organisation’s AI tools."),
        filters=[_strip],
        validators=[Optional(), Length(max=254, message=_("The address is too long"))],
    )
    allows_self_publishing = CodeField(
        _("Can publishers publish entries they submitted themselves?"),
        YES_NO,
        _("Select yes if publishers can publish entries they submitted themselves"),
        description=_("Otherwise a second publisher must review every entry."),
    )
    requires_second_factor = CodeField(
        _("Must its publishers sign in with a second factor?"),
        YES_NO,
        _("Select yes if its publishers must sign in with a second factor"),
        default="no",
        description=_(
            "A code from an authenticator app as well as their password. Those "
            "who have not set one up are asked to the next time they sign in."
        ),
    )
    submit = SubmitField(_("Save"), widget=GovSubmitInput())


class InviteForm(FlaskForm):
    email = email_field()
    role = CodeField(_("What will they do on the register?"), ROLE, _("Select a role"))
    submit = SubmitField(_("Send invitation"), widget=GovSubmitInput())


class RoleForm(FlaskForm):
    role = CodeField(_("What should they do on the register?"), ROLE, _("Select a role"))
    submit = SubmitField(_("Save role"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A confirmation: a button, and the CSRF token."""

    submit = SubmitField(_("Confirm"), widget=GovSubmitInput())


class AdministratorForm(FlaskForm):
    """Give (yes) or take away (no) administrator rights, in a hidden field."""

    make_administrator = CodeField(_("Administrator"), YES_NO, _("Choose yes or no"))
    submit = SubmitField(_("Confirm"), widget=GovSubmitInput())
