"""What the last check of each public link found: one row per link of each public entry's
current version, kept from run to run so that a link that stays broken is reported once, and
the dashboard can say since when it has failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..schema.record import URL_LENGTH
from .entry import Entry

QUESTION_LENGTH = 80
DETAIL_LENGTH = 200


class LinkCheck(db.Model):
    __tablename__ = "link_check"
    __table_args__ = (Index("uq_link_check_link", "entry_id", "question", "url", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    # The version checked: the one the public saw then.
    version_id: Mapped[int] = mapped_column(
        ForeignKey("entry_version.id", ondelete="CASCADE"), index=True
    )
    # Where the link is answered: a field's name, or a group's and its field's
    # ("data_sources.link").
    question: Mapped[str] = mapped_column(String(QUESTION_LENGTH))
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    working: Mapped[bool] = mapped_column(Boolean)
    # What the check found, in a few words: "HTTP 404", "timed out".
    detail: Mapped[str] = mapped_column(String(DETAIL_LENGTH), default="")
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Since the first check that found it broken, this time; empty while it works.
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When the organisation's publishers were told of this breakage (so they are told once).
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    entry: Mapped[Entry] = relationship()
