"""Error pages in the register's own style, for every error a visitor may meet."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, abort, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from .. import signed_in
from ..extensions import db, login_manager
from ..formatting import N_
from . import api_errors, session_end

# Title and what to tell the visitor, per status code, in English; shown in the page's language.
ERROR_PAGES: dict[int, tuple[str, str]] = {
    400: (
        N_("Sorry, there is a problem with your request"),
        N_("The page could not understand what was sent. Go back and try again."),
    ),
    403: (
        N_("You do not have permission to see this page"),
        N_("If you think you should have access, contact your organisation’s publisher."),
    ),
    404: (
        N_("Page not found"),
        N_(
            "If you typed the web address, check it is correct. If you pasted it, check you copied "
            "the entire address."
        ),
    ),
    405: (
        N_("Sorry, that action is not allowed"),
        N_("This page does not accept that kind of request. Go back and try again."),
    ),
    413: (
        N_("The file or form you sent is too large"),
        N_("Send something smaller and try again."),
    ),
    429: (
        N_("Sorry, there have been too many attempts"),
        N_("Wait a few minutes, then try again."),
    ),
    503: (
        N_("Sorry, the service is unavailable"),
        N_(
            "The register cannot reach its database just now. Try again in a few minutes. "
            "Anything you had not saved may need to be entered again."
        ),
    ),
    500: (
        N_("Sorry, there is a problem with the service"),
        N_("Try again later. Anything you had not saved may need to be entered again."),
    ),
}


def render_error(code: int) -> tuple[str, int]:
    title, advice = ERROR_PAGES.get(code, ERROR_PAGES[500])
    try:
        # The page's header shows who is signed in: loaded already, unless the request was
        # for a file.
        signed_in.signed_in()
    except OperationalError:
        # The database is what failed.
        _show_as_to_anyone()
    page = render_template(
        "errors/error.html", code=code, title=gettext(title), advice=gettext(advice)
    )
    return page, code


def _show_as_to_anyone() -> None:
    """Render the rest of this request for nobody in particular, without the database; the
    person stays signed in for their next request."""
    db.session.rollback()
    login_manager._update_request_context_with_user()  # the anonymous user
    signed_in.forget()


def _has_null_character(values: Iterable[str]) -> bool:
    return any("\x00" in value for value in values)


def refuse_null_characters() -> None:
    """A NUL character has no place in any address or form, and PostgreSQL refuses it in
    text: answer 400 before any view sees it, rather than 500 when it reaches the database."""
    # Every value of a repeated parameter, not only the first (`values()` gives only that).
    if "\x00" in request.path or _has_null_character(
        text for pair in request.args.items(multi=True) for text in pair
    ):
        abort(400)
    if request.method == "POST" and _has_null_character(
        text for pair in request.form.items(multi=True) for text in pair
    ):
        abort(400)


def register(app: Flask) -> None:
    """Install the error handlers on `app`."""
    app.before_request(refuse_null_characters)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response | tuple[str, int, list[tuple[str, str]]]:
        if api_errors.is_api_request():
            # An unknown address or method under the API: routing failed before the API's
            # own handlers could be chosen, so hand it to them.
            return api_errors.routing_error(error)
        code = error.code or 500
        page = code if code in ERROR_PAGES else (500 if code >= 500 else 400)
        body, _ = render_error(page)
        # Keep headers such as Allow (405) and Retry-After (429); the body is ours.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return body, code, headers

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> Response | tuple[str, int, list[tuple[str, str]]]:
        # A form whose session has ended fails the CSRF check first (the session's secret
        # went with it): its answers are kept, never saved, for its sender to find again.
        return session_end.after_session_end() or http_error(error)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError) -> tuple[str, int, dict[str, str]]:
        # The database is down, unreachable or locked: say so, and let the next request retry.
        app.logger.error("Database unavailable: %s", error.orig.__class__.__name__)
        _show_as_to_anyone()  # rather than wait for the database again to say who it is for
        body, status = render_error(503)
        return body, status, {"Retry-After": "60"}

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        # Leave the session usable for the next request; nothing half-done is committed.
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(InternalServerError.code)
