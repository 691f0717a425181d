"""The forms for importing a file by mapping its columns: uploading it, saying where each
column goes, and saving the mapping for next time. What a mapping may be is decided by
`register.importing.column_mapping`; these forms only carry the choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import FieldList, RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from ..importing.column_mapping import OTHER, TARGETS
from . import legend
from .entry import tidy
from .imports import WhereEntriesGo

DATES_QUESTION = _("How does the file write dates?")

# What a column's choice says when it goes nowhere (a mapping writes null).
LEAVE_OUT = "-"
DAY, MONTH = "day", "month"


def column_choices() -> list[SelectChoice]:
    """Where a column can go: Other information, nowhere, or a field of the record."""
    return [
        SelectChoice(OTHER, _("Other information, labelled with the column")),
        SelectChoice(LEAVE_OUT, _("Nothing: leave it out")),
        *(SelectChoice(target.value, target.shown) for target in TARGETS if target.value != OTHER),
    ]


class MappingUploadForm(FlaskForm):
    file = FileField(
        _("Choose a file"),
        description=_(
            "A CSV file, or an Excel workbook (.xlsx), with one tool on each row and "
            "a header row naming the columns"
        ),
        validators=[FileRequired(_("Choose a file to import"))],
        widget=GovFileInput(),
        render_kw={"params": {"label": {"classes": "govuk-label--m"}}},
    )
    saved_mapping = SelectField(
        _("Start from a mapping you saved"),
        description=_("Use the mapping you saved for last year’s copy of the same file"),
        choices=[],
        default="",
        widget=GovSelect(),
        render_kw={"params": {"label": {"classes": "govuk-label--m"}}},
    )
    upload = SubmitField(_("Continue"), widget=GovSubmitInput())


class ColumnsForm(WhereEntriesGo):
    """Where each of the file's columns goes (one select per column, in the file's order),
    how the file writes dates, and whose entries they are."""

    columns = FieldList(SelectField(choices=[], widget=GovSelect()))
    dates = RadioField(
        DATES_QUESTION,
        description=_("Dates such as 2024-03-31 or “March 2024” read the same either way"),
        choices=[
            SelectChoice(DAY, _("Day first, as in 31/12/2024")),
            SelectChoice(MONTH, _("Month first, as in 12/31/2024")),
        ],
        validators=[InputRequired(_("Choose how the file writes dates"))],
        widget=GovRadioInput(),
        render_kw={"params": legend(DATES_QUESTION, "m")},
    )
    preview = SubmitField(_("Preview the entries"), widget=GovSubmitInput())


class SaveMappingForm(FlaskForm):
    """Keeping the mapping under a name, for an organisation, before going on."""

    name = StringField(
        _("Save this mapping as (optional)"),
        description=_(
            "A name to find it by when you import next year’s copy of the file, for "
            "example “Algorithmic tools compliance report”. Leave it blank not to save it."
        ),
        filters=[tidy],
        widget=GovTextInput(),
        render_kw={"params": {"label": {"classes": "govuk-label--s"}, "spellcheck": False}},
    )
    keep_for = SelectField(
        _("Which organisation is it for?"),
        description=_("People who import for that organisation can use it"),
        choices=[],
        widget=GovSelect(),
        render_kw={"params": {"label": {"classes": "govuk-label--s"}}},
    )
    go_on = SubmitField(_("Continue to the import report"), widget=GovSubmitInput())
