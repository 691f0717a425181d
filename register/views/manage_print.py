"""An entry as it stands, on one page made for printing: what a publisher signs off.

Every question of the record is on it, unanswered ones said to be so, with each repeating
group's rows in full, which version it is and when it was saved or published, and the day
it was printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from .. import publishing, schema
from ..models import Entry, EntryVersion
from . import entry_summary
from .manage import blueprint, entry_or_404, latest_version, render_entry_page


@dataclass(frozen=True)
class PrintedVersion:
    """Which version a printout shows: its number (the one it will have, for a draft that
    is not yet published), and when it was published or last saved."""

    number: int
    published: bool
    dated: datetime | None


def printed_version(entry: Entry, version: EntryVersion) -> PrintedVersion:
    if version.number is not None:
        return PrintedVersion(version.number, True, version.published_at)
    # A draft becomes the version after the latest one published.
    latest = max((v.number or 0 for v in entry.published_versions), default=0)
    return PrintedVersion(latest + 1, False, version.updated_at)


def _group_rows(version: EntryVersion, section: schema.Section) -> list[dict[str, Any]]:
    """Each repeating group of `section`, with every answer of each of its rows."""
    rows = publishing.rows_of(version)
    return [
        {
            "group": group,
            "rows": [
                {
                    "title": entry_summary.row_title(group, row, number),
                    "answers": entry_summary.row_answers(group, row),
                }
                for number, row in enumerate(rows.get(group.name, []), start=1)
            ],
        }
        for group in section.groups
    ]


@blueprint.get("/entries/<reference>/print")
def print_entry(reference: str) -> str:
    """Every answer of the entry as it stands (its draft, if it has one), to print."""
    entry = entry_or_404(reference)
    version = latest_version(entry)
    progress = entry_summary.progress_of(version)
    cards = entry_summary.summary_cards(entry, version, progress.problems)
    return render_entry_page(
        "manage/print.html",
        entry,
        printed=printed_version(entry, version),
        progress=progress,
        sections=[
            (card, _group_rows(version, section))
            for card, section in zip(cards, schema.SECTIONS, strict=True)
        ],
        printed_on=date.today(),
    )
