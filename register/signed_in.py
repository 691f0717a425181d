"""Who is signed in: the person is loaded once, at the start of each request, and pages are
given plain values about them.

Templates never read the person's model: it would be loaded from the database while the page
is drawn, on pages whose view never needed the person, and read again after any commit
(which expires it). `signed_in` in every template (given by `formatting`) is a `SignedIn`,
or None for a visitor.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import gettext, ngettext
from flask_login import AnonymousUserMixin, current_user, user_logged_in, user_logged_out

from .extensions import db, login_manager
from .models import User

# A number of each plural form the browser names (Intl.PluralRules), for Welsh's six: the
# warning dialog's script picks a count's form, and the catalogue gives each form's words.
PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 6, "other": 5}


@dataclass(frozen=True)
class SignedIn:
    """What pages show of the person signed in (the header's links, the account's address)."""

    email: str
    is_admin: bool


def person_for_session(session_id: str) -> User | None:
    """The person a session's id names, if that session still counts (see `User.get_id`)."""
    user_id, _, _fingerprint = session_id.partition(":")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active or user.get_id() != session_id:
        return None
    return user


def remember(user: User | AnonymousUserMixin) -> None:
    """Keep what pages show of `user` (the person just signed in or out, or anonymous)."""
    g.signed_in = SignedIn(user.email, user.is_admin) if user.is_authenticated else None


def forget() -> None:
    """Show the rest of the request as to nobody in particular (see `views.errors`)."""
    g.signed_in = None


def signed_in() -> SignedIn | None:
    """The person signed in, as pages show them; loaded now if this request has not yet."""
    if not has_request_context():
        return None
    if "signed_in" not in g:
        remember(current_user)
    return g.signed_in


def _load_once() -> None:
    # Files never show who is signed in (a missing one's error page loads them itself).
    if request.endpoint != "static":
        signed_in()


def init_signed_in(app: Flask) -> None:
    """Load the person at the start of every request, before any other check, so that even
    the error page a refused request gets has them already; and keep what pages show of
    them up to date as people sign in and out."""
    login_manager.user_loader(person_for_session)
    app.before_request_funcs.setdefault(None, []).insert(0, _load_once)

    @user_logged_in.connect_via(app)
    def _signed_in_now(sender: Flask, user: User, **extra: object) -> None:
        remember(user)

    @user_logged_out.connect_via(app)
    def _signed_out_now(sender: Flask, user: User, **extra: object) -> None:
        forget()


@dataclass(frozen=True)
class SessionEnd:
    """When the signed-in session ends if the person does nothing, for the page to say."""

    ends_at: datetime
    seconds_left: int
    warn_before: int
    idle_minutes: int
    # False when the absolute limit ends it first: staying active would not help.
    can_stay: bool
    absolute_hours: int


def session_end() -> SessionEnd | None:
    """When the session of the person signed in ends, or None for a visitor."""
    if signed_in() is None:
        return None
    now = time.time()
    idle = current_app.permanent_session_lifetime.total_seconds()
    absolute_hours = current_app.config["SESSION_ABSOLUTE_HOURS"]
    signed_in_at = session.get("signed_in_at")
    absolute_end = (
        signed_in_at + absolute_hours * 3600 if isinstance(signed_in_at, int) else math.inf
    )
    ends = min(now + idle, absolute_end)
    return SessionEnd(
        ends_at=datetime.fromtimestamp(ends, UTC),
        seconds_left=max(0, int(ends - now)),
        warn_before=current_app.config["SESSION_WARNING_SECONDS"],
        idle_minutes=max(1, round(idle / 60)),
        can_stay=now + idle <= absolute_end,
        absolute_hours=absolute_hours,
    )


def timeout_texts() -> dict[str, Any]:
    """The words static/js/session-timeout.js writes in the warning dialog, in the page's
    language; it fills in "%{count}" and "%{time}" as the seconds go by."""
    return {
        "minutes": {
            form: ngettext("%(count)s minute", "%(count)s minutes", n, count="%{count}")
            for form, n in PLURAL_SAMPLES.items()
        },
        "seconds": {
            form: ngettext("%(count)s second", "%(count)s seconds", n, count="%{count}")
            for form, n in PLURAL_SAMPLES.items()
        },
        "countdown": gettext(
            "For your security, we will sign you out in %(time)s.", time="%{time}"
        ),
        "saveNow": gettext("Save your answers now."),
        "signedOut": gettext("You have been signed out"),
        "ended": gettext(
            "For your security, you have been signed out. Your answers on this page are still "
            "here: save them, sign in again when asked, and they will be kept for you."
        ),
        "stillSignedIn": gettext("You are still signed in."),
    }
