"""How far the check of an uploaded file has got, for the upload page to show meanwhile.

It lives in the database, not in one process's memory, because the page asks for it in
requests of their own, which any worker may answer while another works through the file.
`importing.progress` writes it on a connection of its own and deletes it when the check
ends (or, should a worker die mid-check, the next upload deletes it a day later).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import utcnow


class ImportProgress(db.Model):
    __tablename__ = "import_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The random token the upload form carries; the page asks for the progress by it.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    rows_checked: Mapped[int] = mapped_column(Integer, default=0)
    # About how many rows the file has, from the share of it read so far; None until known.
    rows_expected: Mapped[int | None] = mapped_column(Integer)
    # Every row is checked and the report is being kept.
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
