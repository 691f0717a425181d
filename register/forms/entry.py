"""The entry's forms, built from the record definition: one form per section of the task list
and one per repeating group's row. Nothing here names a field of the record; adding a field to
`register.schema` adds it to its section's form.

Every answer is checked by `validation.check_value`, and answers against each other by
`validation.broken_rules`: the rules the API and importers use too. Drafts may leave any
question empty: what publishing needs is checked at submission. Each question says whether
it is optional or when it is needed, as the schema's `required` and `required_if` say.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
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

from .. import schema, withholding
from ..schema import Kind
from ..schema.texts import N_, shown
from ..schema.vocabularies import WITHHELD_REASON
from ..validation import broken_rules, check_value, is_blank, messages_for
from . import legend

LOCK_VERSION = re.compile(r"[0-9]{1,9}")
LABEL_CLASSES = "govuk-label--s"
OPTIONAL = N_(" (optional)")
# The names of the fields that withhold an answer, before the question's own name.
WITHHOLD = "withhold__"
WITHHELD_REASON_FIELD = "withheld_reason__"
WITHHELD_TEXT = "withheld_text__"


class Lazy(LazyString):
    """A text of the record said in the language of the page that shows it: the form
    classes are built once, and their labels, hints and choices are read at each render.
    Shared as it is by each render's copy of the params (it is read, never changed)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Lazy:
        return self

    def __html__(self) -> str:
        return str(escape(str(self)))


class LazyHtml(Lazy):
    """HTML written for the page's language, such as a hint with a link (`hint`)."""

    def __html__(self) -> str:
        return self._func(*self._args, **self._kwargs).__html__()


def _shown(text: str) -> Lazy:
    return Lazy(shown, text)


YES_NO = (SelectChoice("yes", _shown(N_("Yes"))), SelectChoice("no", _shown(N_("No"))))


class CountedTextInput(GovTextInput):
    """A one-line text input with GOV.UK's character count, which counts inputs as it does
    text areas: the count shows how many characters are left as the person types."""

    template = "manage/_counted_input.html"

    def map_gov_params(self, field: Field, **kwargs: Any) -> dict[str, Any]:
        params = super().map_gov_params(field, **kwargs)
        params["classes"] = f"{params.get('classes', '')} govuk-js-character-count".strip()
        params["describedBy"] = f"{params['id']}-info"
        return params


class Follows:
    """A validator that applies the record's own rule for one field of the schema."""

    def __init__(self, field: schema.Field) -> None:
        self.field = field

    def __call__(self, form: FlaskForm, wtf_field: Field) -> None:
        problem = check_value(self.field, wtf_field.data)
        if problem:
            raise ValidationError(shown(problem))


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


class _OwnParams:
    """govuk-frontend-wtf deletes `items` from the params it is given, and those are the
    field's own `render_kw`, shared by every render of the cached form class: after the
    first page, the choices would lose their hints. Each render gets a copy instead."""

    def __call__(self, field: Field, **kwargs: Any) -> Any:
        if "params" in kwargs:
            kwargs["params"] = copy.deepcopy(kwargs["params"])
        return super().__call__(field, **kwargs)


class _Radios(_OwnParams, GovRadioInput):
    pass


class _Checkboxes(_OwnParams, GovCheckboxesInput):
    pass


def _choices(vocabulary: schema.Vocabulary) -> list[SelectChoice]:
    return [SelectChoice(choice.code, _shown(choice.label)) for choice in vocabulary.choices]


def _item_hints(vocabulary: schema.Vocabulary) -> list[dict[str, Any]]:
    return [{"hint": {"text": _shown(c.hint)}} if c.hint else {} for c in vocabulary.choices]


def question(field: schema.Field) -> str:
    """The question as the form asks it, in the page's language: marked "(optional)" when
    publishing can do without an answer, as GOV.UK forms mark optional questions."""
    label = shown(field.label)
    return f"{label}{gettext(OPTIONAL)}" if field.is_optional else label


