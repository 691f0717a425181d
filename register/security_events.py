"""The security log: sign-ins and their failures, lock-outs, and changes to passwords and
second factors, with the client address each came from. Administrators read it at
/admin/security-events; it holds no passwords, codes or links."""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .extensions import db
from .formatting import N_
from .models import SecurityEvent, User

KINDS = {
    "signed_in": N_("Signed in"),
    "password_accepted": N_("Password correct; second-factor code asked for"),
    "sign_in_failed": N_("Sign-in failed"),
    "locked_out": N_("Sign-in refused: too many failures from this client"),
    "password_changed": N_("Password changed"),  # nosec B105  # a label, not a password
    "password_reset": N_("Password reset by email link"),  # nosec B105  # a label too
    "second_factor_added": N_("Second factor set up"),
    "second_factor_removed": N_("Second factor removed"),
    "second_factor_failed": N_("Wrong second-factor code"),
    "recovery_code_used": N_("Recovery code used"),
    "recovery_codes_renewed": N_("New recovery codes made"),
    "provider_sign_in_failed": N_("Sign-in through an organisation’s provider refused"),
    "provider_account_linked": N_("Provider account linked to the person"),
}


def record(
    kind: str, *, user: User | None = None, email: str | None = None, detail: str | None = None
) -> SecurityEvent:
    """Add an event to the session; the caller commits it with the change it describes
    (or alone, for a failure that changes nothing else)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown security event {kind!r}")
    client = request.remote_addr if has_request_context() else None
    event = SecurityEvent(
        kind=kind,
        user=user,
        email=None if user is not None else (email or "")[:254] or None,
        client=(client or "")[:64] or None,
        detail=(detail or "")[:500] or None,
    )
    db.session.add(event)
    return event


def latest(limit: int = 200, *, kind: str | None = None) -> list[SecurityEvent]:
    """The newest events first, optionally of one kind."""
    query = (
        select(SecurityEvent)
        .options(selectinload(SecurityEvent.user))
        .order_by(SecurityEvent.at.desc(), SecurityEvent.id.desc())
    )
    if kind:
        query = query.where(SecurityEvent.kind == kind)
    return list(db.session.scalars(query.limit(limit)))
