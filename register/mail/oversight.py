"""What administrators see of the outbox, and what they may do: list messages by state
(recipient and subject only, never a body), retry a failed one, and notice when email has
not been going out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from ..audit import record_event
from ..extensions import db
from ..formatting import N_
from ..models import OutboxMessage, User
from ..models.outbox import FAILED, SENDING, SENT, STATES, WAITING

STATE_LABELS = {
    WAITING: N_("Waiting"),
    SENDING: N_("Being sent"),
    SENT: N_("Sent"),
    FAILED: N_("Failed"),
}
SHOWN = 100
# Email that has waited this long has not been going out: the dashboard says so.
DELAY_WORTH_A_WARNING = timedelta(hours=1)


class RetryError(ValueError):
    """The message cannot be retried; the message says why, fit to show the administrator."""


def counts() -> dict[str, int]:
    """How many messages are in each state, every state named."""
    found = dict(
        db.session.execute(
            select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
        ).all()
    )
    return {state: found.get(state, 0) for state in STATES}


def latest(state: str, limit: int = SHOWN) -> list[OutboxMessage]:
    """The newest `limit` messages in `state`, newest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.state == state)
            .order_by(OutboxMessage.updated_at.desc(), OutboxMessage.id.desc())
            .limit(limit)
        )
    )


def retry_problem(message: OutboxMessage) -> str | None:
    """Why `message` cannot be retried, or None if it can."""
    if message.state != FAILED:
        return "Only an email that has failed can be retried."
    if message.sealed_body is None:
        return (
            "This email can no longer be retried: its text was deleted, as every failed "
            "email’s is after a few days."
        )
    return None


def can_retry(message: OutboxMessage) -> bool:
    return retry_problem(message) is None


def retry(message: OutboxMessage, *, actor: User) -> None:
    """Put a failed message back in the outbox, to be sent as soon as a sender looks, and
    record who did it; `RetryError` if it has not failed or its text is gone."""
    if problem := retry_problem(message):
        raise RetryError(problem)
    now = datetime.now(UTC)
    message.state = WAITING
    message.waiting_since = now
    message.next_attempt_at = now
    message.updated_at = now
    record_event("email_retried", actor, detail=f"“{message.subject}” to {message.recipient}")
    db.session.commit()


def delayed(now: datetime | None = None) -> int:
    """How many messages have waited to be sent for longer than `DELAY_WORTH_A_WARNING`
    (the mail server refusing them, or no sender running)."""
    since = (now or datetime.now(UTC)) - DELAY_WORTH_A_WARNING
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.state.in_((WAITING, SENDING)), OutboxMessage.waiting_since <= since)
    )
