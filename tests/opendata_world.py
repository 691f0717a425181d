"""Published entries for the open-data tests: awkward text, fixed dates, and helpers to read
what the downloads send back."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import update

from register.extensions import db
from register.models import Entry, EntryVersion

from .factories import publishable_values
from .manage_world import World

# Text that has broken CSV and JSON writers: quotes, commas, line breaks, a right-to-left
# mark, emoji, and what a spreadsheet would run as a formula.
AWKWARD_TITLE = '=HYPERLINK("http://evil.example", "Click") , “quoted”'
AWKWARD_SUMMARY = 'Line one, with "quotes";\nline two \u200fمرحبا\u200f 🤖\r\n@SUM(A1:A2)'

AWKWARD_ROWS: dict[str, list[dict[str, Any]]] = {
    "data_sources": [
        {"name": "+44 call logs", "description": "-1 row, a\ttab", "contains_personal_data": True},
        {"name": "Road survey", "link": "https://data.example/roads"},
    ],
    "risks": [
        {"name": "Bias", "category": "bias_discrimination", "mitigation": "Audits, yearly."},
        {"name": "Outage", "category": "accuracy_reliability"},
    ],
    "impact_assessments": [{"kind": "data_protection", "title": "DPIA", "date": "2024-02"}],
}

FIXED = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def publish_awkward(world: World) -> str:
    """A published entry full of awkward text, with fixed dates; its reference."""
    reference = world.entry(
        "published",
        values=publishable_values(
            title=AWKWARD_TITLE,
            summary=AWKWARD_SUMMARY,
            team="-Highways",
            techniques=["computer_vision", "classical_ml"],
            web_page="https://northshire.example/potholes?a=1&b=2",
            uses_special_category_data=False,
        ),
        rows=AWKWARD_ROWS,
    )
    fix_dates(world, reference)
    return reference


def fix_dates(world: World, reference: str) -> None:
    """Give an entry and its versions the same fixed dates, so output can be compared."""
    with world.app.app_context():
        entry_id = world.load(reference).id
        db.session.execute(
            update(Entry)
            .where(Entry.id == entry_id)
            .values(
                first_published_at=FIXED,
                last_published_at=FIXED,
                last_reviewed_on=date(2025, 3, 1),
                next_review_due=date(2026, 3, 1),
            )
        )
        db.session.execute(
            update(EntryVersion)
            .where(EntryVersion.entry_id == entry_id, EntryVersion.number.is_not(None))
            .values(published_at=FIXED)
        )
        db.session.commit()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert not text.startswith("\ufeff"), "CSV downloads have no byte order mark"
    return list(csv.DictReader(io.StringIO(text, newline="")))


def json_records(data: bytes) -> list[dict[str, Any]]:
    return json.loads(data.decode("utf-8"))


def fetch(client, url: str, **kwargs):
    """GET `url`, reading a streamed body to its end and closing it, as a server would."""
    return client.get(url, buffered=True, **kwargs)
