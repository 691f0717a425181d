"""Who changed which answer of which version, and when.

One row per version, answer and person: the answer is a field's name (such as `purpose`) or
one row of a repeating group (such as `risks-2`, counting from 1). A person who changes the
same answer again moves its time on. Answers carried over into a new version from the one
before are not rows of the new version: nobody changed them there.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .columns import CODE_LENGTH, utcnow
from .entry import EntryVersion
from .organisation import User


class AnswerChange(db.Model):
    __tablename__ = "answer_change"
    __table_args__ = (UniqueConstraint("version_id", "answer", "changed_by_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("entry_version.id", ondelete="CASCADE"), index=True
    )
    # A field's name, or a repeating group's name and row number (`data_sources-1`).
    answer: Mapped[str] = mapped_column(String(2 * CODE_LENGTH))
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    version: Mapped[EntryVersion] = relationship()
    changed_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AnswerChange version={self.version_id} {self.answer} by={self.changed_by_id}>"
