"""The UK Algorithmic Transparency Recording Standard (ATRS) version 4.0, as JSON, as the
workbook teams send to the ATRS team, and as one CSV row per entry.

- JSON: tier 1 and tier 2, each section an object of the standard's fields by attribute
  name; a field with no value is null, and `not_filled_in` says why. The register's
  reference, version and record schema version are named beside the standard's fields.
- The workbook (.xlsx) is the template's layout: an information sheet, then a sheet per
  section with each field's reference number, name, the register's question that answers
  it, and the answer. A field with no value is left blank, as the template's own blank is
  "not filled in", and a note at the foot of each sheet says why for each. It imports with
  the template format (`--format atrs-template`).
- CSV, the whole register: one row per entry, an `id` (the register's reference) and a
  column per field, named by attribute (a field of operational data after
  `operational_`), which the ATRS format (`--format atrs`) reads. A workbook per entry
  does not scale to the whole register, and a CSV streams; the register's workbook
  download (`.xlsx`) has the same columns.

Cells a spreadsheet could run as a formula: CSV cells are guarded as every CSV download
is (`schema.cells`); the workbook writes every answer as text, which a spreadsheet shows
and never runs.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ..opendata.writers import cell as csv_cell
from ..schema import SCHEMA_VERSION
from .atrs_fields import SECTIONS, STANDARD, STANDARD_VERSION, AtrsField, AtrsSection, answers
from .shape import Record, Shape, Writing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Characters a workbook cannot hold (control characters other than tab and line breaks).
_NOT_IN_WORKBOOKS = re.compile(r"[\000-\010\013\014\016-\037]")
_NOTE_HEADING = "Not filled in from the register"


def document(record: Record) -> dict[str, Any]:
    """One entry as the standard's tiers and sections (the JSON's shape)."""
    tiers: dict[str, dict[str, dict[str, str | None]]] = {"tier_1": {}, "tier_2": {}}
    not_filled_in: dict[str, str] = {}
    for answer in answers(record):
        section = tiers[f"tier_{answer.section.tier}"].setdefault(answer.section.key, {})
        section[answer.field.attribute] = answer.value
        if answer.value is None:
            not_filled_in[f"{answer.section.key}.{answer.field.attribute}"] = answer.reason
    return {
        "$comment": (
            f"An entry of the register in the shape of the UK {STANDARD} "
            f"{STANDARD_VERSION}, written from the register's record schema version "
            f"{SCHEMA_VERSION}. A null field is not filled in: not_filled_in says why."
        ),
        "standard": {"name": STANDARD, "version": STANDARD_VERSION},
        "register": {
            "reference": record["reference"],
            "version": record["version"],
            "schema_version": SCHEMA_VERSION,
        },
        **tiers,
        "not_filled_in": not_filled_in,
    }


def json_one(record: Record) -> bytes:
    return json.dumps(document(record), ensure_ascii=False, indent=2).encode("utf-8")


def json_many(records: Iterable[Record]) -> Iterator[bytes]:
    """The whole register as one JSON array, an entry at a time."""
    yield b"["
    for number, record in enumerate(records):
        yield (b",\n" if number else b"\n") + json.dumps(
            document(record), ensure_ascii=False
        ).encode("utf-8")
    yield b"\n]\n"


def _text(value: str | None) -> str | None:
    return _NOT_IN_WORKBOOKS.sub("", value) if value else value


def _as_text(sheet: Worksheet, row: int, column: int, value: str | None) -> Cell:
    """A cell holding `value` as text: one starting "=" is text too, never a formula."""
    target = sheet.cell(row=row, column=column, value=_text(value))
    if value:
        target.data_type = "s"
    return target


def workbook(record: Record) -> bytes:
    """One entry as the template: an information sheet, then a sheet per section."""
    book = Workbook()
    info = book.active
    info.title = "Info Page"
    for row in (
        (STANDARD, f"v{STANDARD_VERSION}"),
        ("Written by the register from entry", record["reference"]),
        ("Version of the entry", str(record["version"])),
        ("Register record schema version", str(SCHEMA_VERSION)),
    ):
        info.append(row)
    info.column_dimensions["A"].width = 45
    by_section: dict[str, list] = {}
    for answer in answers(record):
        by_section.setdefault(answer.section.key, []).append(answer)
    for section in SECTIONS:
        _section_sheet(book.create_sheet(section.title[:31]), section, by_section[section.key])
    saved = io.BytesIO()
    book.save(saved)
    return saved.getvalue()


def _section_sheet(sheet: Worksheet, section: AtrsSection, section_answers: list) -> None:
    sheet.append((section.title, f"Tier {section.tier}"))
    sheet["A1"].font = Font(bold=True)
    sheet.append(("Reference", "Field", "The register's question", "Answer"))
    notes = []
    for answer in section_answers:
        row = sheet.max_row + 1
        sheet.cell(row=row, column=1, value=answer.field.reference or None)
        sheet.cell(row=row, column=2, value=answer.field.name)
        sheet.cell(row=row, column=3, value=answer.asked_as or None)
        _as_text(sheet, row, 4, answer.value).alignment = Alignment(wrap_text=True)
        if answer.value is None:
            notes.append(f"{answer.field.name}: {answer.reason}")
    if notes:
        sheet.append(())
        sheet.append((_NOTE_HEADING, "\n".join(notes)))
    for column, width in (("A", 12), ("B", 40), ("C", 30), ("D", 80)):
        sheet.column_dimensions[column].width = width


def _column_names() -> list[tuple[AtrsSection, AtrsField, str]]:
    """Each field's CSV column: its attribute, after `operational_` for operational data,
    whose fields repeat development data's names."""
    columns = []
    for section in SECTIONS:
        for item in section.fields:
            name = item.attribute
            if section.key == "operational_data_specification" and not name.startswith(
                "operational"
            ):
                name = f"operational_{name}"
            columns.append((section, item, name))
    return columns


