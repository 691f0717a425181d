"""Answers of a version its publisher withholds from the public, each with the reason.

A withheld answer stores no value on the version; this row says which question it is and
why it is held back (a code of `schema.vocabularies.WITHHELD_REASON`, with words of its own
for "other"). Rows belong to one version, so every published version keeps its own, and a
new working copy takes a copy of them with the answers (`versions.copy_of`).
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import CODE_LENGTH

REASON_TEXT_LENGTH = 200


class WithheldAnswer(db.Model):
    __tablename__ = "withheld_answer"
    __table_args__ = (UniqueConstraint("version_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("entry_version.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(CODE_LENGTH))
    reason: Mapped[str] = mapped_column(String(CODE_LENGTH))
    reason_text: Mapped[str | None] = mapped_column(String(REASON_TEXT_LENGTH))
