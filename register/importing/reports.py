"""An import report kept as JSON between the upload and the person's decision, so that
reading the report never reads the file again.

Only what the report page shows is kept, as compactly as JSON allows: values cut to a
length a page can show, every problem of the first rows with problems and the first of
each later one, and the first notes with a count of the rest. So a file whose every cell is
a megabyte, or whose every row has problems, does not make a report of the same size, and
a report of thousands of rows is written and read in moments.
"""

from __future__ import annotations

import json
from typing import Any

from ..schema.texts import Composed, Given, Listed, Lowered
from .importer import ImportReport, RowOutcome
from .mapping import Note
from .missing import MissingEntry

# Characters of a title, a column's name or a value kept (the page shows fewer), and of a
# reason, which may quote a value.
KEPT = 200
KEPT_REASON = 1000
# Rows with problems whose every problem is kept (the page shows these), and notes kept.
PROBLEM_ROWS_KEPT = 500
NOTES_KEPT = 200


def dumps(report: ImportReport) -> str:
    """The report as JSON, without the notes on how each value was read."""
    rows = []
    problem_rows = notes = left_out = 0
    for row in report.rows:
        problems = row.problems
        if problems:
            problem_rows += 1
            if problem_rows > PROBLEM_ROWS_KEPT:
                problems = problems[:1]  # enough to count the row as one with problems
        warnings = row.warnings[: max(0, NOTES_KEPT - notes)]
        notes += len(warnings)
        left_out += len(row.warnings) - len(warnings)
        rows.append(_row(row, problems, warnings))
    return json.dumps(
        {
            "filename": report.filename,
            "format": report.format,
            "publish": report.publish,
            "new_organisations": [name[:KEPT] for name in report.new_organisations],
            "file_problem": report.file_problem,
            "notes_left_out": report.notes_left_out + left_out,
            "missing": [
                [
                    m.entry_id,
                    m.reference,
                    m.title[:KEPT],
                    m.organisation[:KEPT],
                    m.why_not,
                    m.for_review,
                ]
                for m in report.missing
            ],
            "rows": rows,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def loads(text: str) -> ImportReport:
    """The report `dumps` kept."""
    data = json.loads(text)
    data["missing"] = [MissingEntry(*missing) for missing in data.get("missing", [])]
    rows = []
    for number, where, *outcome, problems, warnings in data.pop("rows"):
        notes = ([_note_of(note) for note in problems], [_note_of(note) for note in warnings])
        rows.append(RowOutcome(number, _text_of(where), *outcome, *notes))
    return ImportReport(**data, rows=rows)


def _row(row: RowOutcome, problems: list[Note], warnings: list[Note]) -> list[Any]:
    return [
        row.number,
        _kept_text(row.where, KEPT),
        row.title[:KEPT],
        row.organisation[:KEPT],
        row.action,
        row.reference,
        row.entry_id,
        row.for_review,
        [_note(note) for note in problems],
        [_note(note) for note in warnings],
    ]


def _note(note: Note) -> list[Any]:
    column = _kept_text(note.column, KEPT)
    return [column, note.value[:KEPT], _kept_text(note.message), note.field]


def _note_of(kept: list[Any]) -> Note:
    column, value, message, *field = kept
    return Note(_text_of(column), value, _text_of(message), *field)


# A reason made from a marked text and values (`Composed`) is kept as both, so that the
# page can say it in its own language; a value from the file (`Given`) is kept as such, so
# that it is never translated, and so are a label lowered in a sentence (`Lowered`) and a
# list of texts (`Listed`); any other text is kept as it is.


def dumps_reason(text: str) -> str:
    """Why a file was refused, as kept with it until the page that says so is shown."""
    return json.dumps(_kept_text(text))


def loads_reason(kept: str) -> str:
    try:
        return _text_of(json.loads(kept))
    except ValueError:
        return kept  # kept as plain text by an older release


def _kept_text(text: str, length: int = KEPT_REASON) -> Any:
    if isinstance(text, Composed):
        values = {name: _kept_text(value, length) for name, value in text.values.items()}
        return {"text": text.template, "values": values}
    if isinstance(text, Given):
        return {"given": text[:length]}
    if isinstance(text, Lowered):
        return {"lower": _kept_text(text.text, length)}
    if isinstance(text, Listed):
        return {"list": [_kept_text(item, length) for item in text.texts]}
    return text[:length]


def _text_of(kept: Any) -> str:
    if isinstance(kept, dict) and "given" in kept:
        return Given(kept["given"])
    if isinstance(kept, dict) and "lower" in kept:
        return Lowered(_text_of(kept["lower"]))
    if isinstance(kept, dict) and "list" in kept:
        return Listed(_text_of(item) for item in kept["list"])
    if isinstance(kept, dict):
        values = {name: _text_of(value) for name, value in kept["values"].items()}
        return Composed(kept["text"], **values)
    return kept
