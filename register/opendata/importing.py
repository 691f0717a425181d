"""Bringing entries in from files: a reader per format, then one all-or-nothing import.

A reader turns a file into `ImportedEntry` values (answers keyed by field code, repeating
rows, and the organisation as the file names it). `import_entries` checks every one with
the same rules as the forms (`validation.check_values`, and what publishing needs when
publishing) before writing anything, then writes them all in one transaction. Formats plug
in by adding a reader to `READERS`; the register's own JSON (`native`) is the first.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import IO, Any

from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import func, select

from .. import publishing, schema
from ..extensions import db
from ..models import Entry, EntryVersion, Organisation, User
from ..models.entry import DRAFT, PUBLISHED, reference_for
from ..schema import Kind
from ..validation import check_values, problems_before_publishing
from .serialisers import EntrySchema


@dataclass
class ImportedEntry:
    """One entry as read from a file, before it is checked."""

    source: str  # where in the file, for messages: "record 3", "row 12"
    organisation: str  # the organisation's slug or name, as the file gives it
    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportProblem:
    source: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}, {self.field}" if self.field else self.source
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """The file cannot be imported; `problems` says every reason. Nothing was written."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s): nothing was imported.")
        self.problems = problems


@dataclass(frozen=True)
class ImportReport:
    references: list[str]
    published: bool


# Answers of the form (not the organisation, which the entry is filed under).
_ANSWERS = tuple(f for f in schema.all_fields() if f.kind is not Kind.ORGANISATION)


def read_native(stream: IO[bytes]) -> Iterator[ImportedEntry]:
    """Read the register's own JSON: one record, or an array of them (as downloaded).

    The register's own fields (reference, version, dates) are left behind: the register
    that imports the entry gives it its own.
    """
    try:
        data = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFailed([ImportProblem("the file", "", f"is not JSON ({error})")]) from None
    records = data if isinstance(data, list) else [data]
    problems = []
    loader = EntrySchema()
    for number, record in enumerate(records, start=1):
        source = f"record {number}"
        if not isinstance(record, dict):
            problems.append(ImportProblem(source, "", "is not a JSON object"))
            continue
        try:
            loaded = loader.load(record)
        except ValidationError as error:
            problems += [
                ImportProblem(source, name, "; ".join(_messages(messages)))
                for name, messages in error.normalized_messages().items()
            ]
            continue
        organisation = loaded["organisation"]
        yield ImportedEntry(
            source=source,
            organisation=organisation.get("slug") or organisation.get("name") or "",
            values={f.name: loaded.get(f.name) for f in _ANSWERS},
            rows={group.name: loaded.get(group.name) or [] for group in schema.groups()},
        )
    if problems:
        raise ImportFailed(problems)


def _messages(messages: Any) -> list[str]:
    if isinstance(messages, dict):
        return [f"{key}: {m}" for key, value in messages.items() for m in _messages(value)]
    if isinstance(messages, list):
        return [m for item in messages for m in _messages(item)]
    return [str(messages)]


# Readers by format name; `flask register import --format NAME` offers each.
READERS: dict[str, Callable[[IO[bytes]], Iterator[ImportedEntry]]] = {"native": read_native}


def find_organisation(name_or_slug: str) -> Organisation | None:
    """The organisation with this slug, or else this name (in any case)."""
    wanted = name_or_slug.strip()
    return db.session.scalar(
        select(Organisation).where(Organisation.slug == wanted)
    ) or db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == wanted.lower())
    )


def check(
    entries: Iterable[ImportedEntry], *, publish: bool
) -> tuple[list[tuple[ImportedEntry, Organisation]], list[ImportProblem]]:
    """Every entry with its organisation, and every problem, using the forms' rules: those
    the reader found in the file, then those in the entries it could read."""
    ready: list[tuple[ImportedEntry, Organisation]] = []
    problems: list[ImportProblem] = []
    readable: list[ImportedEntry] = []
    try:
        readable.extend(entries)
    except ImportFailed as failure:
        problems += failure.problems
    for imported in readable:
        organisation = find_organisation(imported.organisation)
        if organisation is None:
            problems.append(
                ImportProblem(
                    imported.source,
                    "organisation",
                    f"there is no organisation {imported.organisation!r} on the register",
                )
            )
        found = check_values(_ANSWERS, imported.values)
        for group in schema.groups():
            for number, row in enumerate(imported.rows.get(group.name, []), start=1):
                for name, problem in check_values(group.fields, row).items():
                    found[f"{group.name}-{number}-{name}"] = problem
        problems += [ImportProblem(imported.source, name, text) for name, text in found.items()]
        if publish and not found:
            values = {**imported.values, "organisation": organisation.id if organisation else 0}
            problems += [
                ImportProblem(imported.source, problem.field, problem.message)
                for problem in problems_before_publishing(values, imported.rows)
            ]
        if organisation is not None:
            ready.append((imported, organisation))
    return ready, problems


def import_entries(
    entries: Iterable[ImportedEntry],
    *,
    publish: bool = False,
    actor: User | None = None,
    source_name: str = "a file",
) -> ImportReport:
    """Check every entry, then create them all in one transaction: drafts, or published
    entries with `publish`. Raises `ImportFailed` (having written nothing) on any problem."""
    ready, problems = check(entries, publish=publish)
    if problems:
        raise ImportFailed(problems)
    prefix = current_app.config["REGISTER_REFERENCE_PREFIX"]
    # Publishing records who published; an import from the command line has no one.
    publisher = actor or SimpleNamespace(id=None)
    references = []
    try:
        for imported, organisation in ready:
            entry = Entry(
                organisation_id=organisation.id,
                state=DRAFT,
                created_by_id=actor.id if actor else None,
                reference=f"pending-{uuid.uuid4().hex[:12]}",
            )
            draft = EntryVersion(organisation_id=organisation.id, number=None)
            publishing._set_values(draft, imported.values)
            for group_name, rows in imported.rows.items():
                publishing._set_rows(draft, group_name, rows)
            entry.versions.append(draft)
            db.session.add(entry)
            db.session.flush()
            entry.reference = reference_for(entry.id, prefix)
            publishing.record_event(
                "imported", actor, entry, to_state=DRAFT, detail=f"Imported from {source_name}"
            )
            if publish:
                note = f"Imported from {source_name}."
                publishing._make_current(entry, draft, publisher, 1, note)
                publishing.record_event(
                    "published", actor, entry, from_state=DRAFT, to_state=PUBLISHED, detail=note
                )
            references.append(entry.reference)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return ImportReport(references=references, published=publish)
