"""An import: read the file, report what would happen, then write it in one transaction.

`review` reads the whole file (as a stream) and says, row by row, what an import would do:
create an entry, update one imported before, leave one unchanged, or skip the row, with
every problem (row, column, value, reason). Nothing is written. `run` does the same check,
then, if the file has no problems (or the person chose to import only the valid rows),
reads the file again and writes every entry in one transaction: all of it or none of it.

Entries a person asks to publish follow the two-person rule of `publishing`: unless their
organisation allows its publishers to approve their own entries, they are submitted for
another publisher's review instead of published.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from flask import current_app
from sqlalchemy import select

from .. import schema, versions
from ..accounts import slugify
from ..audit import record_event
from ..extensions import db
from ..models import Entry, EntryVersion, Organisation, User
from ..models.entry import DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN, reference_for
from ..permissions import may_publish_own
from ..publishing import mark_submitted
from ..schema import Kind
from ..validation import check_values, problems_before_publishing
from .files import DEFAULT_LIMITS, FileRefused, ReadLimits
from .formats import Format
from .mapping import ImportedEntry, Note
from .values import squeeze

# Answers of the form; the organisation is the entry's own, not an answer.
_ANSWERS = tuple(f for f in schema.all_fields() if f.kind is not Kind.ORGANISATION)
_LABELS = {f.name: f.label for f in schema.all_fields()}
_FLUSH_EVERY = 500

CREATE, UPDATE, UNCHANGED, SKIP = "create", "update", "unchanged", "skip"


@dataclass(frozen=True)
class ImportOptions:
    format: Format
    filename: str
    organisation: Organisation | None = None  # file every entry under this organisation
    create_organisations: bool = False
    publish: bool = False
    actor: User | None = None
    # Publishers import for their own organisations only; None lets anyone be named.
    allowed_organisations: frozenset[int] | None = None
    # Keep, for the report, how every value was read (many notes a row: off for big files).
    explain: bool = False
    limits: ReadLimits = DEFAULT_LIMITS


@dataclass
class RowOutcome:
    """What the import does with one row of the file."""

    number: int
    where: str
    title: str
    organisation: str
    action: str
    reference: str = ""
    entry_id: int | None = None  # the entry an update changes
    # Asked to be published, but goes (or would go) to another publisher's review instead.
    for_review: bool = False
    problems: list[Note] = field(default_factory=list)
    warnings: list[Note] = field(default_factory=list)
    mapped: list[Note] = field(default_factory=list)


@dataclass
class ImportReport:
    filename: str
    format: str
    publish: bool
    rows: list[RowOutcome] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)
    file_problem: str = ""  # the file as a whole cannot be read
    written: bool = False
    notes_left_out: int = 0  # warnings not kept with a stored report (see `reports`)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def problem_rows(self) -> list[RowOutcome]:
        return [row for row in self.rows if row.problems]

    @property
    def has_problems(self) -> bool:
        return bool(self.file_problem or self.problem_rows)

    @property
    def to_write(self) -> int:
        return self.count(CREATE) + self.count(UPDATE)

    @property
    def reviewed(self) -> list[bool]:
        """For each row to write (or, with none, each row): whether its entry goes to
        another publisher's review rather than public."""
        rows = [row for row in self.rows if row.action in (CREATE, UPDATE)] or self.rows
        return [row.for_review for row in rows]


