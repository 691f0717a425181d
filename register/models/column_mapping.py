"""Column mappings: what each column of a file that follows no known format holds.

An organisation keeps a mapping under a name to use again on next year's copy of the same
file; a file being mapped keeps its working mapping beside the upload until it is imported
or abandoned (it goes with the upload).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import utcnow
from .organisation import Organisation

MAPPING_NAME_LENGTH = 100


class SavedMapping(db.Model):
    """A mapping an organisation keeps under a name."""

    __tablename__ = "saved_mapping"
    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(MAPPING_NAME_LENGTH))
    # The mapping as JSON, in the shape a mapping file has (see docs/importing.md).
    definition: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    organisation: Mapped[Organisation] = relationship()


class PendingMapping(db.Model):
    """The mapping of an uploaded file while the person maps it, with the file's columns and
    their sample values and suggestions, worked out once when the file arrived."""

    __tablename__ = "pending_mapping"

    pending_import_id: Mapped[int] = mapped_column(
        ForeignKey("pending_import.id", ondelete="CASCADE"), primary_key=True
    )
    columns: Mapped[str] = mapped_column(Text)  # JSON: each column, its samples, suggestion
    definition: Mapped[str] = mapped_column(Text)  # JSON, as SavedMapping.definition
    # The saved mapping the person started from, which saving again replaces.
    saved_mapping_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_mapping.id", ondelete="SET NULL")
    )
