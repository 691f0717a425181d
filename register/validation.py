"""Checking values against the record definition: one set of rules for forms, API and imports.

`check_value` says what is wrong with one value in words fit to show next to the field;
`problems_before_publishing` lists what a version still needs before it may be published.
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
from .schema import Field, Kind

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


# Built once: a union like `str | list` is a new object each time it is written, and an
# enum member costs a lookup each time it is named, which matter when an import checks every
# value of thousands of rows.
_SIZED = (str, list, tuple)
_TEXT_KINDS = frozenset({Kind.TEXT, Kind.LONG_TEXT, Kind.EMAIL, Kind.URL, Kind.PARTIAL_DATE})


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, _SIZED) and len(value) == 0)


def check_partial_date(text: str) -> str | None:
    match = PARTIAL_DATE.match(text)
    if not match:
        return "must be a year, a year and month, or a full date, like 2024, 2024-03 or 2024-03-27"
    year, month, day = (int(part) if part else None for part in match.groups())
    if not 1900 <= year <= 2100:
        return "must have a year between 1900 and 2100"
    if month is not None and not 1 <= month <= 12:
        return "must have a month between 01 and 12"
    if day is not None:
        try:
            date(year, month, day)
        except ValueError:
            return "must be a real date"
    return None


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
        if not isinstance(value, str):
            return f"{field.label} must be text"
        if field.max_length and len(value) > field.max_length:
            return f"{field.label} must be {field.max_length} characters or fewer"
        if "\x00" in value:
            return f"{field.label} must not contain a null character"
    check = _CHECKS.get(kind)
    return None if check is None else check(field, value)


def _check_email(field: Field, value: Any) -> str | None:
    if not is_email_address(value):
        return f"Enter {field.label.lower()} in the correct format, like name@example.org"
    return None


def _check_url(field: Field, value: Any) -> str | None:
    if not URL.match(value):
        return f"Enter {field.label.lower()} as a full web address starting http:// or https://"
    return None


def _check_partial_date(field: Field, value: Any) -> str | None:
    problem = check_partial_date(value)
    return f"{field.label} {problem}" if problem else None


def _check_choice(field: Field, value: Any) -> str | None:
    if value not in field.vocabulary:
        return f"{field.label}: choose one of the options listed"
    return None


def _check_choices(field: Field, value: Any) -> str | None:
    if not isinstance(value, list | tuple) or any(v not in field.vocabulary for v in value):
        return f"{field.label}: choose only options that are listed"
    return None


def _check_boolean(field: Field, value: Any) -> str | None:
    if not isinstance(value, bool):
        return f"Select yes or no for {field.label.lower()}"
    return None


# What each kind of field checks besides (text's length and characters, above).
_CHECKS = {
    Kind.EMAIL: _check_email,
    Kind.URL: _check_url,
    Kind.PARTIAL_DATE: _check_partial_date,
    Kind.CHOICE: _check_choice,
    Kind.CHOICES: _check_choices,
    Kind.BOOLEAN: _check_boolean,
}


def check_values(fields: Iterable[Field], values: Mapping[str, Any]) -> dict[str, str]:
    """Every problem in `values`, keyed by field name. Unknown keys are problems too."""
    known = {field.name: field for field in fields}
    problems = {
        name: f"{name} is not a field of this section" for name in values if name not in known
    }
    for name, value in values.items():
        if name in known:
            problem = check_value(known[name], value)
            if problem:
                problems[name] = problem
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
    values: Mapping[str, Any], rows: Mapping[str, list[Mapping[str, Any]]]
) -> list[Problem]:
    """Required fields left empty (or invalid) in a record, in form order.

    `values` maps field names to values (multi-choice fields as lists, the organisation as
    its id); `rows` maps each repeating group's name to its rows.
    """
    problems = []
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, schema.Group):
                for number, row in enumerate(rows.get(item.name, []), start=1):
                    for field in item.fields:
                        value = row.get(field.name)
                        if field.required and is_blank(value):
                            problems.append(
                                Problem(
                                    section.slug,
                                    f"{item.name}-{number}-{field.name}",
                                    f"Enter the {field.label.lower()} of "
                                    f"{item.item_label} {number}",
                                    unanswered=True,
                                )
                            )
                continue
            value = values.get(item.name)
            if is_blank(value):
                if is_required(item, values):
                    verb = "Select" if item.vocabulary or item.kind is Kind.BOOLEAN else "Enter"
                    problems.append(
                        Problem(
                            section.slug, item.name, f"{verb} {item.label.lower()}", unanswered=True
                        )
                    )
            elif item.kind is not Kind.ORGANISATION:
                problem = check_value(item, value)
                if problem:
                    problems.append(Problem(section.slug, item.name, problem))
    return problems


def answered_questions(
    values: Mapping[str, Any], rows: Mapping[str, list[Mapping[str, Any]]]
) -> set[str]:
    """The questions `values` and `rows` answer, named as `Problem.field` names them (a
    repeating row's as `group-number-field`)."""
    answered = {name for name, value in values.items() if not is_blank(value)}
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


def completeness(
    values: Mapping[str, Any], rows: Mapping[str, list[Mapping[str, Any]]]
) -> tuple[int, int]:
    """How many of the required and recommended questions are answered, out of how many."""
    answered = total = 0
    for section in schema.SECTIONS:
        for item in section.items:
            if isinstance(item, schema.Group):
                if item.recommended:
                    total += 1
                    answered += bool(rows.get(item.name))
            elif item.kind is Kind.ORGANISATION:
                continue  # always set when the entry is made; not a question to answer
            elif item.required or item.recommended or is_required(item, values):
                total += 1
                answered += not is_blank(values.get(item.name))
    return answered, total
