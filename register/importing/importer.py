"""An import: read the file, report what would happen, then write it in one transaction.

`review` reads the whole file (as a stream) and says, row by row, what an import would do:
create an entry, update one imported before, leave one unchanged, or skip the row, with
every problem (row, column, value, reason). Nothing is written. `run` does the same check,
then, if the file has no problems (or the person chose to import only the valid rows),
reads the file again and writes every entry in one transaction: all of it or none of it.

Entries a person asks to publish follow the two-person rule of `publishing`: unless their
organisation allows its publishers to approve their own entries, they are submitted for
another publisher's review instead of published. The review also lists the entries imported
before that the file no longer has (`missing`), which `run` may retire in its transaction.
Which entry a row is lives in `identity`, finding organisations in `organisations`, and
writing entries in `writing`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import IO, Any

from sqlalchemy import select

from .. import schema, versions, withholding
from ..extensions import db
from ..models import Entry, Organisation
from ..models.entry import DRAFT, IN_REVIEW, WITHDRAWN
from ..permissions import may_publish_own
from ..publishing import answered_before
from ..schema import Kind
from ..schema.texts import N_, Composed, Given
from ..validation import as_recorded, check_values, problems_before_publishing
from .files import FileRefused
from .identity import fingerprint, identity, shown, title_identity
from .mapping import ImportedEntry, Note
from .missing import missing_entries
from .missing import retire as retire_entries
from .organisations import (
    ORGANISATION_NAME_LENGTH,
    Organisations,
    find_organisation,
    organisation_name_problem,
)
from .outcomes import (
    CREATE,
    SKIP,
    UNCHANGED,
    UPDATE,
    ImportOptions,
    ImportReport,
    RowOutcome,
)
from .writing import write

__all__ = [
    "CREATE",
    "ORGANISATION_NAME_LENGTH",
    "SKIP",
    "UNCHANGED",
    "UPDATE",
    "ImportOptions",
    "ImportReport",
    "RowOutcome",
    "find_organisation",
    "identity",
    "organisation_name_problem",
    "review",
    "run",
]

# Answers of the form; the organisation is the entry's own, not an answer.
_ANSWERS = tuple(f for f in schema.all_fields() if f.kind is not Kind.ORGANISATION)
_LABELS = {f.name: f.label for f in schema.all_fields()}


@dataclass(frozen=True)
class _Known:
    """An entry imported before from a file of this format."""

    id: int
    reference: str
    state: str
    fingerprint: str | None


def _imported_before(source_format: str) -> dict[tuple[int, str], _Known]:
    """Every entry imported before in this format, by (organisation, identifier): one query
    rather than one per row."""
    rows = db.session.execute(
        select(
            Entry.organisation_id,
            Entry.source_id,
            Entry.id,
            Entry.reference,
            Entry.state,
            Entry.source_fingerprint,
        ).where(Entry.source_format == source_format)
    )
    return {(row[0], row[1]): _Known(*row[2:]) for row in rows}


@dataclass
class _Review:
    organisations: Organisations
    known: dict[tuple[int, str], _Known]
    # (organisation, identifier) -> (row number, fingerprint) of rows read so far
    seen: dict[tuple[Any, str], tuple[int, str]] = field(default_factory=dict)
    # Entries imported before that a row of this file is found to be: row number by entry.
    claimed: dict[int, int] = field(default_factory=dict)
    # The organisations the file's rows name, and the entries imported before its rows are
    # (with problems or not), to tell which of those imported before it no longer has.
    covered: set[int] = field(default_factory=set)
    present: set[int] = field(default_factory=set)


def review(
    stream: IO[bytes],
    options: ImportOptions,
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """What importing the file would do, row by row. Writes nothing. `progress` is called
    with the number of rows checked so far after each row."""
    report = ImportReport(options.filename, options.format.name, options.publish)
    organisations = Organisations(options)
    context = _Review(organisations, _imported_before(options.format.name))
    try:
        for imported in options.format.entries(stream, options.limits):
            report.rows.append(_outcome(imported, options, context))
            if progress is not None:
                progress(len(report.rows))
    except FileRefused as refusal:
        report.file_problem = refusal.reason
        report.rows = []
        return report
    report.new_organisations = [name for name, _ in organisations.new.values()]
    covered = context.covered
    if options.allowed_organisations is not None:
        covered &= options.allowed_organisations
    report.missing = missing_entries(options.format.name, covered, context.present, options.actor)
    return report


def run(
    stream: IO[bytes],
    options: ImportOptions,
    report: ImportReport | None = None,
    *,
    valid_rows_only: bool = False,
    progress: Callable[[], None] | None = None,
    retire: Collection[int] = (),
    retirement_reason: str = "",
) -> ImportReport:
    """Import the file in one transaction, given the `review` the person saw (or reviewing
    it now). With problems in the file nothing is written unless `valid_rows_only`, when
    the rows without problems are. `progress` is called after each row is written. The
    entries of `retire` (ids of the report's `missing` entries) are retired, for
    `retirement_reason`, in the same transaction."""
    if report is None:
        report = review(stream, options)
    if report.file_problem or (report.problem_rows and not valid_rows_only):
        return report
    retiring = [entry.entry_id for entry in report.retirable if entry.entry_id in retire]
    if not report.to_write and not retiring:
        return report
    stream.seek(0)
    planned = {row.number: row for row in report.rows if row.action in (CREATE, UPDATE)}
    try:
        if planned:
            report.batch_id = write(stream, options, planned, progress)
        if retiring:
            report.retired, report.retired_for_review = retire_entries(
                retiring, retirement_reason, options.actor
            )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.written = True
    return report


def _outcome(imported: ImportedEntry, options: ImportOptions, context: _Review) -> RowOutcome:
    outcome = _decide(imported, options, context)
    if outcome.problems:
        outcome.action = SKIP
    return outcome


def _decide(imported: ImportedEntry, options: ImportOptions, context: _Review) -> RowOutcome:
    title = imported.values.get("title") or ""
    outcome = RowOutcome(
        imported.number,
        imported.where,
        title,
        imported.organisation,
        SKIP,
        problems=list(imported.problems),
        warnings=list(imported.warnings),
        mapped=list(imported.mapped) if options.explain else [],
    )
    organisations, seen = context.organisations, context.seen
    organisation, reason = organisations.find(imported)
    outcome.for_review = options.publish and not may_publish_own(
        options.actor, organisation if isinstance(organisation, Organisation) else None
    )
    if organisation is None:
        outcome.problems.append(Note("organisation", imported.organisation, reason))
    elif isinstance(organisation, Organisation):
        outcome.organisation = organisation.name
        allowed = options.allowed_organisations
        if allowed is not None and organisation.id not in allowed:
            outcome.problems.append(
                Note(
                    "organisation",
                    imported.organisation,
                    Composed(
                        N_("You can import entries for your own organisations only, not %(name)s"),
                        name=Given(organisation.name),
                    ),
                )
            )
    else:
        outcome.organisation = organisations.new[organisation][0]
    if not title:
        outcome.problems.append(Note("title", "", N_("The row has no title (name) for the tool")))
    _check(imported, outcome)
    key = identity(imported)
    if isinstance(organisation, Organisation):
        context.covered.add(organisation.id)
        if key:
            found = _known_entry(imported, organisation.id, key, context)
            if found is not None:
                context.present.add(found.id)
    if organisation is None or not key or outcome.problems:
        return outcome
    # The same entry twice in one file: an exact repeat is left out, a differing one is an
    # error, since the register cannot tell which is right.
    place = (organisation.id if isinstance(organisation, Organisation) else organisation, key)
    answers = fingerprint(imported)
    if place in seen:
        first, first_fingerprint = seen[place]
        if first_fingerprint == answers:
            outcome.warnings.append(
                Note(
                    "", "", Composed(N_("A repeat of row %(row)s; left out"), row=Given(str(first)))
                )
            )
            return outcome
        outcome.problems.append(
            Note(
                "",
                shown(imported),
                Composed(
                    N_("The same entry as row %(row)s, with different answers"),
                    row=Given(str(first)),
                ),
            )
        )
        return outcome
    seen[place] = (imported.number, answers)
    if not isinstance(organisation, Organisation):
        outcome.action = CREATE
        _check_publishable(imported, imported.values, imported.rows, options, outcome)
        return outcome
    known = _known_entry(imported, organisation.id, key, context)
    if known is not None and context.claimed.setdefault(known.id, imported.number) != (
        imported.number
    ):
        first = context.claimed[known.id]
        outcome.problems.append(
            Note(
                "",
                shown(imported),
                Composed(
                    N_("The same entry as row %(row)s (%(reference)s), imported before"),
                    row=Given(str(first)),
                    reference=Given(known.reference),
                ),
            )
        )
        return outcome
    if known is None:
        outcome.action = CREATE
        _check_publishable(imported, imported.values, imported.rows, options, outcome)
        return outcome
    outcome.reference = known.reference
    if known.state == IN_REVIEW and known.fingerprint == answers:
        # Submitted for review by an import of this same row: there is nothing new to bring.
        outcome.action = UNCHANGED
        return outcome
    if known.state in (IN_REVIEW, WITHDRAWN):
        why = (
            N_("%(reference)s, imported before, is waiting for review, so it cannot be updated")
            if known.state == IN_REVIEW
            else N_("%(reference)s, imported before, is withdrawn, so it cannot be updated")
        )
        outcome.problems.append(
            Note("", shown(imported), Composed(why, reference=Given(known.reference)))
        )
        return outcome
    if known.fingerprint == answers and not (options.publish and known.state == DRAFT):
        # The file says what it said last time: nothing to bring in, and what people have
        # written on the register since stays as it is.
        outcome.action = UNCHANGED
        return outcome
    outcome.action = UPDATE
    outcome.entry_id = known.id
    if options.publish:
        entry = db.session.get(Entry, known.id)
        values, rows = _merged(entry.draft or entry.current_version, imported)
        _check_publishable(imported, values, rows, options, outcome, answered_before(entry))
    return outcome


def _known_entry(
    imported: ImportedEntry, organisation_id: int, key: str, context: _Review
) -> _Known | None:
    """The entry imported before that this row is, by its identity; or, for a row without
    an identifier, one imported before the bureau joined the identity (by title alone),
    unless another row of this file is already that entry."""
    known = context.known.get((organisation_id, key))
    if known is not None or imported.source_id or not any(imported.distinguishing):
        return known
    known = context.known.get((organisation_id, title_identity(imported)))
    return None if known is None or known.id in context.claimed else known


def _check(imported: ImportedEntry, outcome: RowOutcome) -> None:
    """The forms' checks on every answer and row."""
    columns = {note.field: note.column for note in imported.mapped if note.field}
    raw = {note.field: note.value for note in imported.mapped if note.field}
    for name, message in check_values(_ANSWERS, imported.values).items():
        outcome.problems.append(
            Note(columns.get(name, _LABELS.get(name, name)), str(raw.get(name, "")), message, name)
        )
    for group in schema.groups():
        for number, row in enumerate(imported.rows.get(group.name, []), start=1):
            for name, message in check_values(group.fields, row).items():
                label = f"{group.item_label} {number}: {group.get(name).label.lower()}"
                outcome.problems.append(Note(label, str(row.get(name, "")), message))


def _check_publishable(
    imported: ImportedEntry,
    values: dict[str, Any],
    rows: dict[str, list[dict[str, Any]]],
    options: ImportOptions,
    outcome: RowOutcome,
    answered: Collection[str] = (),
) -> None:
    """Whether the entry may be published as the file leaves it. An entry of another
    register's file may leave unanswered what the file does not record, though not empty
    what a published version of it answered (`validation.as_recorded`)."""
    if not options.publish or outcome.problems:
        return
    withheld = (
        withholding.blanks_withheld(values, imported.withheld_because)
        if imported.withheld_because
        else {}
    )
    problems = problems_before_publishing({**values, "organisation": 1}, rows, withheld)
    if options.format.as_recorded:
        problems = as_recorded(problems, answered)
    for problem in problems:
        label = _LABELS.get(problem.field, problem.field)
        needed = Composed(N_("Needed to publish: %(problem)s"), problem=problem.message)
        outcome.problems.append(Note(label, "", needed))


def _merged(base: Any, imported: ImportedEntry) -> tuple[dict[str, Any], dict[str, list]]:
    """The base version's answers with the file's on top: a field the file does not give
    keeps what people wrote on the register since."""
    values = versions.values_of(base)
    values.update(imported.values)
    rows = versions.rows_of(base)
    rows.update({name: group_rows for name, group_rows in imported.rows.items() if group_rows})
    return values, rows
