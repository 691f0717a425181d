"""Each current version as the search downloads write it: its CSV line and JSON record,
written once when it is published (or when something it shows changes) rather than on
every download. `layout` says which layout of the data package they were written for, so
text written before the columns changed is never sent (see `opendata.documents`)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class VersionDocument(db.Model):
    __tablename__ = "version_document"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("entry_version.id", ondelete="CASCADE"), primary_key=True
    )
    layout: Mapped[str] = mapped_column(String(60))
    csv_line: Mapped[str] = mapped_column(Text)
    json: Mapped[str] = mapped_column(Text)
