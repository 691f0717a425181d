"""The end of a signed-in session: warning before it, and losing nothing after it.

Before: every signed-in page says when the session will end and offers "Stay signed in" (a
form, so it works without JavaScript); static/js/session-timeout.js turns that into a
GOV.UK-style warning dialog a little before (SESSION_WARNING_SECONDS).

After: a form sent to one of the KEEPABLE pages once the session has gone is not saved, but
its answers are kept (see `register.kept_answers`) for the person who sent it, and put back
into that form when they open it signed in again on the same browser. Who sent it is known
from a cookie of its own, set when someone signs in and outliving the session: sealed, it
names the person and a random token for this browser, so another person signing in here
(which replaces it) never gets the answers, nor does the same person elsewhere. The cookie is
SameSite, and answers are kept only from a form the browser says this site sent, so another
site can neither make a browser keep answers nor put words into anyone's form.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user, user_logged_in
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from .. import kept_answers, signed_in
from ..formatting import N_, moment
from ..sealing import seal, unseal
from ..security import local_path

PERSON_COOKIE = "register_person"
# Over HTTPS, a name browsers accept only from this host, for the whole site (as the session's).
SECURE_PERSON_COOKIE = "__Host-register_person"
PURPOSE = "person on this browser"
# The forms whose answers are kept: each shows its answers again when opened (GET).
KEEPABLE = frozenset({"manage.section", "manage.add_row", "manage.change_row"})

KEPT = N_("Your session ended. Sign in to get back to your answers: they have been kept.")
NOTHING_CHANGED = N_("Your session ended, so nothing was changed. Sign in and try again.")
GIVEN_BACK = N_("We kept the answers you typed. Check them and save.")
JUST_SIGNED_IN = "signed_in_on_this_request"  # a key of `g`


@dataclass(frozen=True)
class PersonOnThisBrowser:
    """Who signed in on this browser last, and a random token standing for the browser."""

    user_id: int
    browser: str


# When the session ends ---------------------------------------------------------------------


def stay_signed_in_answer() -> dict[str, Any]:
    """What the warning dialog is told after "Stay signed in": the session's new end."""
    ends = signed_in.session_end()
    if ends is None:
        return {"signedIn": False}
    return {
        "signedIn": True,
        "secondsLeft": ends.seconds_left,
        "canStay": ends.can_stay,
        "endsAt": moment(ends.ends_at),
    }


# The cookie naming the person on this browser ----------------------------------------------


def person_cookie_name() -> str:
    """The name of the cookie naming the person on this browser (the privacy notice says it)."""
    return SECURE_PERSON_COOKIE if current_app.config["SESSION_COOKIE_SECURE"] else PERSON_COOKIE


def person_on_this_browser() -> PersonOnThisBrowser | None:
    """The person this browser's cookie names, if it is one this register sealed."""
    found = unseal(request.cookies.get(person_cookie_name()), PURPOSE)
    try:
        value = json.loads(found or "")
    except ValueError:
        return None
    if not isinstance(value, dict):
        return None
    user_id, browser = value.get("user"), value.get("browser")
    if not isinstance(user_id, int) or not isinstance(browser, str) or not browser:
        return None
    return PersonOnThisBrowser(user_id, browser)


