"""An import report in words: for the command line, and the headline of the upload page.

The words are in the language of the page that shows them (English on the command line)."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext, ngettext

from ..schema.texts import Composed, shown
from .importer import CREATE, SKIP, UNCHANGED, UPDATE, ImportReport
from .mapping import Note


def plural(count: int, thing: str) -> str:
    return f"{count:,} {thing}{'' if count == 1 else 's'}"


def headline(report: ImportReport) -> str:
    """One sentence: what the import does (or did) with the file's rows."""
    if report.file_problem:
        return shown(report.file_problem)
    done = report.written
    created, updated = report.count(CREATE), report.count(UPDATE)
    parts = [
        ngettext(
            "%(count)s entry created", "%(count)s entries created", created, count=f"{created:,}"
        )
        if done
        else ngettext(
            "%(count)s entry to create",
            "%(count)s entries to create",
            created,
            count=f"{created:,}",
        ),
        gettext("%(count)s updated", count=f"{updated:,}")
        if done
        else gettext("%(count)s to update", count=f"{updated:,}"),
        gettext("%(count)s unchanged", count=f"{report.count(UNCHANGED):,}"),
    ]
    skipped = report.count(SKIP)
    if skipped:
        problems = len(report.problem_rows)
        parts.append(
            ngettext(
                "%(count)s row with problems",
                "%(count)s rows with problems",
                problems,
                count=f"{problems:,}",
            )
        )
        repeats = skipped - problems
        if repeats:
            parts.append(
                ngettext(
                    "%(count)s repeated row left out",
                    "%(count)s repeated rows left out",
                    repeats,
                    count=f"{repeats:,}",
                )
            )
    rows = len(report.rows)
    sentence = ngettext(
        "%(count)s row read: %(parts)s (%(ending)s).",
        "%(count)s rows read: %(parts)s (%(ending)s).",
        rows,
        count=f"{rows:,}",
        parts=", ".join(parts),
        ending=ending(report),
    )
    return " ".join([sentence, *_missing_sentences(report)])


def entries(count: int, kind: str = "") -> str:
    """“1 entry”, “2 published entries”."""
    return f"{count:,} {kind + ' ' if kind else ''}{'entry' if count == 1 else 'entries'}"


def _missing_sentences(report: ImportReport) -> Iterator[str]:
    """What the headline says of the entries imported before that the file no longer has."""
    retired, for_review = len(report.retired), len(report.retired_for_review)
    if retired:
        yield ngettext(
            "%(count)s entry no longer in the file retired.",
            "%(count)s entries no longer in the file retired.",
            retired,
            count=f"{retired:,}",
        )
    if for_review:
        yield ngettext(
            "%(count)s entry no longer in the file submitted for review as retired: another "
            "publisher must publish the retirement.",
            "%(count)s entries no longer in the file submitted for review as retired: another "
            "publisher must publish the retirement.",
            for_review,
            count=f"{for_review:,}",
        )
    left = len(report.missing) - retired - for_review
    if left > 0 and report.written:
        yield ngettext(
            "%(count)s entry imported before from this source is not in the file, and left as "
            "it is.",
            "%(count)s entries imported before from this source are not in the file, and left "
            "as they are.",
            left,
            count=f"{left:,}",
        )
    elif left > 0:
        yield ngettext(
            "%(count)s entry imported before from this source is not in the file.",
            "%(count)s entries imported before from this source are not in the file.",
            left,
            count=f"{left:,}",
        )


def missing_lines(report: ImportReport) -> Iterator[str]:
    """Each entry imported before that the file no longer has, for the command line."""
    for missing in report.missing:
        why_not = f" ({missing.why_not})" if missing.why_not else ""
        yield f"{missing.reference} “{missing.title}”, {missing.organisation}{why_not}"


def _endings(kind: str) -> tuple[str, str]:
    """What becomes of the entries written, in the headline and on the report page."""
    if kind == "drafts":
        return gettext("as drafts"), gettext("Drafts")
    if kind == "published":
        return gettext("as published"), gettext("Published entries")
    if kind == "review":
        return (
            gettext("submitted for review: another publisher must publish them"),
            gettext("Submitted for review by another publisher, not published"),
        )
    return (
        gettext(
            "published, or submitted for review where the organisation needs another publisher "
            "to publish them"
        ),
        gettext(
            "Published, or submitted for review where the organisation needs another publisher "
            "to publish them"
        ),
    )


def _ending(report: ImportReport) -> str:
    reviewed = report.reviewed
    if not report.publish:
        return "drafts"
    if reviewed and all(reviewed):
        return "review"
    return "either" if any(reviewed) else "published"


def ending(report: ImportReport) -> str:
    """What becomes of the entries written: drafts, published, or submitted for review."""
    return _endings(_ending(report))[0]


def imported_as(report: ImportReport) -> str:
    """The same, as the report page's answer to “Imported as”."""
    return _endings(_ending(report))[1]


def describe(note: Note) -> str:
    """“column “X”, value “Y”: reason”, leaving out what the note does not have."""
    value = note.value if len(note.value) <= 80 else note.value[:77] + "..."
    # A column is the file's own name, or where in a repeating row a value is (`Composed`).
    column = shown(note.column) if isinstance(note.column, Composed) else note.column
    if note.column and note.value:
        where = gettext("column “%(column)s”, value “%(value)s”", column=column, value=value)
    elif note.column:
        where = gettext("column “%(column)s”", column=column)
    elif note.value:
        where = gettext("value “%(value)s”", value=value)
    else:
        return shown(note.message)
    return f"{where}: {shown(note.message)}"


def problem_lines(report: ImportReport) -> Iterator[str]:
    for row in report.problem_rows:
        for note in row.problems:
            yield f"{shown(row.where).capitalize()}, {describe(note)}"


def warning_lines(report: ImportReport) -> Iterator[str]:
    for row in report.rows:
        for note in row.warnings:
            yield f"{shown(row.where).capitalize()}, {describe(note)}"


def mapping_lines(report: ImportReport) -> Iterator[str]:
    """How each row's values were read: “Row 2: development_stage “Deployed” → Status: In use”."""
    for row in report.rows:
        for note in row.mapped:
            value = f" “{note.value}”" if note.value and len(note.value) <= 80 else ""
            where, message = shown(row.where).capitalize(), shown(note.message)
            yield f"{where}: {note.column}{value} → {message}"
