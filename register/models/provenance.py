"""Where an imported entry came from: the import run (`ImportBatch`) and, per entry, the row.

An import run that writes anything keeps one `ImportBatch`: the source it read, the file's
name and hash, when and by whom. Each entry it created or updated gets an `EntryProvenance`
row naming the row and the source's own identifier and link, so a later import of the same
entry adds a row and the whole history stays readable. `Entry.source` repeats the source
name of the latest of them, so the public listing filters and counts by source without a join.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import utcnow
from .entry import Entry
from .organisation import User

CREATED = "created"
UPDATED = "updated"


class ImportBatch(db.Model):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The source's name for people, such as "US federal AI use case inventory 2025".
    source: Mapped[str] = mapped_column(String(120))
    # The import format's name, such as "us-2025".
    format: Mapped[str] = mapped_column(String(20))
    # The source's own page, such as the inventory's home or the GOV.UK finder.
    source_url: Mapped[str | None] = mapped_column(String(500))
    filename: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # None for an operator's import from the command line that names no person.
    imported_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # How many entries the run created or updated (one `EntryProvenance` row each).
    row_count: Mapped[int] = mapped_column(Integer, default=0)

    imported_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ImportBatch {self.id} {self.format} {self.filename}>"


class EntryProvenance(db.Model):
    __tablename__ = "entry_provenance"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[int] = mapped_column(
        ForeignKey("import_batch.id", ondelete="CASCADE"), index=True
    )
    # The row's number in the file as people count it (the header is row 1).
    row_number: Mapped[int] = mapped_column(Integer)
    # The row's own identifier in the source, if it has one.
    source_identifier: Mapped[str | None] = mapped_column(String(200))
    # The row's own address in the source, such as a GOV.UK record page.
    source_link: Mapped[str | None] = mapped_column(String(500))
    # CREATED or UPDATED.
    action: Mapped[str] = mapped_column(String(20))

    entry: Mapped[Entry] = relationship(back_populates="provenance")
    batch: Mapped[ImportBatch] = relationship()

    def __repr__(self) -> str:
        return f"<EntryProvenance entry={self.entry_id} batch={self.batch_id} {self.action}>"


# The format of this register's own files. Their entries were held to this register's rules
# when first published, so they are held to them again; the entries of every other source
# are published as the source recorded them (see `validation.as_recorded`).
OWN_FORMAT = "native"


def published_as_recorded(source_format: str | None) -> bool:
    """Whether entries imported in `source_format` may be published with questions their
    source did not answer: those of every other register's format."""
    return source_format is not None and source_format != OWN_FORMAT
