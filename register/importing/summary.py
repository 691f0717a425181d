"""An import report in words: for the command line, and the headline of the upload page."""

from __future__ import annotations

from collections.abc import Iterator

from .importer import CREATE, SKIP, UNCHANGED, UPDATE, ImportReport
from .mapping import Note


def plural(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def headline(report: ImportReport) -> str:
    """One sentence: what the import does (or did) with the file's rows."""
    if report.file_problem:
        return report.file_problem
    done = report.written
    parts = [
        f"{plural(report.count(CREATE), 'entry')} {'created' if done else 'to create'}".replace(
            "entrys", "entries"
        ),
        f"{report.count(UPDATE):,} {'updated' if done else 'to update'}",
        f"{report.count(UNCHANGED):,} unchanged",
    ]
    skipped = report.count(SKIP)
    if skipped:
        parts.append(f"{plural(len(report.problem_rows), 'row')} with problems")
        repeats = skipped - len(report.problem_rows)
        if repeats:
            parts.append(f"{plural(repeats, 'repeated row')} left out")
    sentence = f"{plural(len(report.rows), 'row')} read: {', '.join(parts)} ({ending(report)})."
    return " ".join([sentence, *_missing_sentences(report)])


def entries(count: int, kind: str = "") -> str:
    """“1 entry”, “2 published entries”."""
    return f"{count:,} {kind + ' ' if kind else ''}{'entry' if count == 1 else 'entries'}"


def _missing_sentences(report: ImportReport) -> Iterator[str]:
    """What the headline says of the entries imported before that the file no longer has."""
    if report.retired:
        yield f"{entries(len(report.retired))} no longer in the file retired."
    if report.retired_for_review:
        yield (
            f"{entries(len(report.retired_for_review))} no longer in the file submitted for "
            "review as retired: another publisher must publish the retirement."
        )
    left = len(report.missing) - len(report.retired) - len(report.retired_for_review)
    if left > 0:
        verb = "is" if left == 1 else "are"
        kept = (", and left as it is" if left == 1 else ", and left as they are") * report.written
        yield f"{entries(left)} imported before from this source {verb} not in the file{kept}."


def missing_lines(report: ImportReport) -> Iterator[str]:
    """Each entry imported before that the file no longer has, for the command line."""
    for missing in report.missing:
        why_not = f" ({missing.why_not})" if missing.why_not else ""
        yield f"{missing.reference} “{missing.title}”, {missing.organisation}{why_not}"


# What becomes of the entries written, in the headline and on the report page.
_ENDINGS = {
    "drafts": ("as drafts", "Drafts"),
    "published": ("as published", "Published entries"),
    "review": (
        "submitted for review: another publisher must publish them",
        "Submitted for review by another publisher, not published",
    ),
    "either": (
        "published, or submitted for review where the organisation needs another publisher "
        "to publish them",
        "Published, or submitted for review where the organisation needs another publisher "
        "to publish them",
    ),
}


def _ending(report: ImportReport) -> str:
    reviewed = report.reviewed
    if not report.publish:
        return "drafts"
    if reviewed and all(reviewed):
        return "review"
    return "either" if any(reviewed) else "published"


def ending(report: ImportReport) -> str:
    """What becomes of the entries written: drafts, published, or submitted for review."""
    return _ENDINGS[_ending(report)][0]


def imported_as(report: ImportReport) -> str:
    """The same, as the report page's answer to “Imported as”."""
    return _ENDINGS[_ending(report)][1]


def describe(note: Note) -> str:
    """“column “X”, value “Y”: reason”, leaving out what the note does not have."""
    where = f"column “{note.column}”" if note.column else ""
    value = note.value if len(note.value) <= 80 else note.value[:77] + "..."
    if note.value:
        where = f"{where}, value “{value}”" if where else f"value “{value}”"
    return f"{where}: {note.message}" if where else note.message


def problem_lines(report: ImportReport) -> Iterator[str]:
    for row in report.problem_rows:
        for note in row.problems:
            yield f"{row.where.capitalize()}, {describe(note)}"


def warning_lines(report: ImportReport) -> Iterator[str]:
    for row in report.rows:
        for note in row.warnings:
            yield f"{row.where.capitalize()}, {describe(note)}"


def mapping_lines(report: ImportReport) -> Iterator[str]:
    """How each row's values were read: “Row 2: development_stage “Deployed” → Status: In use”."""
    for row in report.rows:
        for note in row.mapped:
            value = f" “{note.value}”" if note.value and len(note.value) <= 80 else ""
            yield f"{row.where.capitalize()}: {note.column}{value} → {note.message}"
