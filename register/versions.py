"""A version's answers: reading them as plain values, writing them, copying and publishing.

The workflow (`publishing`) and the importers both change versions through these, so a
version is always written the same way whichever way its answers arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from . import completeness, schema, suppliers, validation, withholding
from .models import Entry, EntryVersion, User, VersionChoice
from .models.entry import GROUP_MODELS, PUBLISHED
from .schema import Kind, registries

REVIEW_INTERVAL = timedelta(days=365)
FIRST_PUBLICATION_NOTE = "First publication."


def values_of(version: EntryVersion) -> dict[str, Any]:
    """The version's answers keyed by field name; multi-choice fields as lists of codes."""
    values: dict[str, Any] = {"organisation": version.organisation_id}
    for field in schema.all_fields():
        if field.kind is Kind.CHOICES:
            values[field.name] = version.codes(field.name)
        elif field.kind is not Kind.ORGANISATION:
            values[field.name] = getattr(version, field.name)
    return values


def rows_of(version: EntryVersion) -> dict[str, list[dict[str, Any]]]:
    """The version's repeating rows, per group, as dictionaries in order."""
    return {
        group.name: [
            {field.name: getattr(row, field.name) for field in group.fields}
            for row in getattr(version, group.name)
        ]
        for group in schema.groups()
    }


def set_values(version: EntryVersion, values: Mapping[str, Any]) -> None:
    """Store answers (keyed by field name) on a version; an empty string, or one of white
    space alone, stores nothing. An answer given to a withheld question is no longer withheld."""
    fields = {field.name: field for field in schema.all_fields()}
    given = {name for name, value in values.items() if not validation.is_blank(value)}
    if given and version.withheld:
        version.withheld = [row for row in version.withheld if row.field not in given]
    for name, value in values.items():
        field = fields[name]
        if field.kind is Kind.CHOICES:
            # Keep rows for codes still chosen: deleting and re-inserting the same code in
            # one flush would break the unique constraint (inserts are flushed first).
            wanted = list(dict.fromkeys(value or []))
            kept = [c for c in version.choices if c.field != name or c.code in wanted]
            have = {c.code for c in kept if c.field == name}
            version.choices = kept + [
                VersionChoice(field=name, code=code) for code in wanted if code not in have
            ]
        elif field.kind is not Kind.ORGANISATION:
            # Pages treat such an answer as absent, and so must the orders made in SQL
            # (`models.entry.title_in_welsh`).
            blank = isinstance(value, str) and not value.strip()
            setattr(version, name, None if blank else value)
    if "supplier_company_number" in values or "supplier_registry" in values:
        # Kept as its register writes it, so the same company is found by the same number.
        version.supplier_company_number = registries.normalised(
            version.supplier_registry, version.supplier_company_number
        )


def set_rows(version: EntryVersion, group_name: str, rows: list[Mapping[str, Any]]) -> None:
    """Replace a version's rows of one repeating group; a withheld group given rows is no
    longer withheld (the rows answer it)."""
    model = GROUP_MODELS[group_name]
    if rows and version.withheld:
        version.withheld = [row for row in version.withheld if row.field != group_name]
    setattr(
        version,
        group_name,
        [model(position=position, **dict(row)) for position, row in enumerate(rows)],
    )


def copy_of(source: EntryVersion) -> EntryVersion:
    """A new working copy with the same answers and rows as `source`."""
    copy = EntryVersion(organisation_id=source.organisation_id, number=None, is_current=False)
    set_values(copy, {k: v for k, v in values_of(source).items() if k != "organisation"})
    for group_name, rows in rows_of(source).items():
        set_rows(copy, group_name, rows)
    # What the publisher withheld stays withheld, with its reason, until someone changes it.
    withholding.set_withheld(copy, withholding.withheld_of(source))
    return copy


def make_current(
    entry: Entry, version: EntryVersion, publisher: User | None, number: int, change_note: str
) -> None:
    """Make `version` the entry's published version `number`, the one the public sees."""
    now = datetime.now(UTC)
    for other in entry.versions:
        if other is not version:
            other.is_current = False
    version.number = number
    version.is_current = True
    version.published_at = now
    version.published_by_id = publisher.id if publisher else None
    version.change_note = change_note
    version.schema_version = schema.SCHEMA_VERSION
    suppliers.link(version)
    # Published answers never change again, so their count is kept from here on.
    version.answered = validation.completeness(
        values_of(version), rows_of(version), withholding.withheld_of(version)
    )[0]
    version.answered_layout = completeness.layout()
    entry.state = PUBLISHED
    entry.first_published_at = entry.first_published_at or now
    entry.last_published_at = now
    entry.last_reviewed_on = now.date()
    entry.next_review_due = now.date() + REVIEW_INTERVAL
    entry.submitted_by_id = None
    entry.submitted_at = None
