"""A register of real published titles and summaries, and the hard cases of reading words, for
checking that a search finds the same entries on SQLite and PostgreSQL.

The real rows come from the samples of other registers' files in `data/real/` (US federal
inventory 2025, GOV.UK algorithmic transparency records, New York City's tools). What each
search should find is worked out here, in Python, from the register's own reading of words
(`register.models.search_words`), without any database: so the same expectations hold on both
engines, and a difference between them fails the test on one.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from register.demo.bulk import BulkWriter
from register.demo.history import Draft, Version
from register.demo.organisations import DemoOrganisation
from register.extensions import db
from register.models.search_words import indexed
from register.schema import searchable_fields
from register.search.text import Terms, terms_of

from .manage_world import World
from .snapshots import built_once

REAL = Path(__file__).parent / "data" / "real"
SEARCHABLE = tuple(field.name for field in searchable_fields())

# Hand-written entries for what the engines used to read differently: apostrophes (straight
# and curly), hyphens, accents, digits, stems and very common words.
HARD_CASES: dict[str, dict[str, str]] = {
    "apostrophe": {"title": "Children's services triage", "summary": "Sorts referrals."},
    "curly": {"title": "Children’s home inspections", "summary": "Drafts reports."},
    "no_apostrophe": {"title": "Childrens centre bookings", "summary": "Books sessions."},
    "plain": {"title": "Support for children", "summary": "Finds help for families."},
    "hyphen": {"title": "Staff well-being survey", "summary": "An AI-driven analysis."},
    "joined": {"title": "Wellbeing check-ins", "summary": "Sends e-mail reminders."},
    "apart": {"title": "Well being at work", "summary": "Reads every email sent."},
    "digits": {"title": "GPT-4 letter drafting", "summary": "Used since 2024 for letters."},
    "model": {"title": "GPT4o pilot", "summary": "Summaries with gpt-4o in 2023."},
    "accents": {"title": "Café naïve coördinatie", "summary": "Crème brûlée rota."},
    "common": {"title": "The end of the road", "summary": "Roads that are to be mended."},
    "possessive": {"title": "Parents' evening planner", "summary": "It's the school's own."},
}


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def real_rows() -> list[dict[str, str]]:
    """Titles and texts of real published entries, as the register's fields."""
    rows: list[dict[str, str]] = []
    with (REAL / "us" / "us-2025-inventory-sample.csv").open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            if row["use_case_name"].strip():
                rows.append(
                    {
                        "title": row["use_case_name"],
                        "summary": row["problem_solved"],
                        "benefits": row["benefits"],
                        "outputs": row["system_outputs"],
                        "supplier_name": row["vendor_name"],
                        "team": row["agency_bureau"],
                    }
                )
    records = json.loads((REAL / "atrs" / "govuk_search_results.json").read_text("utf-8"))
    rows += [{"title": r["title"], "summary": r["description"]} for r in records["results"]]
    with (REAL / "nyc" / "nyc-algorithmic-tools-sample.csv").open(encoding="utf-8-sig") as file:
        for row in csv.DictReader(file):
            rows.append(
                {
                    "title": row["tool_name"],
                    "summary": row["tool_desc_brief"],
                    "purpose": row["tool_desc_detail"],
                    "supplier_name": row["vendor_name"],
                }
            )
    return rows


def _values(fields: dict[str, str]) -> dict[str, Any]:
    """The searchable fields of an entry (every one, so the rows insert together)."""
    limits = {"title": 120, "summary": 500, "team": 200, "supplier_name": 200}
    return {
        name: _cut(fields[name], limits.get(name, 2000)) if fields.get(name) else None
        for name in SEARCHABLE
    }


def build(world: World) -> dict[str, dict[str, Any]]:
    """Publish every entry at once, as the bulk loader does (one insert of many rows, which
    makes each row's words as the workflow does); each one's answers, by its reference."""
    every = [_values(fields) for fields in [*HARD_CASES.values(), *real_rows()]]
    now = datetime.now(UTC)
    with world.app.app_context():
        found = world.organisation()
        organisation = DemoOrganisation(
            found.id, found.name, found.slug, found.type, "northshire.example", False
        )
        drafts = [
            Draft(organisation, [Version(values, [], {}, now, "")], now, now.date(), now.date())
            for values in every
        ]
        prefix = world.app.config["REGISTER_REFERENCE_PREFIX"]
        references = BulkWriter(db.engine, prefix).add_entries(drafts)
    return dict(zip(references, every, strict=True))


def built(world: World) -> dict[str, dict[str, Any]]:
    return built_once(world.app, "search phrases", lambda: build(world))


# The searches, each run on the corpus: the hard cases, then words of the real rows.
SEARCHES = [
    "children's",
    "children’s",
    "childrens",
    "children",
    "child",
    '"children\'s services"',
    '"childrens services"',
    "well-being",
    "wellbeing",
    "well being",
    '"well being"',
    "AI-driven",
    "driven",
    "e-mail",
    "email",
    "GPT-4",
    "gpt4",
    "gpt-4o",
    "GPT",
    "2024",
    "café",
    "cafe",
    "coordinatie",
    "naive",
    "parents",
    "parent's",
    "school",
    "the road",
    '"the end of the road"',
    "roads mended",
    "predictive",
    "prediction",
    "forecasting",
    "translation",
    "chatbot",
    "chat",
    "webchat",
    "real-time",
    '"real time"',
    "open-source",
    "K-mean",
    "Moody's",
    "LLM",
    "pupils' writing",
    "KS2",
    "caseworkers",
    "COVID-19",
    "coronavirus",
    '"text generation"',
    "generative AI",
    "NHS.UK reviews",
    "pedestrian crossing",
    "risk and needs",
    '"risk and needs"',
    "child maintenance",
    "Amazon Q",
    "zebra",
]


@lru_cache(maxsize=4096)
def _words(text: str | None) -> list[str]:
    return indexed(text).split()


def _holds(words: list[str], word: str) -> bool:
    if Terms.is_prefix(word):
        return any(found.startswith(word) for found in words)
    return word in words


def _has_phrase(words: list[str], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(tuple(words[i : i + size]) == phrase for i in range(len(words) - size + 1))


def finds(values: dict[str, Any], terms: Terms) -> bool:
    """Whether an entry with these answers matches `terms`: the meaning of a search, worked
    out word by word, field by field (a phrase never runs from one field into the next)."""
    fields = [_words(values.get(name)) for name in SEARCHABLE]
    return (
        all(any(_holds(words, word) for words in fields) for word in terms.words)
        and all(
            any(_holds(words, joined) or _has_phrase(words, parts) for words in fields)
            for joined, parts in terms.compounds
        )
        and all(any(_has_phrase(words, phrase) for words in fields) for phrase in terms.phrases)
    )


def expected(published: dict[str, dict[str, Any]], text: str) -> set[str]:
    """The references a search for `text` should find."""
    terms, _ = terms_of(text)
    return {reference for reference, values in published.items() if finds(values, terms)}
