"""The entry's forms, built from the record definition: one form per section of the task list
and one per repeating group's row. Nothing here names a field of the record; adding a field to
`register.schema` adds it to its section's form.

Every answer is checked by `validation.check_value`, the rule the API and importers use too.
Drafts may leave any question empty: what publishing needs is checked at submission.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    Field,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from .. import schema
from ..schema import Kind
from ..validation import check_value, is_blank
from . import legend

LOCK_VERSION = re.compile(r"[0-9]{1,9}")
LABEL_CLASSES = "govuk-label--s"
YES_NO = (SelectChoice("yes", "Yes"), SelectChoice("no", "No"))


class Follows:
    """A validator that applies the record's own rule for one field of the schema."""

    def __init__(self, field: schema.Field) -> None:
        self.field = field

    def __call__(self, form: FlaskForm, wtf_field: Field) -> None:
        problem = check_value(self.field, wtf_field.data)
        if problem:
            raise ValidationError(problem)


def tidy(value: Any) -> Any:
    """Trim a typed answer, and count a line break as one character, as the browser does."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def yes_or_no(value: Any) -> bool:
    """Read a Yes/No answer; anything else is not an answer this form offers."""
    if value in (True, "yes"):
        return True
    if value in (False, "no"):
        return False
    raise ValueError(value)


def _choices(vocabulary: schema.Vocabulary) -> list[SelectChoice]:
    return [SelectChoice(choice.code, choice.label) for choice in vocabulary.choices]


def _item_hints(vocabulary: schema.Vocabulary) -> list[dict[str, Any]]:
    return [{"hint": {"text": c.hint}} if c.hint else {} for c in vocabulary.choices]


def form_field(field: schema.Field) -> Field:
    """The WTForms field that asks `field`'s question with the GOV.UK widget for its kind."""
    common: dict[str, Any] = {
        "label": field.label,
        "description": field.hint,
        "validators": [Follows(field)],
    }
    asked: dict[str, Any] = legend(field.label)
    if not field.hint:
        asked["hint"] = None  # radios and checkboxes would show an empty hint otherwise
    label = {"label": {"classes": LABEL_CLASSES}}
    if field.kind is Kind.LONG_TEXT:
        params = {**label, "maxlength": field.max_length, "rows": 5}
        return TextAreaField(
            widget=GovCharacterCount(), filters=[tidy], render_kw={"params": params}, **common
        )
    if field.kind in (Kind.CHOICE, Kind.CHOICES):
        one = field.kind is Kind.CHOICE
        field_class = RadioField if one else SelectMultipleField
        params = {**asked, "items": _item_hints(field.vocabulary)}
        return field_class(
            widget=GovRadioInput() if one else GovCheckboxesInput(),
            choices=_choices(field.vocabulary),
            validate_choice=False,  # an unknown code gets the schema's own message
            render_kw={"params": params},
            **common,
        )
    if field.kind is Kind.BOOLEAN:
        return RadioField(
            widget=GovRadioInput(),
            choices=list(YES_NO),
            coerce=yes_or_no,
            validate_choice=False,
            invalid_value_message="Select yes or no",
            render_kw={"params": {**asked, "classes": "govuk-radios--inline"}},
            **common,
        )
    params: dict[str, Any] = dict(label)
    if field.kind is Kind.EMAIL:
        params.update(type="email", spellcheck=False, autocomplete="off")
    elif field.kind is Kind.URL:
        params.update(type="url", spellcheck=False)
    elif field.kind is Kind.PARTIAL_DATE:
        params.update(classes="govuk-input--width-10")
    return StringField(
        widget=GovTextInput(), filters=[tidy], render_kw={"params": params}, **common
    )


class EntryForm(FlaskForm):
    """A form that changes an entry's draft: it carries the draft's lock version, so a save
    based on an older draft than the one stored is refused rather than overwriting it."""

    lock_version = HiddenField()

    def based_on(self) -> int | None:
        """The lock version the person started from, or None if the form was tampered with."""
        text = self.lock_version.data or ""
        return int(text) if LOCK_VERSION.fullmatch(text) else None

    def questions(self, fields: tuple[schema.Field, ...]) -> list[Field]:
        """The form's fields for `fields`, in the schema's order."""
        return [self[field.name] for field in fields if field.name in self]

    def answers(self, fields: tuple[schema.Field, ...]) -> dict[str, Any]:
        """The answers to `fields`, as `publishing.save_draft` takes them."""
        return {
            field.name: None if is_blank(self[field.name].data) else self[field.name].data
            for field in fields
            if field.name in self
        }


def show_problems(form: FlaskForm, problems: Mapping[str, str]) -> None:
    """Put problems the domain found next to the fields they are about (or on the form)."""
    for name, problem in problems.items():
        if name in form:
            form[name].errors = [*form[name].errors, problem]
        else:
            form.form_errors.append(problem)


def _check_names(fields: tuple[schema.Field, ...]) -> None:
    for field in fields:
        if hasattr(EntryForm, field.name):
            raise ValueError(f"{field.name} would hide an attribute of the form")


def asked(section: schema.Section) -> tuple[schema.Field, ...]:
    """The section's questions a person answers (the organisation is the entry's own)."""
    return tuple(field for field in section.fields if field.kind is not Kind.ORGANISATION)


@cache
def section_form(slug: str) -> type[EntryForm]:
    """The form for one section of the task list."""
    fields = asked(schema.section(slug))
    _check_names(fields)
    attributes: dict[str, Any] = {field.name: form_field(field) for field in fields}
    attributes["save_and_continue"] = SubmitField("Save and continue", widget=GovSubmitInput())
    attributes["save_as_draft"] = SubmitField(
        "Save as draft",
        widget=GovSubmitInput(),
        render_kw={"params": {"classes": "govuk-button--secondary"}},
    )
    return type(f"{slug.title()}SectionForm", (EntryForm,), attributes)


@cache
def row_form(group_name: str) -> type[EntryForm]:
    """The form for one row of a repeating group, such as one risk."""
    group = next(group for group in schema.groups() if group.name == group_name)
    _check_names(group.fields)
    attributes: dict[str, Any] = {field.name: form_field(field) for field in group.fields}
    attributes["save_row"] = SubmitField(f"Save {group.item_label}", widget=GovSubmitInput())
    return type(f"{group_name.title().replace('_', '')}RowForm", (EntryForm,), attributes)


class RemoveRowForm(EntryForm):
    confirm = SubmitField(
        "Yes, remove it",
        widget=GovSubmitInput(),
        render_kw={"params": {"classes": "govuk-button--warning"}},
    )
