"""The register in numbers: /stats for people (charts with the same numbers in tables) and
/stats.json for machines. The figures come from `register.statistics`; this module only
words them and links each one to the listing filtered that way."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for
from flask_babel import gettext, ngettext

from .. import search, statistics
from ..schema.texts import shown
from ..statistics import Breakdown, Count, Figures
from . import charts
from .download_responses import allow_cors

blueprint = Blueprint("statistics", __name__)
# Columns between two marks under the monthly chart, so their years do not overlap.
MARK_SPACING = 6


@dataclass(frozen=True)
class Row:
    label: str
    count: int
    share: str
    href: str


@dataclass(frozen=True)
class Shown:
    """One chart as the page shows it: a title, a sentence saying what it shows, the chart,
    and the same numbers as table rows."""

    id: str
    title: str
    heading: str  # of the table's first column
    summary: str
    chart: charts.Chart
    rows: tuple[Row, ...]
    kind: str = "bars"  # or "columns"
    note: str = ""


def _number(value: int) -> str:
    return f"{value:,}"


def percent(part: float | None) -> str:
    return "" if part is None else f"{round(part * 100)}%"


def _listing(name: str, code: str) -> str:
    return url_for("listing.entries", **{name: code}) if code else ""


def _in_a_sentence(label: str) -> str:
    """A field's label as it reads mid-sentence: "Risk level" as "risk level", but "EU AI
    Act category" as it is."""
    if label[1:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def _rows(counts: tuple[Count, ...], whole: int, href: Callable[[Count], str]) -> tuple[Row, ...]:
    return tuple(
        Row(c.label, c.count, percent(c.count / whole) if whole else "", href(c)) for c in counts
    )


def _in_page_language(breakdown: Breakdown) -> Breakdown:
    """A breakdown by a field of the record, its name and its codes' in the page's language."""
    counts = tuple(replace(count, label=shown(count.label)) for count in breakdown.counts)
    return replace(breakdown, title=shown(breakdown.title), counts=counts)


def _breakdown(breakdown: Breakdown, entries: int) -> Shown:
    breakdown = _in_page_language(breakdown)
    title = gettext("Published entries by %(field)s", field=_in_a_sentence(breakdown.title))
    largest = breakdown.largest
    if largest is None:
        summary = gettext("There are no published entries to count yet.")
    else:
        summary = ngettext(
            "The most common is “%(label)s”: %(count)s of %(total)s entry (%(share)s).",
            "The most common is “%(label)s”: %(count)s of %(total)s entries (%(share)s).",
            entries,
            label=largest.label,
            count=_number(largest.count),
            total=_number(entries),
            share=percent(largest.count / entries),
        )
    note = (
        gettext(
            "An entry may have more than one, so the numbers add up to more than the number"
            " of entries."
        )
        if breakdown.multiple
        else ""
    )

    def href(count: Count) -> str:
        return _listing(breakdown.name, count.code)

    data = [charts.Datum(c.label, c.count, href(c)) for c in breakdown.counts]
    return Shown(
        id=f"by-{breakdown.name.replace('_', '-')}",
        title=title,
        heading=breakdown.title,
        summary=summary,
        chart=charts.bars(data),
        rows=_rows(breakdown.counts, entries, href),
        note=note,
    )


def _personal_data(found: Figures) -> Shown:
    shown = _breakdown(found.personal_data, found.entries)
    yes = found.personal_data.counts[0].count
    summary = (
        ngettext(
            "%(count)s of %(total)s entry (%(share)s) use personal data.",
            "%(count)s of %(total)s entries (%(share)s) use personal data.",
            found.entries,
            count=_number(yes),
            total=_number(found.entries),
            share=percent(found.personal_data_share),
        )
        if found.entries
        else shown.summary
    )
    return Shown(
        id="personal-data",
        title=gettext("Published entries that use personal data"),
        heading=gettext("Personal data"),
        summary=summary,
        chart=shown.chart,
        rows=shown.rows,
    )


def _per_month(found: Figures) -> Shown:
    months = found.per_month
    total = sum(month.count for month in months)
    if months:
        busiest = max(months, key=lambda month: month.count)
        summary = ngettext(
            "%(total)s entry first published between %(first)s and %(last)s. The most in one"
            " month was %(most)s, in %(month)s.",
            "%(total)s entries first published between %(first)s and %(last)s. The most in one"
            " month was %(most)s, in %(month)s.",
            total,
            total=_number(total),
            first=months[0].label,
            last=months[-1].label,
            most=_number(busiest.count),
            month=busiest.label,
        )
    else:
        summary = gettext("No entry has been published yet.")
    # Each January is marked with its year; the first month too, unless a January is near.
    marks = {n: month.code[:4] for n, month in enumerate(months) if month.code.endswith("-01")}
    if months and not any(n < MARK_SPACING for n in marks):
        marks[0] = months[0].code[:4]

    def href(month: Count) -> str:
        return _listing(search.PUBLISHED.name, month.code)

    data = [charts.Datum(month.label, month.count, href(month)) for month in months]
    return Shown(
        id="per-month",
        title=gettext("Entries first published each month"),
        heading=gettext("Month"),
        summary=summary,
        chart=charts.columns(data, marks),
        rows=_rows(months, total, href),
        kind="columns",
        note=gettext("Entries since withdrawn are not counted."),
    )


def _top_organisations(found: Figures) -> Shown:
    top = found.top_organisations
    summary = (
        gettext(
            "%(name)s has the most published entries: %(count)s.",
            name=top[0].label,
            count=_number(top[0].count),
        )
        if top
        else gettext("No organisation has published an entry yet.")
    )

    def href(count: Count) -> str:
        return _listing("organisation", count.code)

    return Shown(
        id="top-organisations",
        title=gettext("Organisations with the most published entries"),
        heading=gettext("Organisation"),
        summary=summary,
        chart=charts.bars([charts.Datum(c.label, c.count, href(c)) for c in top]),
        rows=_rows(top, found.entries, href),
    )


def _by_source(found: Figures) -> Shown:
    # Sources are named as their registers name themselves; only this register's own is
    # said in the page's language.
    counts = tuple(
        replace(count, label=gettext(count.label)) if count.code == search.WRITTEN_HERE else count
        for count in found.by_source
    )
    imported = sum(count.count for count in counts if count.code != search.WRITTEN_HERE)
    sources = sum(1 for count in counts if count.code != search.WRITTEN_HERE)
    figures = {
        "count": _number(imported),
        "total": _number(found.entries),
        "share": percent(imported / found.entries) if found.entries else "",
    }
    if not counts:
        summary = gettext("There are no published entries to count yet.")
    elif not sources:
        summary = gettext("Every published entry was written on this register.")
    elif sources == 1:
        summary = ngettext(
            "%(count)s of %(total)s entry (%(share)s) were imported from another register.",
            "%(count)s of %(total)s entries (%(share)s) were imported from another register.",
            found.entries,
            **figures,
        )
    else:
        summary = ngettext(
            "%(count)s of %(total)s entry (%(share)s) were imported from %(sources)s other"
            " registers.",
            "%(count)s of %(total)s entries (%(share)s) were imported from %(sources)s other"
            " registers.",
            found.entries,
            sources=sources,
            **figures,
        )

    def href(count: Count) -> str:
        return _listing(search.SOURCE.name, count.code)

    return Shown(
        id="by-source",
        title=gettext("Published entries by source"),
        heading=gettext("Source"),
        summary=summary,
        chart=charts.bars([charts.Datum(c.label, c.count, href(c)) for c in counts]),
        rows=_rows(counts, found.entries, href),
    )


def kept_in() -> Path:
    """Where the figures are kept between processes: beside the downloads kept as files."""
    return Path(current_app.config["BUILT_FILES_DIR"])


@blueprint.get("/stats")
def stats() -> str:
    found = statistics.figures(date.today(), kept_in())
    shown = [
        *(_breakdown(breakdown, found.entries) for breakdown in found.breakdowns),
        _personal_data(found),
        _per_month(found),
        _top_organisations(found),
        _by_source(found),
    ]
    return render_template(
        "statistics/stats.html",
        found=found,
        shown=shown,
        withheld_by_organisation=[
            Row(c.label, c.count, "", url_for("organisations.organisation", slug=c.code))
            for c in found.withheld_by_organisation
        ],
        percent=percent,
        overdue_href=_listing(search.REVIEW.name, search.OVERDUE),
    )


@blueprint.get("/stats.json")
def stats_json() -> Response:
    """The figures for machines: open data, readable from any site."""
    found = statistics.figures(date.today(), kept_in())
    return allow_cors(jsonify(statistics.as_json(found)))
