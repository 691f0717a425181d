"""What the public says about entries, and the review reminders sent to publishers.

A `Feedback` row is one answer to "Was this entry useful?" or one reported problem, kept
against the entry and the published version the person was reading. A `ReviewReminder`
row records that publishers were told an entry's review is near or past, so each reminder
goes once per review date.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import utcnow
from .entry import Entry, EntryVersion

# Kinds of feedback.
USEFUL = "useful"
NOT_USEFUL = "not_useful"
PROBLEM = "problem"
KINDS = (USEFUL, NOT_USEFUL, PROBLEM)

# Stages of a review reminder.
DUE_SOON = "due_soon"
OVERDUE = "overdue"


class Feedback(db.Model):
    __tablename__ = "feedback"
    __table_args__ = (
        # Dashboards list open problems (of some organisations, or of all for
        # administrators), newest first, and count answers by kind; votes far outnumber
        # problems, so the kind comes first.
        Index("ix_feedback_kind_organisation", "kind", "organisation_id", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("entry_version.id", ondelete="CASCADE"), index=True
    )
    # Denormalised from the entry so an organisation's feedback is found without a join.
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    # Only for a reply; never shown publicly, and cleared some days after the item is closed.
    email: Mapped[str | None] = mapped_column(String(254))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # Shown on the public entry page once the item is resolved (unless it is hidden).
    response: Mapped[str | None] = mapped_column(Text)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    entry: Mapped[Entry] = relationship()
    version: Mapped[EntryVersion] = relationship()

    @property
    def closed_at(self) -> datetime | None:
        """When the item stopped needing attention: resolved or hidden, whichever was first."""
        moments = [moment for moment in (self.resolved_at, self.hidden_at) if moment]
        return min(moments) if moments else None

    def __repr__(self) -> str:
        return f"<Feedback {self.id} {self.kind} entry={self.entry_id}>"


class ReviewReminder(db.Model):
    __tablename__ = "review_reminder"
    # One reminder per entry, review date and stage, however often the command runs.
    __table_args__ = (UniqueConstraint("entry_id", "due_on", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date)
    stage: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    recipients: Mapped[int] = mapped_column(Integer, default=0)