class _Organisations:
    """Finds the organisation a row names: by slug, name or abbreviation, in any case."""

    def __init__(self, options: ImportOptions | None) -> None:
        self.options = options
        self.by_key: dict[str, Organisation] = {}
        for organisation in db.session.scalars(select(Organisation)):
            for key in (organisation.slug, organisation.name, organisation.abbreviation):
                if key:
                    self.by_key.setdefault(squeeze(key), organisation)
        self.new: dict[str, tuple[str, str]] = {}  # key -> (name, abbreviation)

    def find(self, imported: ImportedEntry) -> tuple[Organisation | str | None, str]:
        """The organisation, or the key of one to create, or None with the reason."""
        if self.options.organisation is not None:
            return self.options.organisation, ""
        name, abbreviation = imported.organisation, imported.organisation_abbreviation
        if not name and not abbreviation:
            return None, "The row does not say which organisation uses the tool"
        for candidate in (name, abbreviation):
            found = self.by_key.get(squeeze(candidate)) if candidate else None
            if found is not None:
                return found, ""
        if not self.options.create_organisations:
            return None, (
                f"There is no organisation called “{name or abbreviation}” on the register. "
                "Add it first, or choose to create the organisations the file names"
            )
        key = squeeze(name or abbreviation)
        self.new.setdefault(key, (name or abbreviation, abbreviation if name else ""))
        return key, ""


def find_organisation(name: str) -> Organisation | None:
    """The organisation with this slug, name or abbreviation, in any case or spacing."""
    return _Organisations(None).by_key.get(squeeze(name))


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
    organisations: _Organisations
    known: dict[tuple[int, str], _Known]
    # (organisation, identifier) -> (row number, fingerprint) of rows read so far
    seen: dict[tuple[Any, str], tuple[int, str]] = field(default_factory=dict)


def review(stream: IO[bytes], options: ImportOptions) -> ImportReport:
    """What importing the file would do, row by row. Writes nothing."""
    report = ImportReport(options.filename, options.format.name, options.publish)
    organisations = _Organisations(options)
    context = _Review(organisations, _imported_before(options.format.name))
    try:
        for imported in options.format.entries(stream, options.limits):
            report.rows.append(_outcome(imported, options, context))
    except FileRefused as refusal:
        report.file_problem = str(refusal)
        report.rows = []
    report.new_organisations = [name for name, _ in organisations.new.values()]
    return report


def run(
    stream: IO[bytes],
    options: ImportOptions,
    report: ImportReport | None = None,
    *,
    valid_rows_only: bool = False,
    progress: Callable[[], None] | None = None,
) -> ImportReport:
    """Import the file in one transaction, given the `review` the person saw (or reviewing
    it now). With problems in the file nothing is written unless `valid_rows_only`, when
    the rows without problems are. `progress` is called after each row is written."""
    if report is None:
        report = review(stream, options)
    if report.file_problem or (report.problem_rows and not valid_rows_only):
        return report
    if not report.to_write:
        return report
    stream.seek(0)
    planned = {row.number: row for row in report.rows if row.action in (CREATE, UPDATE)}
    try:
        _write(stream, options, planned, progress)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    report.written = True
    return report


