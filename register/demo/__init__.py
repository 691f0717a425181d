"""Demo data: fill the register with realistic, varied, published entries.

`load(n)` makes `n` entries for fictional public bodies of every type, from use cases that
read like real ones (`cases_*.py`), wording shared between them (`wording*.py`) and dates
that hang together (`history.py`). Drafts are made and written batch by batch (`bulk.py`),
so memory stays flat however many entries are asked for.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from sqlalchemy import select

from .. import suppliers
from ..extensions import db
from ..models import Entry, Organisation
from . import organisations
from .bulk import ORGANISATION, BulkWriter
from .entries import Composer
from .history import Draft

BATCH_SIZE = 2000  # entries per transaction
MAX_ENTRIES = 1_000_000


class DemoDataError(ValueError):
    """An argument that cannot be accepted; the message says why, in plain words."""


@dataclass(frozen=True)
class DemoLoad:
    """What `load` created."""

    entries: int
    organisations: int  # organisations the new entries belong to
    new_organisations: int  # of which created by this load
    first_reference: str
    last_reference: str


def register_is_empty() -> bool:
    """True when the register has no entries at all, in any state."""
    return db.session.scalar(select(Entry.id).limit(1)) is None


def load(
    entries: int,
    *,
    seed: int = 2024,
    today: date | None = None,
    batch_size: int = BATCH_SIZE,
) -> DemoLoad:
    """Add `entries` published entries, spread over organisations of every type.

    The same seed, register and day give the same entries. Running it again adds more
    entries with new references; organisations of an earlier load are reused by name.
    """
    if isinstance(entries, bool) or not isinstance(entries, int):
        raise DemoDataError(f"The number of entries must be a whole number, not {entries!r}.")
    if not 1 <= entries <= MAX_ENTRIES:
        raise DemoDataError(
            f"The number of entries must be between 1 and {MAX_ENTRIES:,}, not {entries:,}."
        )
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise DemoDataError(f"The seed must be a whole number, not {seed!r}.")
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise DemoDataError(f"The batch size must be a whole number above 0, not {batch_size!r}.")
    today = today or datetime.now(UTC).date()
    rng = random.Random(seed)  # noqa: S311 - repeatable demo content, not a secret  # nosec B311
    writer = BulkWriter(db.engine, current_app.config.get("REGISTER_REFERENCE_PREFIX", "AIR"))
    with db.engine.connect() as connection:
        table = Organisation.__table__
        existing = connection.execute(select(table.c.id, table.c.name, table.c.slug, table.c.type))
        chosen = organisations.choose(
            rng,
            organisations.organisation_count(entries),
            [tuple(row) for row in existing],
            lambda: writer.take(ORGANISATION),
        )
    new = [org for org in chosen if org.is_new]
    created_at = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    writer.add_organisations([org.row(created_at, rng.random() < 0.2) for org in new])

    composer = Composer(rng, chosen, today)
    links = suppliers.SupplierLinks()
    references: list[str] = []
    remaining = entries
    while remaining:
        size = min(batch_size, remaining)
        drafts = [composer.next() for _ in range(size)]
        _link(drafts, links)
        batch = writer.add_entries(drafts)
        references = [references[0] if references else batch[0], batch[-1]]
        remaining -= size
    used = {org.id for org in composer.organisations}
    return DemoLoad(entries, len(used), len(new), references[0], references[-1])


def _link(drafts: list[Draft], links: suppliers.SupplierLinks) -> None:
    """Link each version to the supplier and product its answers name, in the order the
    versions are written, as publishing them one by one would. The suppliers and products
    made for them are committed first: the versions are written in a transaction of their
    own, which on SQLite cannot start while this one writes."""
    for draft in drafts:
        for version in draft.versions:
            version.supplier_id, version.product_id = links.ids(version.record)
    db.session.commit()
