"""The form for uploading a file to import. What is imported, and whether, is decided by
`register.importing`; this form only carries the choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    FieldList,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..importing import FORMATS
from ..importing.missing import REASON_LENGTH
from . import legend
from .entry import tidy
from .widgets import CharacterCount

FORMAT_QUESTION = _("What format is the file in?")
RETIRE_QUESTION = _("Which of them do you want to retire?")
FILE_SAYS = ""


class WhereEntriesGo(FlaskForm):
    """Whose entries a file's are, and whether they are published: asked alike of a file in
    a known format and of one whose columns a person maps."""

    organisation = SelectField(
        _("Which organisation are the entries for?"),
        choices=[],
        widget=GovSelect(),
        render_kw={"params": {"label": {"classes": "govuk-label--m"}}},
    )
    create_organisations = BooleanField(
        _("Add the organisations the file names that are not on the register yet"),
        widget=GovCheckboxInput(),
    )
    publish = BooleanField(
        _("Publish the entries straight away, instead of leaving them as drafts to check"),
        widget=GovCheckboxInput(),
    )


class UploadForm(WhereEntriesGo):
    file = FileField(
        _("Choose a file"),
        validators=[FileRequired(_("Choose a file to import"))],
        widget=GovFileInput(),
        render_kw={"params": {"label": {"classes": "govuk-label--m"}}},
    )
    format = RadioField(
        FORMAT_QUESTION,
        choices=[
            SelectChoice(name, item.label[0].upper() + item.label[1:])
            for name, item in FORMATS.items()
        ],
        validators=[InputRequired(_("Choose the format the file is in"))],
        widget=GovRadioInput(),
        render_kw={"params": legend(FORMAT_QUESTION, "m")},
    )
    check = SubmitField(_("Check the file"), widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    """What to do once the report is read: import, import the valid rows, or nothing; the
    names of the organisations the import adds; and which entries the file no longer has
    to retire, and why. The view offers the choices and checks them against the report."""

    organisation_names = FieldList(
        StringField(widget=GovTextInput(), filters=[tidy], render_kw={"spellcheck": "false"})
    )
    retire = SelectMultipleField(
        RETIRE_QUESTION,
        description=_(
            "Retiring records that the tool is no longer used. Each entry stays "
            "public, as a new version with the status “Retired” and your reason."
        ),
        choices=[],
        validate_choice=False,
        widget=GovCheckboxesInput(),
        render_kw={"params": legend(RETIRE_QUESTION, "s")},
    )
    retirement_reason = TextAreaField(
        _("Why are these tools no longer used?"),
        description=_("This is shown to the public on each entry you retire"),
        widget=CharacterCount(),
        filters=[tidy],
        render_kw={"params": {"maxlength": REASON_LENGTH, "label": {"classes": "govuk-label--s"}}},
    )

    import_all = SubmitField(_("Import the entries"), widget=GovSubmitInput())
    import_valid = SubmitField(_("Import the rows without problems"), widget=GovSubmitInput())
    cancel = SubmitField(
        _("Import nothing"),
        widget=GovSubmitInput(),
        render_kw={"params": {"classes": "govuk-button--secondary"}},
    )
