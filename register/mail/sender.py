"""Delivering the outbox: claim a batch, hand each message over, record what happened.

Each step commits before the next, so a sender killed at any point repeats at most the one
message it was handing over: claimed messages are marked `sending` (committed) before any is
handed over, and each is recorded `sent` (committed) right after. A message left `sending`
for longer than MAIL_SENDING_TIMEOUT_SECONDS belonged to a sender that died, and is tried again.

Two senders never claim the same message. On PostgreSQL the claim skips rows another sender
has locked (`FOR UPDATE SKIP LOCKED`); SQLite has no row locks, so the claim is one `UPDATE`
and a second sender waits for the first one's claim to commit (a moment: nothing is sent
inside it), then claims what is left.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from ..extensions import db
from ..models import OutboxMessage
from ..models.columns import aware
from ..models.outbox import ERROR_LENGTH, FAILED, SENDING, SENT, WAITING
from ..sealing import unseal
from . import SEALING_PURPOSE, Message, NotDelivered, Refused, unseal_headers
from .transports import Transport

BATCH_SIZE = 20
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
UNREADABLE = (
    "The message could not be decrypted: SECRET_KEY has changed since it was written, "
    "so it cannot be sent."
)


@dataclass
class Delivery:
    """What one pass of the sender did."""

    sent: int = 0
    failed: int = 0
    retrying: int = 0


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: doubling, up to an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


@dataclass(frozen=True)
class Claimed:
    """A message this sender has claimed, read out of the database."""

    id: int
    recipient: str
    subject: str
    sealed_body: str | None
    sealed_headers: str | None
    message_id: str
    attempts: int
    waiting_since: datetime
    claimed_by: str


def sending_timeout() -> timedelta:
    """How long a claimed message may stay unrecorded before another sender takes it: longer
    than a batch can take to hand over, each message timing out after seconds."""
    return timedelta(seconds=current_app.config["MAIL_SENDING_TIMEOUT_SECONDS"])


def claim(now: datetime, batch_size: int = BATCH_SIZE) -> list[Claimed]:
    """Mark up to `batch_size` messages due for sending as this sender's, and commit."""
    sender = uuid.uuid4().hex
    due = (
        select(OutboxMessage.id)
        .where(
            or_(
                and_(OutboxMessage.state == WAITING, OutboxMessage.next_attempt_at <= now),
                and_(
                    OutboxMessage.state == SENDING,
                    OutboxMessage.claimed_at < now - sending_timeout(),
                ),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(batch_size)
        .with_for_update(skip_locked=True)
    )
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due))
        .values(
            state=SENDING,
            claimed_by=sender,
            claimed_at=now,
            attempts=OutboxMessage.attempts + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    claimed = [
        Claimed(
            row.id,
            row.recipient,
            row.subject,
            row.sealed_body,
            row.sealed_headers,
            row.message_id,
            row.attempts,
            aware(row.waiting_since),
            sender,
        )
        for row in db.session.execute(
            select(OutboxMessage)
            .where(OutboxMessage.claimed_by == sender, OutboxMessage.state == SENDING)
            .order_by(OutboxMessage.id)
        ).scalars()
    ]
    # No transaction stays open while messages are handed over, which takes seconds.
    db.session.commit()
    return claimed


def _record(message: Claimed, **values: object) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.claimed_by == message.claimed_by)
        .values(claimed_by=None, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver_waiting(
    transport: Transport,
    *,
    now: Callable[[], datetime] | None = None,
    stop: threading.Event | None = None,
) -> Delivery:
    """Hand every message due for sending to `transport`, batch by batch, and record each
    result; retry later what could not go, and give up after MAIL_GIVE_UP_AFTER_HOURS.
    Once `stop` is set, the messages not yet handed over are given back, and it returns.
    A failed message keeps its body (encrypted) for MAIL_KEEP_FAILED_DAYS, for a retry."""
    clock = now or (lambda: datetime.now(UTC))
    give_up_after = timedelta(hours=current_app.config["MAIL_GIVE_UP_AFTER_HOURS"])
    delivery = Delivery()
    forget_failed_bodies(clock() - timedelta(days=current_app.config["MAIL_KEEP_FAILED_DAYS"]))
    while batch := claim(clock()):
        for number, message in enumerate(batch):
            if stop is not None and stop.is_set():
                _release(batch[number:])
                return delivery
            _deliver_one(transport, message, clock(), give_up_after, delivery)
    return delivery


def _release(claimed: list[Claimed]) -> None:
    """Give back messages claimed but not handed over, for the next sender to take at once."""
    for message in claimed:
        _record(message, state=WAITING, attempts=message.attempts - 1)


def _deliver_one(
    transport: Transport,
    message: Claimed,
    now: datetime,
    give_up_after: timedelta,
    delivery: Delivery,
) -> None:
    logger = current_app.logger
    body = unseal(message.sealed_body, SEALING_PURPOSE)
    if body is None:
        _record(message, state=FAILED, sealed_body=None, last_error=UNREADABLE, updated_at=now)
        delivery.failed += 1
        return
    try:
        transport.send(
            Message(
                message.recipient,
                message.subject,
                body,
                message.message_id,
                unseal_headers(message.sealed_headers),
            )
        )
    except Refused as refusal:
        reason = str(refusal)[:ERROR_LENGTH]
        _record(message, state=FAILED, last_error=reason, updated_at=now)
        # The reason stays out of the log: a server's reply often names the recipient.
        logger.error("Email %s was refused; the email page says why.", message.id)
        delivery.failed += 1
    except NotDelivered as problem:
        reason = str(problem)
        if now - message.waiting_since >= give_up_after:
            reason = f"Given up after {give_up_after} of trying. Last: {reason}"[:ERROR_LENGTH]
            _record(message, state=FAILED, last_error=reason, updated_at=now)
            logger.error("Email %s was given up on; the email page says why.", message.id)
            delivery.failed += 1
            return
        _record(
            message,
            state=WAITING,
            next_attempt_at=now + retry_delay(message.attempts),
            last_error=reason[:ERROR_LENGTH],
            updated_at=now,
        )
        logger.warning("Email %s could not be sent and will be tried again.", message.id)
        delivery.retrying += 1
    else:
        _record(
            message,
            state=SENT,
            sealed_body=None,
            sealed_headers=None,
            sent_at=now,
            last_error=None,
            updated_at=now,
        )
        delivery.sent += 1


def forget_failed_bodies(failed_before: datetime) -> None:
    """Delete the bodies of messages that failed before `failed_before`: too old to retry."""
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.state == FAILED,
            OutboxMessage.updated_at < failed_before,
            OutboxMessage.sealed_body.is_not(None),
        )
        .values(sealed_body=None, sealed_headers=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def waiting_count() -> int:
    """How many messages wait to be sent (or are being sent)."""
    return db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.state.in_((WAITING, SENDING)))
    )


def watch(transport: Transport, stop: threading.Event, interval: float) -> None:
    """Deliver what waits every `interval` seconds until `stop` is set, which is obeyed
    between two messages."""
    while not stop.is_set():
        deliver_waiting(transport, stop=stop)
        db.session.remove()
        stop.wait(interval)