def identity(imported: ImportedEntry) -> str:
    """The entry's identifier in its source: the file's own, or else its title."""
    if imported.source_id:
        return imported.source_id
    title = imported.values.get("title") or ""
    return f"title:{squeeze(title)}"[:200] if title else ""


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
                    f"You can import entries for your own organisations only, not "
                    f"{organisation.name}",
                )
            )
    else:
        outcome.organisation = organisations.new[organisation][0]
    if not title:
        outcome.problems.append(Note("title", "", "The row has no title (name) for the tool"))
    _check(imported, outcome)
    key = identity(imported)
    if organisation is None or not key or outcome.problems:
        return outcome
    # The same entry twice in one file: an exact repeat is left out, a differing one is an
    # error, since the register cannot tell which is right.
    place = (organisation.id if isinstance(organisation, Organisation) else organisation, key)
    fingerprint = _fingerprint(imported)
    if place in seen:
        first, first_fingerprint = seen[place]
        if first_fingerprint == fingerprint:
            outcome.warnings.append(Note("", "", f"A repeat of row {first}; left out"))
            return outcome
        outcome.problems.append(
            Note("", key, f"The same entry as row {first}, with different answers")
        )
        return outcome
    seen[place] = (imported.number, fingerprint)
    if not isinstance(organisation, Organisation):
        outcome.action = CREATE
        _check_publishable(imported, imported.values, imported.rows, options, outcome)
        return outcome
    known = context.known.get((organisation.id, key))
    if known is None:
        outcome.action = CREATE
        _check_publishable(imported, imported.values, imported.rows, options, outcome)
        return outcome
    outcome.reference = known.reference
    if known.state == IN_REVIEW and known.fingerprint == fingerprint:
        # Submitted for review by an import of this same row: there is nothing new to bring.
        outcome.action = UNCHANGED
        return outcome
    if known.state in (IN_REVIEW, WITHDRAWN):
        state = "waiting for review" if known.state == IN_REVIEW else "withdrawn"
        outcome.problems.append(
            Note(
                "", key, f"{known.reference}, imported before, is {state}, so it cannot be updated"
            )
        )
        return outcome
    if known.fingerprint == fingerprint and not (options.publish and known.state == DRAFT):
        # The file says what it said last time: nothing to bring in, and what people have
        # written on the register since stays as it is.
        outcome.action = UNCHANGED
        return outcome
    outcome.action = UPDATE
    outcome.entry_id = known.id
    if options.publish:
        entry = db.session.get(Entry, known.id)
        values, rows = _merged(entry.draft or entry.current_version, imported)
        _check_publishable(imported, values, rows, options, outcome)
    return outcome


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
) -> None:
    if not options.publish or outcome.problems:
        return
    for problem in problems_before_publishing({**values, "organisation": 1}, rows):
        label = _LABELS.get(problem.field, problem.field)
        outcome.problems.append(Note(label, "", f"Needed to publish: {problem.message}"))


