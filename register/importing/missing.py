"""Entries a newer copy of a file no longer has.

When a file is reviewed, the entries imported before from the same source (the same format,
for the organisations the file covers) that none of its rows is are listed. The person
importing may retire them, giving a reason, in the same transaction as the import: through
the register's own retirement (`publishing.mark_retired`), under the two-person rule that
publishing through an import follows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select

from ..extensions import db
from ..models import Entry, EntryVersion, Organisation, User
from ..models.entry import DRAFT, IN_REVIEW, PUBLISHED, WITHDRAWN
from ..permissions import may_publish_own
from ..publishing import mark_retired
from ..schema.record import MEDIUM
from ..schema.texts import N_, Composed, Given

REASON_LENGTH = MEDIUM  # the record's reason for retirement

# Why an entry the file no longer has cannot be retired by the import, by its state (in
# English, kept with the report; the page says it in its language).
_NOT_RETIRABLE = {
    IN_REVIEW: N_("waiting for review, so it cannot be retired now"),
    DRAFT: N_("a draft, not public, so there is nothing to retire"),
}
_REVISION = N_("a new version is being drafted; retire it from its page once that is done")


@dataclass
class MissingEntry:
    """An entry imported before from this source that the file no longer has."""

    entry_id: int
    reference: str
    title: str
    organisation: str
    # Why the import cannot retire it ("" if it can).
    why_not: str = ""
    # Retiring it goes to another publisher's review (the two-person rule).
    for_review: bool = False

    @property
    def retirable(self) -> bool:
        return not self.why_not


def missing_entries(
    source_format: str,
    organisation_ids: Collection[int],
    present: Collection[int],
    actor: User | None,
) -> list[MissingEntry]:
    """The entries imported before in `source_format` for these organisations that are not
    `present` (the entries the file's rows are), leaving out withdrawn ones and those
    already recorded as retired. One query, however many there are. Whether retiring each
    goes to review is `actor`'s, as publishing through an import is."""
    if not organisation_ids:
        return []
    rows = db.session.execute(
        select(
            Entry.id,
            Entry.reference,
            Entry.state,
            Entry.organisation_id,
            Organisation.name,
            EntryVersion.title,
            EntryVersion.status,
            EntryVersion.is_current,
        )
        .join(Organisation, Organisation.id == Entry.organisation_id)
        .join(EntryVersion, EntryVersion.entry_id == Entry.id)
        .where(
            Entry.source_format == source_format,
            Entry.organisation_id.in_(organisation_ids),
            Entry.state != WITHDRAWN,
            or_(EntryVersion.is_current.is_(True), EntryVersion.number.is_(None)),
        )
        .order_by(Organisation.name, Entry.id)
    )
    found: dict[int, MissingEntry] = {}
    states: dict[int, str] = {}
    public: set[int] = set()  # entries with a published version
    retired: set[int] = set()
    organisations: dict[int, int] = {}
    for entry_id, reference, state, organisation_id, organisation, title, status, current in rows:
        if entry_id in present:
            continue
        organisations[entry_id] = organisation_id
        is_current = current
        if is_current:
            public.add(entry_id)
            if status == "retired":
                retired.add(entry_id)
        states[entry_id] = state
        missing = found.setdefault(entry_id, MissingEntry(entry_id, reference, "", organisation))
        # The title people see: the published one, else the draft's.
        if is_current or not missing.title:
            missing.title = title or ""
    reviewed = {
        organisation.id: not may_publish_own(actor, organisation)
        for organisation in db.session.scalars(
            select(Organisation).where(Organisation.id.in_(organisation_ids))
        )
    }
    for entry_id, missing in found.items():
        missing.for_review = reviewed.get(organisations[entry_id], True)
        state = states[entry_id]
        if state == DRAFT and entry_id in public:
            missing.why_not = _REVISION
        elif state != PUBLISHED:
            missing.why_not = _NOT_RETIRABLE.get(state, "")
    return [missing for key, missing in found.items() if key not in retired]


def reason_problem(reason: str) -> str:
    """What is wrong with the reason given for retiring entries, or "": in English (for the
    command line), a page saying it with `shown`."""
    reason = (reason or "").strip()
    if not reason:
        return N_("Enter the reason the tools are no longer used; it is shown to the public")
    if len(reason) > REASON_LENGTH:
        return Composed(
            N_("The reason must be %(count)s characters or fewer"),
            count=Given(f"{REASON_LENGTH:,}"),
        )
    return ""


def retire(
    entry_ids: Iterable[int], reason: str, actor: User | None
) -> tuple[list[str], list[str]]:
    """Retire these entries in the caller's transaction: published at once where the
    person may publish their own organisation's entries, otherwise submitted for another
    publisher's review. Returns the references retired and those sent for review."""
    retired: list[str] = []
    for_review: list[str] = []
    for entry_id in entry_ids:
        entry = db.session.get(Entry, entry_id)
        organisation = db.session.get(Organisation, entry.organisation_id)
        reviewed = not may_publish_own(actor, organisation)
        mark_retired(entry, actor, reason, for_review=reviewed)
        (for_review if reviewed else retired).append(entry.reference)
    return retired, for_review