COLUMNS = _column_names()
HEADER = ["id", *(name for _, _, name in COLUMNS)]


def row(record: Record) -> list[str | None]:
    """One entry as a row of the CSV: its reference, then each field's value or blank."""
    return [record["reference"], *(answer.value for answer in answers(record))]


def csv_many(records: Iterable[Record]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    for record in records:
        writer.writerow([csv_cell(value) for value in row(record)])
        if buffer.tell() >= 64 * 1024:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_one(record: Record) -> bytes:
    return b"".join(csv_many([record]))


def workbook_many(records: Iterable[Record]) -> Iterator[bytes]:
    """The CSV's rows as one workbook sheet, written a row at a time to a temporary file
    (openpyxl's write-only mode), so memory stays flat however large the register."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Records")
    sheet.append(HEADER)
    for record in records:
        cells = []
        for value in row(record):
            target = WriteOnlyCell(sheet, value=_text(value))
            if value:
                target.data_type = "s"
            cells.append(target)
        sheet.append(cells)
    with tempfile.TemporaryFile() as saved:
        book.save(saved)
        saved.seek(0)
        while chunk := saved.read(64 * 1024):
            yield chunk


SHAPE = Shape(
    code="uk-atrs",
    label="UK Algorithmic Transparency Recording Standard (ATRS) 4.0",
    summary=(
        "Tier 1 and the eight sections of tier 2, with the standard's field names: as JSON, "
        "as the template teams send to the ATRS team (one entry) and as one CSV or workbook "
        f"row per entry (the whole register). Written from record schema version "
        f"{SCHEMA_VERSION}."
    ),
    writings=(
        Writing("json", "application/json", "JSON", json_one, json_many),
        Writing("xlsx", XLSX, "Excel workbook", workbook, workbook_many),
        Writing("csv", "text/csv; charset=utf-8", "CSV", csv_one, csv_many),
    ),
    import_format="atrs-template",
    docs_anchor="uk-algorithmic-transparency-recording-standard-atrs-40",
)
