"""How values read on the register's pages: dates, states, roles and the like.

Every template filter, template global and context processor is registered here, by
`init_formatting`, which the app factory calls once; blueprints register none, so a page
reads the same whichever part of the register shows it. Python code that writes a date for
people (a flash message, a summary card) calls the same functions, so "how a date reads" has
this one home.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from babel.dates import get_month_names
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import gettext
from markupsafe import Markup, escape

from . import languages, signed_in
from .addresses import absolute_url, current_address
from .models.entry import DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN
from .schema.texts import choice_label, shown
from .schema.vocabularies import ORGANISATION_TYPE, ROLE

# How precisely the `date` filter writes a moment; "day" unless the template says otherwise.
PRECISIONS = ("day", "month", "minute", "second")


def _in_utc(value: date) -> date:
    # SQLite gives back times without their zone; the register stores them all in UTC.
    if isinstance(value, datetime) and value.tzinfo:
        return value.astimezone(UTC)
    return value


def _locale() -> str:
    # The page's language (Welsh under /cy), or English outside a request: emails, the
    # command line and the open data are written in English.
    return languages.current_language()


@cache
def _month_names(locale: str, context: str) -> dict[int, str]:
    # Babel's names of the months (CLDR's), looked up once per language: a listing writes
    # many dates, and Babel's pattern formatting costs several times more than this.
    # "format" is the name after a day (3 May), "stand-alone" the name alone (May 2025).
    return dict(get_month_names("wide", context, locale))


def day(value: date | None, language: str | None = None) -> str:
    """A date as people write it: 3 May 2025 (5 Rhagfyr 2026 on a Welsh page). In the page's
    language unless `language` says; text that is kept (the audit log) is written in English."""
    if not value:
        return ""
    value = _in_utc(value)
    name = _month_names(language or _locale(), "format")[value.month]
    return f"{value.day} {name} {value.year}"


def month(value: date | None) -> str:
    """The month of a date as people write it: May 2025 (Mai 2025)."""
    if not value:
        return ""
    value = _in_utc(value)
    return f"{_month_names(_locale(), 'stand-alone')[value.month]} {value.year}"


def moment(value: datetime | None, *, seconds: bool = False) -> str:
    """A moment as people write it, in UTC: 3 May 2025 at 14:05 UTC (or 14:05:09 UTC)."""
    if not value:
        return ""
    value = _in_utc(value)
    time = f"{value:%H:%M:%S}" if seconds else f"{value:%H:%M}"
    return _moment_pattern(_locale()) % {"day": day(value), "time": time}


@cache
def _moment_pattern(locale: str) -> str:
    # Looked up once per language (gettext costs far more than the formatting), in a
    # request or context whose language is `locale`.
    return gettext("%(day)s at %(time)s UTC")


def number(value: float | None) -> str:
    """A number as people write it in the page's language: 12,345 or 2.5."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale())


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
    """An entry's workflow state as people read it, in the page's language: "in_review" is
    "In review"."""
    return gettext(STATE_NAMES[state]) if state in STATE_NAMES else state or ""


def role_name(role: str | None) -> str:
    """A person's role in an organisation as people read it."""
    return choice_label(ROLE, role)


def organisation_type_name(code: str | None) -> str:
    """An organisation's type as people read it."""
    return choice_label(ORGANISATION_TYPE, code)


def a_or_an(words: str) -> str:
    """One of the record's texts after the indefinite article that fits it, in the page's
    language: "a risk", "an impact assessment"; Welsh has no indefinite article ("risg")."""
    if languages.current_language() != "en":
        return shown(words)
    return f"{'an' if words[:1].lower() in 'aeiou' else 'a'} {words}"


def entry_title(version: Any) -> languages.Said:
    """A version's title in the page's language: the Welsh title on a Welsh page when it
    has one, else the English, marked as English (and the other way round); "Untitled
    entry" for a working copy with neither."""
    said = languages.in_page_language(version.title, getattr(version, "title_cy", None))
    return said or languages.Said(gettext("Untitled entry"))


