"""The register's own files: entries.csv and the JSON records of the downloads and the API.

Columns carry the field names of the record definition, so this format maps every field
to itself. The register's own fields (reference, version, dates) are not answers: the
reference is kept as the entry's identifier in that register, the rest are left behind,
because the register that imports an entry gives it its own.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ... import schema
from ...models.provenance import OWN_FORMAT
from ...schema import Kind
from ...schema.cells import restore_cell
from ...schema.texts import N_, Composed, Given
from ..mapping import Mapper
from ..values import read_yes_no
from . import Format

# What the register itself says of an entry (its reference, version and dates, and where it
# was imported from): not answers, so neither imported nor kept as other information.
_REGISTER_FIELDS = tuple(item.name for item in (*schema.REGISTER_FIELDS, *schema.PROVENANCE_FIELDS))


def map_native(mapper: Mapper) -> None:
    cells = mapper.record.cells
    if not _is_json(cells):
        # The register's CSV guards cells a spreadsheet would run; take each guard off.
        for name, value in cells.items():
            if isinstance(value, str):
                cells[name] = restore_cell(value)
    mapper.identifier("reference")
    organisation = cells.get("organisation")
    if isinstance(organisation, dict):
        # JSON: the organisation as an object; the slug is the surest way to find it.
        mapper.entry.organisation = str(
            organisation.get("slug") or organisation.get("name") or ""
        ).strip()
        mapper.use("organisation")
    else:
        mapper.organisation("organisation")
        slug = mapper.cell("organisation_slug")
        mapper.entry.organisation = slug or mapper.entry.organisation
    # Which answers the exporting register withheld: their values are empty already.
    mapper.use("organisation_type", "published_at", "url", "links", "withheld", *_REGISTER_FIELDS)
    for item in schema.all_fields():
        if item.kind is Kind.ORGANISATION:
            continue
        if item.kind is Kind.CHOICES:
            mapper.choices(item.name, item.name)
        elif item.kind is Kind.CHOICE:
            mapper.choice(item.name, item.name)
        elif item.kind is Kind.PARTIAL_DATE:
            mapper.date(item.name, item.name)
        elif item.kind is Kind.BOOLEAN:
            mapper.yes_no(item.name, item.name)
        else:
            mapper.text(item.name, item.name)
    for group in schema.groups():
        _rows(mapper, group)


def _is_json(cells: dict[str, Any]) -> bool:
    # A JSON record has its organisation as an object; the CSV, as columns of text.
    return isinstance(cells.get("organisation"), dict) or "organisation_slug" not in cells


def _rows(mapper: Mapper, group: schema.Group) -> None:
    value = mapper.record.cells.get(group.name)
    if isinstance(value, list):
        # JSON: the rows themselves.
        mapper.use(group.name)
        for number, row in enumerate(value, start=1):
            where = f"{group.name} {number}"
            if not isinstance(row, dict):
                reason = Composed(
                    N_("%(item)s %(number)s is not an object; kept in Other information"),
                    item=group.item_label,
                    number=Given(str(number)),
                )
                mapper.keep(where, str(row), reason)
                continue
            known = {item.name for item in group.fields}
            for name in sorted(set(row) - known):
                if row[name] not in (None, ""):
                    mapper.keep(
                        f"{where}: {name}",
                        str(row[name]),
                        Composed(
                            N_(
                                "%(item)s %(number)s has a field the record does not have; "
                                "kept in Other information"
                            ),
                            item=group.item_label,
                            number=Given(str(number)),
                        ),
                    )
            values = _row_values(group, {name: row[name] for name in row if name in known})
            if values:
                mapper.entry.rows.setdefault(group.name, []).append(values)
        return
    # CSV: entries.csv lists each row's name, one per line; the details are in the data
    # package's own table for the group, which this file does not carry.
    name_field = next(item for item in group.fields if item.kind is Kind.TEXT)
    names = mapper.cell(f"{group.name}_{name_field.name}")
    for name in filter(None, (line.strip() for line in names.splitlines())):
        mapper.entry.rows.setdefault(group.name, []).append({name_field.name: name})
    mapper.use(
        f"{group.name}_count",
        *(f"{group.name}_{item.name}" for item in group.fields if item.kind is Kind.CHOICE),
    )


def _row_values(group: schema.Group, row: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in group.fields:
        value = row.get(item.name)
        if value is None or value == "":
            continue
        if item.kind is Kind.BOOLEAN and not isinstance(value, bool):
            # Left as it is if unreadable: the checks will say it is not yes or no.
            with contextlib.suppress(ValueError):
                value = read_yes_no(str(value))
        values[item.name] = value
    return values


FORMAT = Format(
    name=OWN_FORMAT,
    label="register's own",
    source=None,
    map=map_native,
    columns=("title",),
    reads="csv or json",
    source_name="Another copy of this register",
)
