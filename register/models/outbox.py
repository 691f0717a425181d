"""Email waiting to be sent, written in the same transaction as the change that causes it.

The body may hold a one-time link, so it is kept encrypted (see `register.mail`) and
deleted once the message has been delivered; a failed message keeps it (encrypted) only for
MAIL_KEEP_FAILED_DAYS, so that an administrator can retry it. The recipient, subject and
state stay, for the administrators' email page.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import utcnow

WAITING = "waiting"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
STATES = (WAITING, SENDING, SENT, FAILED)

SUBJECT_LENGTH = 300
ERROR_LENGTH = 500


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(SUBJECT_LENGTH))
    # Encrypted; None once the message has been sent (or failed long enough ago).
    sealed_body: Mapped[str | None] = mapped_column(Text)
    # Extra headers (such as List-Unsubscribe), as sealed JSON; None when there are none
    # or once the message has been sent, like the body.
    sealed_headers: Mapped[str | None] = mapped_column(Text)
    # The same on every attempt, so a mail client can recognise a repeat.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    state: Mapped[str] = mapped_column(String(10), default=WAITING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Which sender holds the message while it is being sent, and since when.
    claimed_by: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(ERROR_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Since when it has been waiting: queued, or retried by an administrator. The sender
    # gives up MAIL_GIVE_UP_AFTER_HOURS after this.
    waiting_since: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