def lang_attribute(text: object) -> Markup:
    """` lang="en"` for the element showing a text (a `languages.Said`) in a language other
    than the page's; nothing for one in the page's language."""
    lang = getattr(text, "lang", "")
    return Markup(' lang="{}"').format(lang) if lang else Markup("")


def in_its_language(text: object) -> Markup:
    """A text (a `languages.Said`) to put inside a sentence or a link: in a `span` with its
    `lang` when it is in another language than the page's, else as it is."""
    lang = getattr(text, "lang", "")
    if lang:
        return Markup('<span lang="{}">{}</span>').format(lang, text)
    return escape(str(text))


def N_(text: str) -> str:  # the name gettext's extractor looks for
    """`text` unchanged, marked for the catalogue: it is translated where it is shown."""
    return text


STATE_NAMES = {
    DRAFT: N_("Draft"),
    IN_REVIEW: N_("In review"),
    PUBLISHED: N_("Published"),
    WITHDRAWN: N_("Withdrawn"),
}

# The settings' defaults that every page shows, marked so the catalogue carries them: each
# is translated when shown, so a register that names itself otherwise shows its own words.
SETTINGS_SHOWN = (
    N_("Public Sector AI Register"),
    N_("Open Government Licence v3.0"),
    N_("This is a new service. Help us improve it by telling us what you think."),
    N_("Alpha"),
    N_("Beta"),
)


def init_formatting(app: Flask) -> None:
    """Register the template filters and globals; the app factory calls this once."""
    filters = {
        "date": format_date,
        "number": number,
        "state_name": state_name,
        "role_name": role_name,
        "organisation_type_name": organisation_type_name,
        "a_or_an": a_or_an,
        # An entry's title in the page's language, and the `lang` of a text in another.
        "entry_title": entry_title,
        "lang_attribute": lang_attribute,
        "in_its_language": in_its_language,
        # A text of the record (a section's title, a label) in the page's language.
        "record_text": shown,
    }
    for name, function in filters.items():
        app.add_template_filter(function, name)
    app.add_template_global(absolute_url)
    # The words of the warning before a signed-in session ends, in the page's language.
    app.add_template_global(signed_in.timeout_texts, "session_timeout_texts")
    # Links to static files name no language; `_` and `{% trans %}` translate the page.
    app.add_template_global(languages.url_for, "url_for")
    app.jinja_env.add_extension("jinja2.ext.i18n")
    # `{% trans %}` blocks read as one line, however the template wraps them (babel.cfg too).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: languages.translations().ugettext(text),
        ngettext=lambda one, many, n: languages.translations().ungettext(one, many, n),
        newstyle=True,
    )

    @app.context_processor
    def register_settings() -> dict[str, Any]:
        """What every page says about the register itself, from its settings."""
        return {
            "register_name": gettext(app.config["REGISTER_NAME"]),
            "register_licence_name": gettext(app.config["REGISTER_LICENCE_NAME"]),
            "register_licence_url": app.config["REGISTER_LICENCE_URL"],
            "register_phase": app.config["REGISTER_PHASE"],
            "register_phase_text": gettext(app.config["REGISTER_PHASE_TEXT"]),
            "register_contact_email": app.config["REGISTER_CONTACT_EMAIL"],
        }

    @app.context_processor
    def page_language() -> dict[str, Any]:
        """The page's language, and how to reach the same page in each language: links for
        the switcher and full addresses for the `hreflang` alternates."""
        return {
            "page_language": languages.current_language(),
            "languages": languages.LANGUAGES,
            "change_language_to": languages.CHANGE_TO,
            "this_page_in": languages.this_page_in,
            "this_address_in": current_address,
        }

    @app.context_processor
    def person_signed_in() -> dict[str, Any]:
        """Who is signed in, as plain values loaded before the page is drawn (or None), and
        when their session ends."""
        return {"signed_in": signed_in.signed_in(), "session_end": signed_in.session_end()}
