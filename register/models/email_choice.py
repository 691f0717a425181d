"""Which emails about entries a person has turned off: one row per kind turned off, so
that every kind is on until the person says otherwise, and a kind added later starts on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import CODE_LENGTH, utcnow


class EmailTurnedOff(db.Model):
    __tablename__ = "email_turned_off"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    # A kind of workflow email, such as "sent_back" (see `register.mail.workflow.KINDS`).
    kind: Mapped[str] = mapped_column(String(CODE_LENGTH), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
