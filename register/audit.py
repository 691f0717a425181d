"""The audit log's writing: every action on the register adds one line, committed with it.

The workflow, accounts, API tokens, one-time links, second factors, feedback, reviews and
imports all write here, so that the log reads the same whoever did what.
"""

from __future__ import annotations

from .extensions import db
from .models import AuditEvent, Entry, Organisation, User


def record_event(
    action: str,
    actor: User | None,
    entry: Entry | None = None,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    detail: str | None = None,
    organisation: Organisation | None = None,
) -> AuditEvent:
    """Add an audit log line to the session (committed with the change it describes)."""
    event = AuditEvent(
        action=action,
        actor_id=actor.id if actor else None,
        entry_id=entry.id if entry else None,
        organisation_id=(
            entry.organisation_id if entry else organisation.id if organisation else None
        ),
        from_state=from_state,
        to_state=to_state,
        detail=detail,
    )
    db.session.add(event)
    return event


def commit_or_roll_back() -> None:
    """Commit the session's changes, or roll them all back and re-raise: never half a change
    (and never a change without its audit line, or a line without its change)."""
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
