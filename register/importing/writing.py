"""Writing a reviewed file's entries: created, updated, numbered, logged and published or
submitted for review, in the caller's transaction.

Every run that writes keeps an `ImportBatch` (the source, the file's name and hash, when and
by whom), and every entry it creates or updates an `EntryProvenance` row (the row, the
source's identifier and link for it), so an entry says where it came from, import by import.
"""

from __future__ import annotations

import dataclasses
import hashlib
import uuid
from collections.abc import Callable, Iterator
from typing import IO

from flask import current_app
from sqlalchemy import inspect

from .. import authorship, versions, withholding
from ..audit import record_event
from ..extensions import db
from ..models import Entry, EntryProvenance, EntryVersion, ImportBatch, Organisation
from ..models.entry import DRAFT, PUBLISHED, reference_for
from ..models.provenance import CREATED, UPDATED
from ..publishing import mark_submitted
from ..search import bump_generation
from .identity import fingerprint, identity
from .mapping import ImportedEntry
from .organisations import Organisations, add_organisation
from .outcomes import CREATE, ImportOptions, RowOutcome

_FLUSH_EVERY = 500
_HASH_CHUNK = 1 << 20
# A version's collections: its choices, repeating groups and withheld answers.
_COLLECTIONS = tuple(r.key for r in inspect(EntryVersion).relationships if r.uselist)


def source_name(options: ImportOptions) -> str:
    """The source's name for people: the format's, or for a file mapped column by column
    (which could come from anywhere), the file's own name."""
    return options.format.source_name or options.filename


def _batch(stream: IO[bytes], options: ImportOptions) -> ImportBatch:
    """The record of this import run, with the hash of the very file it reads."""
    digest = hashlib.sha256()
    while chunk := stream.read(_HASH_CHUNK):
        digest.update(chunk)
    stream.seek(0)
    batch = ImportBatch(
        source=source_name(options)[:120],
        format=options.format.name,
        source_url=options.format.source_url,
        filename=options.filename[:255],
        file_sha256=digest.hexdigest(),
        imported_by_id=options.actor.id if options.actor else None,
        row_count=0,
    )
    db.session.add(batch)
    db.session.flush()  # its id names it in the audit log
    return batch


def _provenance(
    entry: Entry, imported: ImportedEntry, options: ImportOptions, batch: ImportBatch, action: str
) -> None:
    """Note on the entry which row of which import made or changed it."""
    link = options.format.link_of(imported)
    entry.source = batch.source
    # Set from this side, so an updated entry's earlier provenance is not loaded to add one.
    record = EntryProvenance(
        entry=entry,
        batch=batch,
        row_number=imported.number,
        source_identifier=imported.source_id[:200] or None,
        source_link=link[:500] if link else None,
        action=action,
    )
    db.session.add(record)
    batch.row_count += 1


def write(
    stream: IO[bytes],
    options: ImportOptions,
    planned: dict[int, RowOutcome],
    progress: Callable[[], None] | None,
) -> int:
    """Write the `planned` rows' entries, noting where each came from; the id of the
    `ImportBatch` that records the run."""
    organisations = Organisations(options)
    created_organisations: dict[str, Organisation] = {}
    prefix = current_app.config["REGISTER_REFERENCE_PREFIX"]
    note = f"Imported from {options.filename}."
    pending: list[tuple[Entry, RowOutcome]] = []
    touched: dict[int, list[int]] = {}
    ending: dict[int, str] = {}
    # The file was read within every limit for its review just now; this reading is bounded
    # by the same limits but for time, which goes on writing the entries.
    limits = dataclasses.replace(options.limits, seconds=None)
    batch = _batch(stream, options)
    for imported in _planned_entries(options.format.entries(stream, limits), planned):
        outcome = planned[imported.number]
        organisation, _ = organisations.find(imported)
        if isinstance(organisation, str):
            if organisation not in created_organisations:
                name, abbreviation = organisations.new[organisation]
                created_organisations[organisation] = add_organisation(
                    options.organisation_names.get(name) or name, abbreviation, options.actor
                )
            organisation = created_organisations[organisation]
        if outcome.action == CREATE:
            entry = _create(imported, organisation, options)
            _provenance(entry, imported, options, batch, CREATED)
            pending.append((entry, outcome))
        else:
            entry = db.session.get(Entry, outcome.entry_id)
            _provenance(entry, imported, options, batch, UPDATED)
            _update(entry, imported, options, outcome)
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
                f"{updated} updated, {ending[organisation_id]} (import {batch.id})"
            ),
        )
    # An entry's source is not in its versions, whose changes move the public counts on by
    # themselves: an update that only starts a draft may still change the source filtered on.
    bump_generation()
    return batch.id


def _ending(options: ImportOptions, outcome: RowOutcome) -> str:
    if not options.publish:
        return "as drafts"
    return "submitted for review" if outcome.for_review else "published"


def _planned_entries(
    entries: Iterator[ImportedEntry], planned: dict[int, RowOutcome]
) -> Iterator[ImportedEntry]:
    return (imported for imported in entries if imported.number in planned)


def _create(imported: ImportedEntry, organisation: Organisation, options: ImportOptions) -> Entry:
    entry = Entry(
        organisation_id=organisation.id,
        state=DRAFT,
        created_by_id=options.actor.id if options.actor else None,
        reference=f"pending-{uuid.uuid4().hex[:12]}",
        source_format=options.format.name,
        source_id=identity(imported),
        source_fingerprint=fingerprint(imported),
    )
    # Every collection starts empty: publishing reads them all, and one never set would
    # otherwise be loaded back from the database (flushing the session first) once flushed.
    empty = {name: [] for name in _COLLECTIONS}
    draft = EntryVersion(organisation_id=organisation.id, number=None, **empty)
    versions.set_values(draft, imported.values)
    for group_name, rows in imported.rows.items():
        versions.set_rows(draft, group_name, rows)
    _withhold_blanks(draft, imported)
    entry.versions.append(draft)
    db.session.add(entry)
    authorship.note_import(draft, options.actor)
    return entry


def _withhold_blanks(draft: EntryVersion, imported: ImportedEntry) -> None:
    """An entry its source withheld as a whole has its blank answers withheld, with why."""
    if imported.withheld_because:
        blanks = withholding.blanks_withheld(versions.values_of(draft), imported.withheld_because)
        withholding.set_withheld(draft, blanks)


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
    entry.source_id = identity(
        imported
    )  # an older identity (the title alone) is brought up to date
    entry.source_fingerprint = fingerprint(imported)
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
    _withhold_blanks(draft, imported)
    authorship.note_import(draft, options.actor)
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
