"""Checking values against the record definition: one set of rules for forms, API and imports.

`check_value` says what is wrong with one value in words fit to show next to the field;
`broken_rules` what is wrong between answers (a tool retired before it went into use);
`check_values` both; `problems_before_publishing` lists what a version still needs before
it may be published. Every message is the question's own, from `schema.Messages`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from email_validator import EmailNotValidError, validate_email

from . import schema
from .schema import Field, Kind, Messages, Rule, registries
from .schema.texts import N_, Composed

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
# A supplier's company number, and the register whose format it is checked against.
REGISTRY, REGISTRY_NUMBER = "supplier_registry", "supplier_company_number"


# Built once: a union like `str | list` is a new object each time it is written, and an
# enum member costs a lookup each time it is named, which matter when an import checks every
# value of thousands of rows.
_SIZED = (str, list, tuple)
_TEXT_KINDS = frozenset({Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.URL, Kind.PARTIAL_DATE})


def today() -> date:
    """Today, as every rule about dates sees it: the one place tests set the date."""
    return date.today()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, _SIZED) and len(value) == 0)


# Messages made from a question's name: `Composed`, so that a form shows them in its language.
NOT_TEXT = N_("%(name)s must be text")
TOO_LONG = N_("%(name)s must be %(max)s characters or fewer")
NULL_CHARACTER = N_("%(name)s must not contain a null character")
NOT_REAL = N_("%(name)s must be a real date")
IN_THE_FUTURE = N_("%(name)s must be today or in the past")

# What is wrong with a partial date's form, as `check_partial_date` says it.
NOT_A_DATE = "not a date"
NOT_A_REAL_DATE = "not a real date"


def check_partial_date(text: str) -> str | None:
    """NOT_A_DATE if `text` is not a year, a year and month, or a day from 1900 to 2100
    (written YYYY, YYYY-MM or YYYY-MM-DD); NOT_A_REAL_DATE for a day no calendar has."""
    match = PARTIAL_DATE.match(text)
    if not match:
        return NOT_A_DATE
    year, month, day = (int(part) if part else None for part in match.groups())
    if not 1900 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        return NOT_A_DATE
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            return NOT_A_REAL_DATE
    return None


def is_after(later: str, earlier: str) -> bool:
    """Whether partial date `later` is wholly after `earlier`: compared to the precision of
    the less precise one, so "2024" is not after "2024-06", nor "2024-06" before "2024"."""
    length = min(len(later), len(earlier))
    return later[:length] > earlier[:length]


def messages_for(field: Field) -> Messages:
    """The field's own messages; for a field the register keeps (never asked in the form,
    but checked when the API sends it), plain ones made from its label."""
    if field.messages is not None:
        return field.messages
    return Messages(
        f"Enter {field.label.lower()}", f"Enter a valid {field.label.lower()}", field.label
    )


@functools.lru_cache(maxsize=4096)
def is_email_address(text: str) -> bool:
    """Whether `text` is written as an email address. Remembered: an import checks the same
    few shared mailboxes on thousands of rows."""
    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def check_value(field: Field, value: Any) -> str | None:
    """What is wrong with `value` for `field`, or None. Blank values are checked elsewhere."""
    if is_blank(value):
        return None
    kind = field.kind
    if kind in _TEXT_KINDS:
        name = messages_for(field).name
        if not isinstance(value, str):
            return Composed(NOT_TEXT, name=name)
        if field.max_length and len(value) > field.max_length:
            return Composed(TOO_LONG, name=name, max=f"{field.max_length:,}")
        if "\x00" in value:
            return Composed(NULL_CHARACTER, name=name)
    check = _CHECKS.get(kind)
    return None if check is None else check(field, value)


def _check_text(field: Field, value: Any) -> str | None:
    if field.pattern and not _pattern(field.pattern).fullmatch(value):
        return messages_for(field).invalid
    return None


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _check_email(field: Field, value: Any) -> str | None:
    return None if is_email_address(value) else messages_for(field).invalid


def _check_url(field: Field, value: Any) -> str | None:
    return None if URL.match(value) else messages_for(field).invalid


def _check_partial_date(field: Field, value: Any) -> str | None:
    problem = check_partial_date(value)
    if problem == NOT_A_DATE:
        return messages_for(field).invalid
    if problem == NOT_A_REAL_DATE:
        return Composed(NOT_REAL, name=messages_for(field).name)
    if field.not_after_today and is_after(value, today().isoformat()):
        return Composed(IN_THE_FUTURE, name=messages_for(field).name)
    return None


def _check_choice(field: Field, value: Any) -> str | None:
    # A code the question does not offer: the person is asked to choose one it does.
    return None if value in field.vocabulary else messages_for(field).missing


def _check_choices(field: Field, value: Any) -> str | None:
    if not isinstance(value, list | tuple) or any(v not in field.vocabulary for v in value):
        return messages_for(field).missing
    return None


def _check_boolean(field: Field, value: Any) -> str | None:
    return None if isinstance(value, bool) else messages_for(field).missing


# What each kind of field checks besides (text's length and characters, above).
_CHECKS = {
    Kind.TEXT: _check_text,
    Kind.EMAIL: _check_email,
    Kind.URL: _check_url,
    Kind.PARTIAL_DATE: _check_partial_date,
    Kind.CHOICE: _check_choice,
    Kind.CHOICES: _check_choices,
    Kind.BOOLEAN: _check_boolean,
}


def broken_rules(fields: Iterable[Field], values: Mapping[str, Any]) -> dict[str, str]:
    """The `rules` of `fields` that `values` break, keyed by the field whose rule it is.

    A rule is checked only when every answer it compares is in `values`, given and valid:
    a blank or wrong answer has its own message, and an answer asked on another page is
    checked there, or before publishing, where the whole record is at hand.
    """
    known = {field.name: field for field in fields}
    problems = {}
    for field in known.values():
        for rule in field.rules:
            if _breaks(rule, field, known, values):
                problems[field.name] = rule.message
                break
    problems.update(_registry_number_problem(known, values))
    return problems


def _registry_number_problem(
    known: Mapping[str, Field], values: Mapping[str, Any]
) -> dict[str, str]:
    """The supplier's company number checked against the format of the register that gave
    it (schema/registries.py), shown next to the number."""
    number = known.get(REGISTRY_NUMBER)
    if not _usable(number, values) or not _usable(known.get(REGISTRY), values):
        return {}
    problem = registries.problem(values[REGISTRY], values[REGISTRY_NUMBER])
    return {REGISTRY_NUMBER: problem} if problem else {}


def _usable(field: Field | None, values: Mapping[str, Any]) -> bool:
    if field is None or field.name not in values:
        return False
    value = values[field.name]
    return not is_blank(value) and check_value(field, value) is None


def _breaks(
    rule: Rule, field: Field, known: Mapping[str, Field], values: Mapping[str, Any]
) -> bool:
    if not _usable(field, values):
        return False
    if rule.when is not None:
        other, codes = rule.when
        if values.get(other) not in codes:
            return False
    value = values[field.name]
    if rule.not_after_today:
        return is_after(value, today().isoformat())
    earlier = known.get(rule.not_before)
    return _usable(earlier, values) and is_after(values[rule.not_before], value)


def check_values(fields: Iterable[Field], values: Mapping[str, Any]) -> dict[str, str]:
    """Every problem in `values`, keyed by field name: each answer's own, then those between
    answers (`broken_rules`). Unknown keys are problems too."""
    known = {field.name: field for field in fields}
    problems = {
        name: f"{name} is not a field of this section" for name in values if name not in known
    }
    for name, value in values.items():
        if name in known:
            problem = check_value(known[name], value)
            if problem:
                problems[name] = problem
    for name, problem in broken_rules(known.values(), values).items():
        problems.setdefault(name, problem)
    return problems


@dataclass(frozen=True)
class Problem:
    """Something missing before publication, with where to fix it."""

    section: str
    field: str
    message: str
    # A required question left unanswered, rather than an answer that is not valid.
    unanswered: bool = False


def is_required(field: Field, values: Mapping[str, Any]) -> bool:
    if field.required:
        return True
    if field.required_if:
        other, codes = field.required_if
        return values.get(other) in codes
    return False


def problems_before_publishing(
    values: Mapping[str, Any],
    rows: Mapping[str, list[Mapping[str, Any]]],
    withheld: Collection[str] = (),
) -> list[Problem]:
    """Required fields left empty, and answers that are not valid alone or against each
    other, in a record, in form order.

    `values` maps field names to values (multi-choice fields as lists, the organisation as
    its id); `rows` maps each repeating group's name to its rows. A withheld answer or
    group (`withheld` names them) counts as given: its reason stands in for it.
    """
    problems = []
    broken = broken_rules(schema.all_fields(), values)
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, schema.Group):
                for number, row in enumerate(rows.get(item.name, []), start=1):
                    problems += _row_problems(section.slug, item, number, row)
                continue
            value = values.get(item.name)
            if item.name in withheld:
                continue
            if is_blank(value):
                if is_required(item, values):
                    message = messages_for(item).missing
                    problems.append(Problem(section.slug, item.name, message, unanswered=True))
            elif item.kind is not Kind.ORGANISATION:
                problem = check_value(item, value) or broken.get(item.name)
                if problem:
                    problems.append(Problem(section.slug, item.name, problem))
    return problems


def _row_problems(
    slug: str, group: schema.Group, number: int, row: Mapping[str, Any]
) -> list[Problem]:
    """What one row of a repeating group needs; each message says which row it is about."""
    found = []
    broken = broken_rules(group.fields, row)
    for field in group.fields:
        value = row.get(field.name)
        if is_blank(value):
            problem = messages_for(field).missing if field.required else None
        else:
            problem = check_value(field, value) or broken.get(field.name)
        if problem:
            message = f"{group.item_label.capitalize()} {number}: {problem[0].lower()}{problem[1:]}"
            found.append(
                Problem(slug, f"{group.name}-{number}-{field.name}", message, is_blank(value))
            )
    return found


def answered_questions(
    values: Mapping[str, Any],
    rows: Mapping[str, list[Mapping[str, Any]]],
    withheld: Collection[str] = (),
) -> set[str]:
    """The questions `values` and `rows` answer (a withheld answer counts), named as
    `Problem.field` names them (a repeating row's as `group-number-field`)."""
    answered = {name for name, value in values.items() if not is_blank(value)} | set(withheld)
    for group_name, group_rows in rows.items():
        for number, row in enumerate(group_rows, start=1):
            answered.update(
                f"{group_name}-{number}-{name}"
                for name, value in row.items()
                if not is_blank(value)
            )
    return answered


def as_recorded(problems: Iterable[Problem], answered_before: Collection[str]) -> list[Problem]:
    """What an entry imported from another register still needs before it is published.

    Such an entry is published as its source recorded it: a required question the source
    did not answer may stay unanswered, and shows as not recorded there. Every answer given
    must still be valid, and a question answered in an earlier published version
    (`answered_before`) may not be emptied: only the source's own silence is let through.
    """
    return [p for p in problems if not p.unanswered or p.field in answered_before]


def counted_questions() -> tuple[Field | schema.Group, ...]:
    """What the progress count counts, the same for every entry: the required and the
    recommended questions and repeating groups. A question needed only for some answers to
    another (the date a retired tool was retired) is part of that other question: the
    status is not fully answered until the dates it calls for are given."""
    return tuple(
        item
        for section in schema.SECTIONS
        for item in section.items
        if item.recommended
        or (isinstance(item, Field) and item.required and item.kind is not Kind.ORGANISATION)
    )


@functools.cache
def _follow_ups() -> dict[str, tuple[Field, ...]]:
    """For each question others depend on, the questions its answer can make required."""
    found: dict[str, list[Field]] = {}
    for field in schema.all_fields():
        if field.required_if:
            found.setdefault(field.required_if[0], []).append(field)
    return {name: tuple(fields) for name, fields in found.items()}


def missing_answers(
    values: Mapping[str, Any],
    rows: Mapping[str, list[Mapping[str, Any]]],
    withheld: Collection[str] = (),
) -> list[Field | schema.Group]:
    """The counted questions (`counted_questions`) not answered yet, in form order; for one
    answered whose answer calls for another, that other question instead. A withheld
    answer or repeating group (`withheld` names them) counts as answered."""
    missing: list[Field | schema.Group] = []
    for item in counted_questions():
        if item.name in withheld:
            continue
        if isinstance(item, schema.Group):
            if not rows.get(item.name):
                missing.append(item)
        elif is_blank(values.get(item.name)):
            missing.append(item)
        else:
            missing += [
                follow_up
                for follow_up in _follow_ups().get(item.name, ())
                if is_required(follow_up, values)
                and is_blank(values.get(follow_up.name))
                and follow_up.name not in withheld
            ]
    return missing


def completeness(
    values: Mapping[str, Any],
    rows: Mapping[str, list[Mapping[str, Any]]],
    withheld: Collection[str] = (),
) -> tuple[int, int]:
    """How many of the counted questions are answered, out of how many: the total is the
    same for every entry, so the count only moves as answers are given."""
    counted = counted_questions()
    missing = missing_answers(values, rows, withheld)
    follow_ups = {f.name for fields in _follow_ups().values() for f in fields}
    # A follow-up question left out counts against the question that calls for it.
    unanswered = {item.required_if[0] if item.name in follow_ups else item.name for item in missing}
    return len(counted) - len(unanswered), len(counted)