def _fingerprint(imported: ImportedEntry) -> str:
    data = json.dumps([imported.values, imported.rows], sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def _merged(base: Any, imported: ImportedEntry) -> tuple[dict[str, Any], dict[str, list]]:
    """The base version's answers with the file's on top: a field the file does not give
    keeps what people wrote on the register since."""
    values = versions.values_of(base)
    values.update(imported.values)
    rows = versions.rows_of(base)
    rows.update({name: group_rows for name, group_rows in imported.rows.items() if group_rows})
    return values, rows


# Writing ---------------------------------------------------------------------------------


def _write(
    stream: IO[bytes],
    options: ImportOptions,
    planned: dict[int, RowOutcome],
    progress: Callable[[], None] | None,
) -> None:
    organisations = _Organisations(options)
    created_organisations: dict[str, Organisation] = {}
    prefix = current_app.config["REGISTER_REFERENCE_PREFIX"]
    note = f"Imported from {options.filename}."
    pending: list[tuple[Entry, RowOutcome]] = []
    touched: dict[int, list[int]] = {}
    ending: dict[int, str] = {}
    # The file was read within every limit for its review just now; this reading is bounded
    # by the same limits but for time, which goes on writing the entries.
    limits = dataclasses.replace(options.limits, seconds=None)
    for imported in _planned_entries(options.format.entries(stream, limits), planned):
        outcome = planned[imported.number]
        organisation, _ = organisations.find(imported)
        if isinstance(organisation, str):
            if organisation not in created_organisations:
                name, abbreviation = organisations.new[organisation]
                created_organisations[organisation] = _add_organisation(
                    name, abbreviation, options.actor
                )
            organisation = created_organisations[organisation]
        if outcome.action == CREATE:
            entry = _create(imported, organisation, options)
            pending.append((entry, outcome))
        else:
            _update(db.session.get(Entry, outcome.entry_id), imported, options, outcome)
        counts = touched.setdefault(organisation.id, [0, 0])
        counts[0 if outcome.action == CREATE else 1] += 1
        ending[organisation.id] = _ending(options, outcome)
        if len(pending) >= _FLUSH_EVERY:
            _number(pending, prefix, options, note)
        if progress:
            progress()
    _number(pending, prefix, options, note)
    for organisation_id, (created, updated) in touched.items():
        record_event(
            "file_imported",
            options.actor,
            organisation=db.session.get(Organisation, organisation_id),
            detail=(
                f"{options.filename} ({options.format.label}): {created} created, "
                f"{updated} updated, {ending[organisation_id]}"
            ),
        )


def _ending(options: ImportOptions, outcome: RowOutcome) -> str:
    if not options.publish:
        return "as drafts"
    return "submitted for review" if outcome.for_review else "published"


def _planned_entries(
    entries: Iterator[ImportedEntry], planned: dict[int, RowOutcome]
) -> Iterator[ImportedEntry]:
    return (imported for imported in entries if imported.number in planned)


def _add_organisation(name: str, abbreviation: str, actor: User | None) -> Organisation:
    """An organisation a file names, added because the person importing asked for it."""
    slug = base = slugify(name) or "organisation"
    number = 1
    while db.session.scalar(select(Organisation.id).where(Organisation.slug == slug)):
        number += 1
        slug = f"{base[:95]}-{number}"
    organisation = Organisation(
        name=name[:200], slug=slug, type="other", abbreviation=abbreviation[:40] or None
    )
    db.session.add(organisation)
    db.session.flush()
    record_event(
        "organisation_added", actor, organisation=organisation, detail="Named in an import"
    )
    return organisation


def _create(imported: ImportedEntry, organisation: Organisation, options: ImportOptions) -> Entry:
    entry = Entry(
        organisation_id=organisation.id,
        state=DRAFT,
        created_by_id=options.actor.id if options.actor else None,
        reference=f"pending-{uuid.uuid4().hex[:12]}",
        source_format=options.format.name,
        source_id=identity(imported),
        source_fingerprint=_fingerprint(imported),
    )
    draft = EntryVersion(organisation_id=organisation.id, number=None)
    versions.set_values(draft, imported.values)
    for group_name, rows in imported.rows.items():
        versions.set_rows(draft, group_name, rows)
    entry.versions.append(draft)
    db.session.add(entry)
    return entry


def _number(
    pending: list[tuple[Entry, RowOutcome]], prefix: str, options: ImportOptions, note: str
) -> None:
    """Give new entries their references (which come from their ids) and log them."""
    if not pending:
        return
    db.session.flush()
    for entry, outcome in pending:
        entry.reference = reference_for(entry.id, prefix)
        outcome.reference = entry.reference
        detail = f"Imported from {options.filename}, {outcome.where}"
        record_event("imported", options.actor, entry, to_state=DRAFT, detail=detail)
        if outcome.for_review:
            mark_submitted(entry, options.actor, note)
        elif options.publish:
            versions.make_current(entry, entry.draft, options.actor, 1, note)
            record_event(
                "published", options.actor, entry, from_state=DRAFT, to_state=PUBLISHED, detail=note
            )
    pending.clear()


def _update(
    entry: Entry, imported: ImportedEntry, options: ImportOptions, outcome: RowOutcome
) -> None:
    previous = entry.state
    entry.source_fingerprint = _fingerprint(imported)
    draft = entry.draft
    if draft is None:
        # A published entry: the file's answers make a new revision, the public one stays.
        draft = versions.copy_of(entry.current_version)
        entry.versions.append(draft)
        entry.state = DRAFT
    versions.set_values(draft, imported.values)
    for group_name, rows in imported.rows.items():
        if rows:
            versions.set_rows(draft, group_name, rows)
    draft.updated_by_id = options.actor.id if options.actor else None
    record_event(
        "imported",
        options.actor,
        entry,
        from_state=previous,
        to_state=DRAFT,
        detail=f"Updated from {options.filename}, {imported.where}",
    )
    if outcome.for_review:
        mark_submitted(entry, options.actor, f"Updated from {options.filename}.")
    elif options.publish:
        latest = max((v.number for v in entry.published_versions), default=0)
        versions.make_current(
            entry, draft, options.actor, latest + 1, f"Updated from {options.filename}."
        )
        record_event(
            "published",
            options.actor,
            entry,
            from_state=DRAFT,
            to_state=PUBLISHED,
            detail=f"Updated from {options.filename}.",
        )
