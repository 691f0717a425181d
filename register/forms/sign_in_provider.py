"""The administrator's form for an organisation's own sign-in provider (OpenID Connect)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import PasswordField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..schema.vocabularies import YES_NO
from .admin import CodeField, _strip
from .widgets import PasswordInput


class SignInProviderForm(FlaskForm):
    issuer = StringField(
        _("Issuer"),
        widget=GovTextInput(),
        description=_(
            "The provider’s address for the register, starting https://. The "
            "register reads its discovery document and keys from there."
        ),
        filters=[_strip],
        validators=[
            DataRequired(_("Enter the issuer as a full address starting https://")),
            Length(max=500, message=_("The issuer must be 500 characters or fewer")),
        ],
    )
    client_id = StringField(
        _("Client ID"),
        widget=GovTextInput(),
        description=_("The ID the provider gave the register when it was registered there."),
        filters=[_strip],
        validators=[
            DataRequired(_("Enter the client ID the provider gave the register")),
            Length(max=255, message=_("The client ID must be 255 characters or fewer")),
        ],
    )
    # Never filled in from the stored value: the page only says whether one is set.
    client_secret = PasswordField(
        _("Client secret"),
        widget=PasswordInput(),
        validators=[
            Length(max=1000, message=_("The client secret must be 1000 characters or fewer"))
        ],
    )
    domains = TextAreaField(
        _("Email domains"),
        widget=GovTextArea(),
        description=_(
            "The domains of the email addresses whose people sign in here, one a "
            "line, like council.gov.uk."
        ),
        validators=[
            DataRequired(_("Enter at least one email domain, like council.gov.uk")),
            Length(max=5000, message=_("The list of domains is too long")),
        ],
    )
    provider_only = CodeField(
        _("Must its people sign in through the provider only?"),
        YES_NO,
        _("Select yes if its people must sign in through the provider only"),
        default="no",
        description=_("If yes, their register passwords stop working."),
    )
    trusts_second_factor = CodeField(
        _("Trust the provider’s second factor?"),
        YES_NO,
        _("Select yes if the register should trust the provider’s second factor"),
        default="no",
        description=_(
            "If yes, the register asks no code of its own when the provider says "
            "it asked for a second factor. Otherwise people with a second factor on the "
            "register enter its code too."
        ),
    )
    lets_domain_join = CodeField(
        _("Can anyone from these domains join as an editor without an invitation?"),
        YES_NO,
        _("Select yes if anyone from these domains can join as an editor"),
        default="no",
        description=_(
            "Roles stay in the register: a publisher or administrator still has to "
            "make someone a publisher."
        ),
    )
    submit = SubmitField(_("Save"), widget=GovSubmitInput())


class RegisterProviderForm(SignInProviderForm):
    """The provider of a register that serves a single body: nobody joins by domain."""

    lets_domain_join = None
