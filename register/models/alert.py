"""Email alerts: someone without an account follows a search of the public register.

Only what the alerts need is kept: the address, the search, how often, and when things
happened. A row becomes a subscription once its address has confirmed it (`confirmed_at`);
one never confirmed is deleted after a week, and unsubscribing deletes the row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import LANGUAGE_LENGTH, utcnow

DAILY, WEEKLY = "daily", "weekly"
FREQUENCIES = (DAILY, WEEKLY)
EMAIL_LENGTH = 254
# The search as its canonical query string (`SearchQuery.to_params`), without paging.
SEARCH_LENGTH = 2000


class AlertSubscription(db.Model):
    __tablename__ = "alert_subscription"
    __table_args__ = (UniqueConstraint("email", "search"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH))
    search: Mapped[str] = mapped_column(String(SEARCH_LENGTH))
    frequency: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the last confirmation email was asked for; cleared once it is used, so that a
    # confirmation link works once.
    requested_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The change log has been told up to (not including) this moment.
    told_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The language of the page the alerts were asked for on, which their emails are in.
    language: Mapped[str] = mapped_column(
        String(LANGUAGE_LENGTH), default="en", server_default="en"
    )
