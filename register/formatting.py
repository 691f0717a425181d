"""How values read on the register's pages: dates, states, roles and the like.

Every template filter, template global and context processor is registered here, by
`init_formatting`, which the app factory calls once; blueprints register none, so a page
reads the same whichever part of the register shows it. Python code that writes a date for
people (a flash message, a summary card) calls the same functions, so "how a date reads" has
this one home.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from flask import Flask

from . import signed_in
from .addresses import absolute_url
from .models.entry import DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN
from .schema.vocabularies import ORGANISATION_TYPE, ROLE

MONTHS = (
    "January February March April May June July August September October November December"
).split()

# How precisely the `date` filter writes a moment; "day" unless the template says otherwise.
PRECISIONS = ("day", "month", "minute", "second")

STATE_NAMES = {
    DRAFT: "Draft",
    IN_REVIEW: "In review",
    PUBLISHED: "Published",
    WITHDRAWN: "Withdrawn",
}


def _in_utc(value: date) -> date:
    # SQLite gives back times without their zone; the register stores them all in UTC.
    if isinstance(value, datetime) and value.tzinfo:
        return value.astimezone(UTC)
    return value


def day(value: date | None) -> str:
    """A date as people write it: 3 May 2025."""
    if not value:
        return ""
    value = _in_utc(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month(value: date | None) -> str:
    """The month of a date as people write it: May 2025."""
    if not value:
        return ""
    value = _in_utc(value)
    return f"{MONTHS[value.month - 1]} {value.year}"


def moment(value: datetime | None, *, seconds: bool = False) -> str:
    """A moment as people write it, in UTC: 3 May 2025 at 14:05 UTC (or 14:05:09 UTC)."""
    if not value:
        return ""
    value = _in_utc(value)
    time = f"{value:%H:%M:%S}" if seconds else f"{value:%H:%M}"
    return f"{day(value)} at {time} UTC"


def partial_date(text: str) -> str:
    """A stored partial date (2024, 2024-05 or 2024-05-03) as people write it."""
    parts = text.split("-")
    try:
        numbers = [int(part) for part in parts]
        if len(numbers) == 3:
            return day(date(*numbers))
        if len(numbers) == 2:
            return month(date(numbers[0], numbers[1], 1))
    except (ValueError, IndexError):
        pass  # not a date the form would accept: show it as it was stored
    return text


def format_date(value: date | str | None, precision: str = "day") -> str:
    """The `date` filter: `value` as people write it, to the `precision` asked for ("day",
    "month", "minute" or "second"; the last two add the time in UTC). A string is a stored
    partial date ("2024-05" reads "May 2024") and is written as precisely as it was given."""
    if precision not in PRECISIONS:
        raise ValueError(f"the date filter writes to a {', '.join(PRECISIONS)}, not {precision}")
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return partial_date(value)
    if precision == "month":
        return month(value)
    if precision in ("minute", "second"):
        if not isinstance(value, datetime):
            raise TypeError(f"{value!r} is a day, not a moment: it has no time to write")
        return moment(value, seconds=precision == "second")
    return day(value)


def state_name(state: str | None) -> str:
    """An entry's workflow state as people read it: "in_review" is "In review"."""
    return STATE_NAMES.get(state or "", state or "")


def role_name(role: str | None) -> str:
    """A person's role in an organisation as people read it."""
    return ROLE.label_for(role)


def organisation_type_name(code: str | None) -> str:
    """An organisation's type as people read it."""
    return ORGANISATION_TYPE.label_for(code)


def a_or_an(words: str) -> str:
    """`words` after the indefinite article that fits them: "a risk", "an impact assessment"."""
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}"


def init_formatting(app: Flask) -> None:
    """Register the template filters and globals; the app factory calls this once."""
    filters = {
        "date": format_date,
        "state_name": state_name,
        "role_name": role_name,
        "organisation_type_name": organisation_type_name,
        "a_or_an": a_or_an,
    }
    for name, function in filters.items():
        app.add_template_filter(function, name)
    app.add_template_global(absolute_url)

    @app.context_processor
    def register_settings() -> dict[str, Any]:
        """What every page says about the register itself, from its settings."""
        return {
            "register_name": app.config["REGISTER_NAME"],
            "register_licence_name": app.config["REGISTER_LICENCE_NAME"],
            "register_licence_url": app.config["REGISTER_LICENCE_URL"],
            "register_phase": app.config["REGISTER_PHASE"],
            "register_phase_text": app.config["REGISTER_PHASE_TEXT"],
            "register_contact_email": app.config["REGISTER_CONTACT_EMAIL"],
        }

    @app.context_processor
    def person_signed_in() -> dict[str, Any]:
        """Who is signed in, as plain values loaded before the page is drawn (or None), and
        when their session ends."""
        return {"signed_in": signed_in.signed_in(), "session_end": signed_in.session_end()}
