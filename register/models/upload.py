"""Files uploaded for import, kept between the dry-run report and the person's decision.

They live in the database, not on one machine's disk, so any instance can finish the
import; they are deleted once imported or abandoned.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import utcnow


class PendingImport(db.Model):
    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A random handle for the confirmation form, so ids cannot be guessed.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE")
    )
    format: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    create_organisations: Mapped[bool] = mapped_column(Boolean, default=False)
    publish: Mapped[bool] = mapped_column(Boolean, default=False)
    # The report, worked out once when the file arrived (JSON), so viewing it never parses
    # the file again; or why the file was refused.
    report: Mapped[str | None] = mapped_column(Text)
    refusal: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
