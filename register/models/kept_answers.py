"""Answers a person sent after their session had ended, kept until they sign in again.

Nothing here is part of any entry: the answers wait, encrypted, for the person who sent them
(on the browser they sent them from) to sign in and find them back in the form, where they
check them and save as usual. Rows expire after KEPT_ANSWERS_HOURS.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import utcnow

PATH_LENGTH = 500
BROWSER_LENGTH = 64


class KeptAnswers(db.Model):
    __tablename__ = "kept_answers"
    __table_args__ = (Index("ix_kept_answers_user_id_browser", "user_id", "browser"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    # A digest of the random token in the browser's cookie, so the table alone names no
    # cookie that would work.
    browser: Mapped[str] = mapped_column(String(BROWSER_LENGTH))
    # The form's own address, where the answers go back.
    path: Mapped[str] = mapped_column(String(PATH_LENGTH))
    # The form's fields and values, as JSON, encrypted (see `register.sealing`).
    sealed_answers: Mapped[str] = mapped_column(Text)
    kept_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
