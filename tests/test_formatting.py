"""How values read on pages: one `date` filter for every date, and every filter and template
global registered once, in the app factory (register/formatting.py)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from register.formatting import format_date

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
REGISTER = ROOT / "register"
# The one place that registers these, called once by the app factory.
FORMATTING = REGISTER / "formatting.py"
REGISTERING = re.compile(
    r"\.(app_template_filter|app_template_global|app_template_test|add_app_template_filter"
    r"|add_app_template_global|add_app_template_test|add_template_filter|add_template_global"
    r"|add_template_test|template_filter|template_global|template_test|app_context_processor"
    r"|context_processor)\b"
)


@pytest.mark.parametrize(
    ("value", "precision", "shown"),
    [
        (date(2025, 5, 3), "day", "3 May 2025"),
        (datetime(2025, 5, 3, 14, 5, 9), "day", "3 May 2025"),
        (date(2025, 5, 3), "month", "May 2025"),
        (datetime(2025, 5, 3, 14, 5, 9), "minute", "3 May 2025 at 14:05 UTC"),
        (datetime(2025, 5, 3, 14, 5, 9), "second", "3 May 2025 at 14:05:09 UTC"),
        (datetime(2025, 5, 3, 9, 5, tzinfo=UTC), "minute", "3 May 2025 at 09:05 UTC"),
        # A moment kept with another zone still reads in UTC, the day included.
        (
            datetime(2025, 5, 4, 0, 30, tzinfo=timezone(timedelta(hours=1))),
            "minute",
            "3 May 2025 at 23:30 UTC",
        ),
        ("2024", "day", "2024"),
        ("2024-05", "day", "May 2024"),
        ("2024-05-03", "day", "3 May 2024"),
        ("soon", "day", "soon"),
        (None, "day", ""),
        ("", "minute", ""),
    ],
)
def test_the_date_filter_writes_dates_as_people_write_them(value, precision, shown):
    assert format_date(value, precision) == shown


def test_the_date_filter_refuses_a_precision_it_does_not_know():
    with pytest.raises(ValueError):
        format_date(date(2025, 5, 3), "week")


def test_the_date_filter_refuses_a_time_for_a_day():
    with pytest.raises(TypeError):
        format_date(date(2025, 5, 3), "minute")


def test_templates_write_dates_with_the_date_filter_not_strftime():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "strftime" in line
    ]
    assert found == [], "use the `date` filter (register/formatting.py) instead"


def test_no_blueprint_registers_template_filters_globals_or_context_processors():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(REGISTER.rglob("*.py"))
        if path != FORMATTING
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if REGISTERING.search(line)
    ]
    assert found == [], "register them in register/formatting.py `init_formatting`"


def test_no_template_filter_global_or_context_processor_comes_from_a_view_module(app):
    functions = [
        *app.jinja_env.filters.values(),
        *app.jinja_env.globals.values(),
        *(f for found in app.template_context_processors.values() for f in found),
    ]
    modules = {getattr(f, "__module__", "") or "" for f in functions if callable(f)}
    assert sorted(m for m in modules if m.startswith("register.views")) == []


def test_the_app_factory_registers_the_formatting_filters(app):
    for name in ("date", "state_name", "role_name", "organisation_type_name", "a_or_an"):
        assert name in app.jinja_env.filters
    assert "absolute_url" in app.jinja_env.globals
