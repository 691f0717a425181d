"""The spreadsheet teams fill in: the ATRS template (.xlsx), one record per workbook.

The template (versions 3.0 and 4.0) has a sheet per section: a title sheet (version 3's
metadata and title information), tier 1 (version 4 calls it Summary Information), and the
tier 2 sections (owner and responsibility, description and rationale, decision-making
process or deployment context, tool, model and data specification, risks). On each, a
field's row gives its reference number, its name, the prompt, and the team's answer to
the right. The sheets' names and columns are not relied on: a row is a field's if it names
one of the standard's fields (`atrs_record.FIELD_NAMES`, with or without its number), or
gives a reference number ("2.1.4") and a name. Its answer is the last filled cell to its
right; a single cell to the right of a field's name is its prompt, not an answer, when the
workbook's answered fields have their answers further right. (A workbook where no field
has both a prompt and an answer is read as one without prompts.)

The answers map onto the record as a record's page does (`atrs_record.map_record`). A field
whose name repeats on another sheet (version 4's sensitive attributes of development and of
operational data) is named with its sheet.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import IO, Any

from ...schema.texts import N_
from ..files import DEFAULT_LIMITS, FileRefused, ReadLimits, SourceRecord
from ..values import squeeze
from ..workbooks import WorkbookRow, workbook_rows
from . import Format
from .atrs_record import ALIASES, KNOWN, add_cell, label_of, map_record, recognised

_REFERENCE = re.compile(r"\d+(?:\.\d+)+\.?|\d+\.")
# A field's name is short; longer text beside a number is a prompt or a note.
_NAME_LENGTH = 100


def template_records(
    stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS
) -> Iterator[SourceRecord]:
    """The one record a filled-in template holds."""
    sheets: dict[str, list[tuple[str, list[tuple[int, Any]]]]] = defaultdict(list)
    for row in workbook_rows(stream, limits):
        field = _field(row)
        if field is not None:
            sheets[row.sheet].append(field)
    cells: dict[str, Any] = {}
    # The template's sheets share one layout, so one answered field anywhere shows where
    # the answers are on every sheet, even one where nothing is answered.
    answers_at = _answer_column([field for fields in sheets.values() for field in fields])
    for sheet, fields in sheets.items():
        for label, right in fields:
            answer = _answer(right, answers_at)
            if answer not in (None, ""):
                add_cell(cells, label, _text(answer), sheet)
    if not recognised(cells):
        raise FileRefused(
            N_(
                "This workbook is not an ATRS template filled in: none of its sheets gives the "
                "standard’s fields (such as “Name”, “Description”, “Organisation or "
                "department”) with answers."
            )
        )
    yield SourceRecord(1, cells, N_("the workbook"))


def _field(row: WorkbookRow) -> tuple[str, list[tuple[int, Any]]] | None:
    """The field a row gives (its name) and the filled cells to the right of the name, or
    None if the row is not a field's."""
    for position, value in enumerate(row.values):
        if not isinstance(value, str) or not value.strip():
            continue
        label = label_of(value)
        known = squeeze(label) in KNOWN
        numbered = _REFERENCE.fullmatch(value.strip()) is not None
        if numbered:
            # The name follows its reference number, in the next filled cell.
            following = _filled(row.values, position)
            if not following:
                return None
            at, name = following[0]
            if isinstance(name, str) and len(name) <= _NAME_LENGTH:
                return label_of(name), _filled(row.values, at)
            return None
        if known:
            return label, _filled(row.values, position)
        return None
    return None


def _filled(values: tuple[Any, ...], after: int) -> list[tuple[int, Any]]:
    return [
        (position, value)
        for position, value in enumerate(values)
        if position > after and value is not None and str(value).strip()
    ]


def _answer_column(fields: list[tuple[str, list[tuple[int, Any]]]]) -> int | None:
    """The column the sheet's answers are in: the last filled cell of the fields that have
    a prompt and an answer; None if no field has both (a sheet without prompts)."""
    columns = [right[-1][0] for _, right in fields if len(right) >= 2]
    return max(columns) if columns else None


def _answer(right: list[tuple[int, Any]], answers_at: int | None) -> Any:
    if len(right) >= 2:
        return right[-1][1]
    if len(right) == 1 and (answers_at is None or right[0][0] >= answers_at):
        return right[0][1]
    return None


def _text(value: Any) -> Any:
    """A cell's value as a record's text: a date as the date, a whole number without ".0"."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


ATRS_TEMPLATE = Format(
    name="atrs-template",
    label="Algorithmic transparency records: the ATRS template filled in (Excel, .xlsx)",
    source="atrs",
    map=map_record,
    columns=(),
    day_first=True,
    reads="xlsx",
    aliases=ALIASES,
    read=template_records,
    source_name="UK algorithmic transparency record template",
    source_url="https://www.gov.uk/government/publications/algorithmic-transparency-template",
)

FORMATS = (ATRS_TEMPLATE,)