def _name_on_this_browser(response: Response, person: PersonOnThisBrowser) -> None:
    config = current_app.config
    # Long enough for the longest session and then for the answers kept after it.
    hours = config["SESSION_ABSOLUTE_HOURS"] + config["KEPT_ANSWERS_HOURS"]
    response.set_cookie(
        person_cookie_name(),
        seal(json.dumps({"user": person.user_id, "browser": person.browser}), PURPOSE),
        max_age=int(hours * 3600),
        path="/",
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def _remember_the_person(response: Response) -> Response:
    """Name the person signed in on this browser, when the cookie names nobody or someone
    else (who then loses the token that their kept answers are tied to); and start its time
    again whenever they sign in."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return response
    known = person_on_this_browser()
    if known is None or known.user_id != current_user.id:
        _name_on_this_browser(
            response, PersonOnThisBrowser(current_user.id, secrets.token_urlsafe(32))
        )
    elif g.get(JUST_SIGNED_IN):
        _name_on_this_browser(response, known)
    return response


def _user_id_left_in_session() -> int | None:
    """The person the session named, if it still names one that no longer counts (signed
    out on another device, say): Flask-Login keeps the id until it signs out here."""
    user_id, _, _ = str(session.get("_user_id") or "").partition(":")
    return int(user_id) if user_id.isdigit() else None


def _who_sent_this() -> tuple[PersonOnThisBrowser, bool] | None:
    """The person a form sent now came from, and whether the cookie must be set anew."""
    known = person_on_this_browser()
    if current_user.is_authenticated:
        # Signed in (again, in another tab, with a new CSRF secret): only their own form.
        if known is not None and known.user_id == current_user.id:
            return known, False
        return None
    left = _user_id_left_in_session()
    if known is not None:
        # A session naming someone else than the cookie is too odd to trust either.
        return (known, False) if left in (None, known.user_id) else None
    if left is not None:
        return PersonOnThisBrowser(left, secrets.token_urlsafe(32)), True
    return None


# After the session has ended ---------------------------------------------------------------


def _from_this_site() -> bool:
    # Browsers send Origin: null here (no-referrer); Sec-Fetch-Site says who sent the form.
    return request.headers.get("Sec-Fetch-Site") == "same-origin"


def after_session_end() -> Response | None:
    """For a form sent to /manage by nobody signed in, or with a CSRF token its session no
    longer knows: keep its answers for the person who sent it and send them to sign in (or
    straight back to the form, if signed in again meanwhile). None when this request is not
    such a form, or its sender is unknown: it is refused as before."""
    if request.method != "POST" or request.blueprint != "manage" or not _from_this_site():
        return None
    sender = _who_sent_this()
    if sender is None:
        return None
    person, new_cookie = sender
    form_page = local_path(_this_page())
    if request.endpoint not in KEEPABLE or form_page is None:
        if current_user.is_authenticated:
            return None
        flash(gettext(NOTHING_CHANGED))
        return redirect(url_for("auth.sign_in"))
    answers = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name != current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    ]
    config = current_app.config
    try:
        kept_answers.keep(
            person.user_id,
            person.browser,
            form_page,
            answers,
            now=datetime.now(UTC),
            hours=config["KEPT_ANSWERS_HOURS"],
            most_characters=config["KEPT_ANSWERS_MAX_CHARACTERS"],
        )
    except kept_answers.NotKept as refused:
        if current_user.is_authenticated:
            return None
        flash(
            gettext(
                "Your session ended, so nothing was saved. %(reason)s Sign in and try again.",
                reason=refused,
            )
        )
        return redirect(url_for("auth.sign_in"))
    if current_user.is_authenticated:
        response = redirect(form_page)
    else:
        flash(gettext(KEPT))
        response = redirect(url_for("auth.sign_in", next=form_page))
    if new_cookie:
        _name_on_this_browser(response, person)
    return response


def _this_page() -> str:
    """This page's path as the browser asked for it: with its language prefix, and the path
    the register is served under, so the way back to it keeps both."""
    return request.script_root + request.path


def kept_answers_here() -> MultiDict | None:
    """For a form page opened by the person signed in: the answers they sent to it after
    their session ended, with a banner saying so; None if none were kept here for them."""
    if not current_user.is_authenticated:
        return None
    person = person_on_this_browser()
    if person is None or person.user_id != current_user.id:
        return None
    answers = kept_answers.take_back(
        person.user_id, person.browser, _this_page(), now=datetime.now(UTC)
    )
    if answers is None:
        return None
    flash(gettext(GIVEN_BACK))
    return MultiDict(answers)


def kept_form_to_return_to() -> str | None:
    """Where the person just signed in has answers waiting on this browser, if anywhere."""
    person = person_on_this_browser()
    if not current_user.is_authenticated or person is None or person.user_id != current_user.id:
        return None
    return local_path(
        kept_answers.waiting_form(person.user_id, person.browser, now=datetime.now(UTC))
    )


def init_app(app: Flask) -> None:
    """Name the person on each browser they sign in on, and tell every signed-in page when
    its session ends; the app factory calls this once."""
    app.after_request(_remember_the_person)

    @user_logged_in.connect_via(app)
    def _signed_in_now(sender: Flask, user: object, **extra: object) -> None:
        g.setdefault(JUST_SIGNED_IN, True)
