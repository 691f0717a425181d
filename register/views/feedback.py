"""Feedback from the public on an entry page: "Was this entry useful?" and reporting a problem.

Readers of the register get no cookie, so these forms cannot use Flask-WTF's CSRF token
(kept in the session cookie). Each form carries a token of its own instead, signed with the
app's secret key, naming the entry and the version shown and expiring after a day; a post
whose token, entry or version does not match is refused (400) and stores nothing. A post
another site's page makes the browser send is refused too, by the `Sec-Fetch-Site` and
`Origin` headers browsers add. Sending is rate-limited per client address and per entry,
and a field people never see catches robots that fill in every field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.wrappers import Response

from .. import feedback, mail, published
from ..addresses import absolute_url
from ..extensions import csrf, db, limiter
from ..formatting import N_
from ..forms.entry import show_problems
from ..forms.feedback import ReportProblemForm
from ..languages import in_page_language
from ..models import Entry, EntryVersion, Feedback
from ..publishing import InvalidValues, WorkflowError
from . import entry_display as display
from .manage import error_summary

blueprint = Blueprint("feedback", __name__)
# The forms carry their own token (see the module's docstring).
csrf.exempt(blueprint)

TOKEN_MAX_AGE = 24 * 60 * 60
TOKEN_STAMP = 60 * 60
# Keeps these tokens apart from anything else signed with the secret key.
FORM_SALT = "entry-feedback"
EXPIRED = N_("This page was open for a long time, so your report was not sent. Send it again.")


def _per_address() -> str:
    return current_app.config["FEEDBACK_RATE_LIMIT"]


def _per_entry() -> str:
    return current_app.config["FEEDBACK_ENTRY_RATE_LIMIT"]


def _entry_key() -> str:
    return "feedback-entry:" + str((request.view_args or {}).get("reference", "")).upper()[:40]


# Both forms share one allowance per address, and one per entry.
limit_per_address = limiter.shared_limit(_per_address, scope="feedback", methods=["POST"])
limit_per_entry = limiter.shared_limit(
    _per_entry, scope="feedback-entry", key_func=_entry_key, methods=["POST"]
)


# The token ----------------------------------------------------------------------------


class _HourStamp(TimestampSigner):
    """Stamps a token with the hour it was made in rather than the second, so an entry
    page's bytes, and so its ETag, stay the same for the hour (see `page_validators`). A
    token then lives from 23 to 24 hours."""

    def get_timestamp(self) -> int:
        return super().get_timestamp() // TOKEN_STAMP * TOKEN_STAMP


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=FORM_SALT, signer=_HourStamp)


def form_token(entry: Entry, version: EntryVersion) -> str:
    """The token a feedback form about `version` of `entry` carries."""
    return _serializer().dumps([entry.id, version.id])


def _token_matches(token: str, entry: Entry, version: EntryVersion) -> bool:
    """Whether `token` was made for this entry and version; False if it is forged or for
    another. `SignatureExpired` if it is genuine but too old."""
    try:
        found = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except SignatureExpired:
        raise
    except BadSignature:
        return False
    return found == [entry.id, version.id]


def _from_this_site() -> bool:
    """False when the browser says another site's page sent the form. Browsers send
    `Origin: null` here (the register's referrer policy is no-referrer), so `Sec-Fetch-Site`
    decides; an `Origin` naming another host is refused too."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "cross-site":
        return False
    origin = request.headers.get("Origin", "null")
    return origin == "null" or urlsplit(origin).netloc == request.host


# What an entry page shows ----------------------------------------------------------------


@dataclass(frozen=True)
class EntryFeedback:
    """What templates/entries/_feedback.html needs: the forms' token, and the responses."""

    token: str
    responses: list[feedback.PublicResponse]


def entry_feedback(entry: Entry, version: EntryVersion) -> EntryFeedback:
    """What the end of the page showing `version` of `entry` needs."""
    return EntryFeedback(form_token(entry, version), feedback.public_responses(entry))


# Finding what the feedback is about ----------------------------------------------------


def _public_entry(reference: str) -> Entry:
    entry = published.find_entry(reference)
    if entry is None or entry.reference != reference or not published.is_public(entry):
        abort(404)
    return entry


def _version(entry: Entry, number: object) -> EntryVersion | None:
    """The published version `number` (as sent in a form or address) of `entry`."""
    text = str(number or "")
    if not text.isdigit() or len(text) > 6:
        return None
    return db.session.scalar(
        select(EntryVersion).where(
            EntryVersion.entry_id == entry.id, EntryVersion.number == int(text)
        )
    )


def _posted_about(entry: Entry) -> EntryVersion:
    """The version a posted form is about, if its hidden fields and token agree with the
    address; anything else is a tampered or broken form (400)."""
    if not _from_this_site():
        abort(400)
    if request.form.get("entry") != entry.reference:
        abort(400)
    version = _version(entry, request.form.get("version"))
    if version is None:
        abort(400)
    try:
        matches = _token_matches(request.form.get("csrf_token", ""), entry, version)
    except SignatureExpired:
        g.feedback_token_expired = True
        return version
    if not matches:
        abort(400)
    return version


def _caught_by_trap() -> bool:
    return bool(request.form.get("website", "").strip())


def _thanks(entry: Entry, version: EntryVersion, answer: str) -> Response:
    return redirect(
        url_for(
            "feedback.thanks", reference=entry.reference, version=version.number, answer=answer
        ),
        303,
    )


# The pages -----------------------------------------------------------------------------


@blueprint.post("/entries/<reference>/feedback")
@limit_per_address
@limit_per_entry
def useful(reference: str) -> Response:
    """One click on "Yes" or "No" under "Was this entry useful?"."""
    entry = _public_entry(reference)
    version = _posted_about(entry)
    answer = request.form.get("useful")
    if answer not in ("yes", "no") or g.get("feedback_token_expired"):
        abort(400)
    if not _caught_by_trap():
        try:
            feedback.record_vote(entry, version, answer == "yes")
        except WorkflowError:
            abort(400)
    return _thanks(entry, version, answer)


@blueprint.route("/entries/<reference>/report-a-problem", methods=["GET", "POST"])
@limit_per_address
@limit_per_entry
def report(reference: str) -> str | Response:
    """Report a problem with the version of the entry that was shown."""
    entry = _public_entry(reference)
    if request.method == "GET":
        version = _version(entry, request.args.get("version")) or published.current_version(entry)
        if version is None:
            abort(404)
        form = ReportProblemForm(formdata=None)
    else:
        version = _posted_about(entry)
        form = ReportProblemForm()
        if g.get("feedback_token_expired"):
            form.form_errors.append(gettext(EXPIRED))
        elif _caught_by_trap():
            return _thanks(entry, version, "problem")
        else:
            try:
                feedback.report_problem(
                    entry,
                    version,
                    form.text.data,
                    form.email.data,
                    tell=lambda item: _tell_publishers(item, version),
                )
            except InvalidValues as refused:
                show_problems(form, refused.problems)
            except WorkflowError:
                abort(400)
            else:
                return _thanks(entry, version, "problem")
    form.entry.data = entry.reference
    form.version.data = str(version.number)
    form.csrf_token.data = form_token(entry, version)
    form.website.data = ""
    return render_template(
        "feedback/report.html",
        entry=entry,
        version=version,
        form=form,
        problems=error_summary(form),
        **display.page_links(),
    )


def _tell_publishers(item: Feedback, version: EntryVersion) -> None:
    """Queue an email to each of the organisation's publishers, in their language, about a
    reported problem (committed with it)."""
    for address, language in feedback.publishers_to_email(item.organisation_id):
        mail.send(address, language, partial(_report_email, item, version))


def _report_email(item: Feedback, version: EntryVersion) -> tuple[str, str]:
    title = in_page_language(version.title or item.entry.reference, version.title_cy)
    link = absolute_url("manage.feedback_item", feedback_id=item.id)
    subject, body = feedback.report_email(item, title, link)
    return subject, mail.signed_off([body])


@blueprint.get("/entries/<reference>/feedback/thanks")
def thanks(reference: str) -> str:
    entry = _public_entry(reference)
    version = _version(entry, request.args.get("version")) or published.current_version(entry)
    if version is None:
        abort(404)
    return render_template(
        "feedback/thanks.html",
        entry=entry,
        version=version,
        answer=request.args.get("answer", ""),
        **display.page_links(),
    )