def hint(field: schema.Field) -> Markup | None:
    """The question's hint with when it is needed (for one required only by some answers to
    another) and a link to the page that explains its terms, in the page's language; None
    if it has neither, when the schema's hint is shown as it is."""
    if not (field.needed_when or field.guidance):
        return None
    sentences = [escape(shown(field.hint).rstrip("."))] if field.hint else []
    if field.needed_when:
        sentences.append(escape(gettext("Needed when %(when)s", when=shown(field.needed_when))))
    html = Markup(". ").join(sentences) + Markup(".") if sentences else Markup("")
    if field.guidance:
        link = Markup(
            '<a class="govuk-link" href="{}" rel="noreferrer noopener" target="_blank">{}</a>'
        ).format(
            field.guidance.href,
            gettext("%(link)s (opens in new tab)", link=shown(field.guidance.text)),
        )
        html += Markup(" ") + link
    return html


def form_field(field: schema.Field) -> Field:
    """The WTForms field that asks `field`'s question with the GOV.UK widget for its kind.
    The form is built once; its texts are read in the page's language at each render."""
    words = LazyHtml(hint, field) if hint(field) else None
    common: dict[str, Any] = {
        "label": Lazy(question, field),
        "description": _shown(field.hint),
        "validators": [Follows(field)],
    }
    asked: dict[str, Any] = legend(Lazy(question, field))
    if words:
        asked["hint"] = {"html": words}
    elif not field.hint:
        asked["hint"] = None  # radios and checkboxes would show an empty hint otherwise
    label: dict[str, Any] = {"label": {"classes": LABEL_CLASSES}}
    if words:
        label["hint"] = {"html": words}
    if field.welsh_of:
        # The answer is in Welsh, so spelling checkers and screen readers treat it as Welsh.
        label["attributes"] = {"lang": schema.WELSH}
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
            widget=_Radios() if one else _Checkboxes(),
            choices=_choices(field.vocabulary),
            validate_choice=False,  # an unknown code gets the schema's own message
            render_kw={"params": params},
            **common,
        )
    if field.kind is Kind.BOOLEAN:
        return RadioField(
            widget=_Radios(),
            choices=list(YES_NO),
            coerce=yes_or_no,
            validate_choice=False,
            invalid_value_message=_shown(messages_for(field).missing),
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
    elif field.is_counted:
        params.update(maxlength=field.max_length)
    widget = CountedTextInput() if field.is_counted else GovTextInput()
    return StringField(widget=widget, filters=[tidy], render_kw={"params": params}, **common)


class EntryForm(FlaskForm):
    """A form that changes an entry's draft: it carries the draft's lock version, so a save
    based on an older draft than the one stored is refused rather than overwriting it."""

    lock_version = HiddenField()
    # The schema's questions the form asks, set by `section_form` and `row_form`.
    asks: tuple[schema.Field, ...] = ()
    # What the form may withhold: the names of its questions and repeating groups.
    withholds: tuple[str, ...] = ()

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        """Check each answer, then the answers against each other (a tool cannot be retired
        before it went into use), each problem shown next to the question it is about. An
        answer being withheld is not checked (it is not kept), its reason is."""
        super().validate(extra_validators)
        withheld = self.withheld_names()
        for name in withheld:
            if name in self:  # a repeating group has no field of its own
                self[name].errors = []
        answers = {
            name: value
            for name, value in self.answers(self.asks).items()
            if not self[name].errors and name not in withheld
        }
        for name, problem in broken_rules(self.asks, answers).items():
            self[name].errors = [*self[name].errors, shown(problem)]
        for name in withheld:
            reason = self[f"{WITHHELD_REASON_FIELD}{name}"]
            text = self[f"{WITHHELD_TEXT}{name}"]
            problem = withholding.check(reason.data, text.data)
            if problem:
                wrong = reason if problem[0] == "reason" else text
                wrong.errors = [*wrong.errors, shown(problem[1])]
        return not any(field.errors for field in self) and not self.form_errors

    def withheld_names(self) -> set[str]:
        """The questions and repeating groups the person asks to withhold on this page."""
        return {name for name in self.withholds if self[f"{WITHHOLD}{name}"].data}

    def withholdings(self) -> dict[str, withholding.Withholding | None]:
        """For each question or repeating group of the page that may be withheld: why it is
        withheld, or None when it is not (so saving stops withholding it)."""
        withheld = self.withheld_names()
        return {
            name: withholding.Withholding(
                self[f"{WITHHELD_REASON_FIELD}{name}"].data,
                self[f"{WITHHELD_TEXT}{name}"].data or None,
            )
            if name in withheld
            else None
            for name in self.withholds
        }

    def based_on(self) -> int | None:
        """The lock version the person started from, or None if the form was tampered with."""
        text = self.lock_version.data or ""
        return int(text) if LOCK_VERSION.fullmatch(text) else None

    def questions(self, fields: tuple[schema.Field, ...]) -> list[Field]:
        """The form's fields for `fields`, in the schema's order."""
        return [self[field.name] for field in fields if field.name in self]

    def answers(self, fields: tuple[schema.Field, ...]) -> dict[str, Any]:
        """The answers to `fields`, as `publishing.save_draft` takes them; none for an
        answer being withheld."""
        withheld = self.withheld_names()
        return {
            field.name: None
            if is_blank(self[field.name].data) or field.name in withheld
            else self[field.name].data
            for field in fields
            if field.name in self
        }


def withholding_data(withheld: Mapping[str, withholding.Withholding]) -> dict[str, Any]:
    """The withholding fields' data for a version's withheld answers (`withheld_of`)."""
    data: dict[str, Any] = {}
    for name, given in withheld.items():
        data[f"{WITHHOLD}{name}"] = True
        data[f"{WITHHELD_REASON_FIELD}{name}"] = given.reason
        data[f"{WITHHELD_TEXT}{name}"] = given.reason_text or ""
    return data


def _withholding_fields(name: str) -> dict[str, Field]:
    """The fields with which a person withholds the answer to the question (or repeating
    group) `name`, and says why."""
    return {
        f"{WITHHOLD}{name}": BooleanField(_("Withhold this answer")),
        f"{WITHHELD_REASON_FIELD}{name}": RadioField(
            _("Why can this answer not be published?"),
            choices=_choices(WITHHELD_REASON),
            validate_choice=False,  # an unknown reason gets the register's own message
        ),
        f"{WITHHELD_TEXT}{name}": StringField(
            _("Why the answer cannot be published"), filters=[tidy]
        ),
    }


def show_problems(form: FlaskForm, problems: Mapping[str, str]) -> None:
    """Put problems the domain found next to the fields they are about (or on the form); a
    problem with withholding a repeating group goes next to its control."""
    for name, problem in problems.items():
        if name not in form and f"{WITHHOLD}{name}" in form:
            name = f"{WITHHOLD}{name}"
        if name in form:
            form[name].errors = [*form[name].errors, shown(problem)]
        else:
            form.form_errors.append(shown(problem))


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
    section = schema.section(slug)
    fields = asked(section)
    _check_names(fields)
    attributes: dict[str, Any] = {field.name: form_field(field) for field in fields}
    withholds = tuple(
        item.name for item in section.items if item.name in withholding.withholdable_names()
    )
    for name in withholds:
        attributes.update(_withholding_fields(name))
    attributes["asks"] = fields
    attributes["withholds"] = withholds
    attributes["save_and_continue"] = SubmitField(_("Save and continue"), widget=GovSubmitInput())
    attributes["save_as_draft"] = SubmitField(
        _("Save as draft"),
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
    attributes["asks"] = group.fields
    saving = Lazy(lambda: gettext("Save %(thing)s", thing=shown(group.item_label)))
    attributes["save_row"] = SubmitField(saving, widget=GovSubmitInput())
    return type(f"{group_name.title().replace('_', '')}RowForm", (EntryForm,), attributes)


class RemoveRowForm(EntryForm):
    confirm = SubmitField(
        _("Yes, remove it"),
        widget=GovSubmitInput(),
        render_kw={"params": {"classes": "govuk-button--warning"}},
    )
