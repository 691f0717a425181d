"""An import run's entries waiting for review, and publishing them all in one step.

Through the web, an import's entries go to another publisher's review unless their
organisation allows self-publishing (see `authorship.refusal_to_publish`).
A reviewer reads the import's report and each updated entry's changes, then publishes every
entry of the import that they may publish at once: all of them or, if any one is refused,
none. An entry belongs to the import that last touched it; one a later import has updated
since is that one's to review.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from .. import authorship, publishing
from ..extensions import db
from ..models import Entry, EntryProvenance, EntryVersion, ImportBatch, User
from ..models.entry import IN_REVIEW
from ..models.provenance import CREATED
from ..permissions import can_review, publishes_for


@dataclass(frozen=True)
class WaitingEntry:
    entry: Entry
    draft: EntryVersion
    action: str  # CREATED or UPDATED by the import
    # The published version an update would replace, to compare with; None for a new entry.
    current: EntryVersion | None


@dataclass(frozen=True)
class BatchReview:
    """What a reviewer finds of an import: the entries they may publish now, and those
    that wait for another publisher because the reviewer submitted them or wrote their
    answers."""

    batch: ImportBatch
    imported_by: User | None
    publishable: list[WaitingEntry]
    for_someone_else: list[WaitingEntry]

    @property
    def fingerprint(self) -> str:
        """Names the exact entries `publishable` lists, so a confirmation publishes what the
        reviewer read and nothing that joined the list since."""
        ids = ",".join(str(item.entry.id) for item in self.publishable)
        return hashlib.sha256(ids.encode()).hexdigest()


class BatchChanged(publishing.WorkflowError):
    """The entries waiting changed between reading the list and confirming it."""


def review_of(batch_id: int, reviewer: User) -> BatchReview | None:
    """The import's entries waiting for review that `reviewer` publishes for; None if there
    is no such import or the reviewer publishes for none of its entries' organisations."""
    batch = db.session.get(ImportBatch, batch_id)
    if batch is None:
        return None
    later = aliased(EntryProvenance)
    rows = db.session.execute(
        select(Entry, EntryProvenance.action)
        .join(EntryProvenance, EntryProvenance.entry_id == Entry.id)
        .where(EntryProvenance.batch_id == batch.id)
        .where(
            ~select(later.id)
            .where(later.entry_id == Entry.id, later.id > EntryProvenance.id)
            .exists()
        )
        .order_by(Entry.id)
        .options(selectinload(Entry.versions))
    ).all()
    organisations = {entry.organisation_id for entry, _ in rows}
    if not any(publishes_for(reviewer, organisation) for organisation in organisations):
        return None
    publishable, for_someone_else = [], []
    for entry, action in rows:
        if entry.state != IN_REVIEW or entry.draft is None or not can_review(reviewer, entry):
            continue
        item = WaitingEntry(
            entry, entry.draft, action, None if action == CREATED else entry.current_version
        )
        if authorship.refusal_to_publish(entry, reviewer):
            for_someone_else.append(item)
        else:
            publishable.append(item)
    return BatchReview(batch, batch.imported_by, publishable, for_someone_else)


def publish_batch(batch_id: int, reviewer: User, fingerprint: str) -> int:
    """Publish every entry of the import that `reviewer` may publish, as they read the list
    (`fingerprint`), in one transaction; how many were published. Raises `BatchChanged` if
    the list is not what they read, or the workflow's refusal of any entry."""
    review = review_of(batch_id, reviewer)
    if review is None or review.fingerprint != fingerprint or not review.publishable:
        raise BatchChanged(
            "The entries of this import waiting for review have changed since you read the "
            "list. Read it again before publishing."
        )
    notes = {
        item.entry.id: (
            f"Imported from {review.batch.filename}."
            if item.current is None
            else f"Updated from {review.batch.filename}."
        )
        for item in review.publishable
    }
    entries = [item.entry for item in review.publishable]
    through = f"Import {review.batch.id} approved as a whole"
    return len(publishing.publish_all(entries, reviewer, notes, through=through))
