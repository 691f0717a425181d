"""Email alerts about a search, for anyone without an account: ask, confirm, leave.

Readers get no cookie, so the forms here carry a signed token of their own (as the
feedback forms do) and refuse posts another site's page sends. The one exception is the
one-click unsubscribe of RFC 8058: a mail program posts `List-Unsubscribe=One-Click` to
the address in an alert's List-Unsubscribe header, with no cookie and no token; the
address's own signed token is the permission, and all it can do is delete that one
subscription. Fetching that address only shows a button, so a link scanner that fetches
every link in an email unsubscribes nobody.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from .. import alerts
from ..extensions import csrf, limiter
from ..formatting import N_
from ..forms.alerts import LinkForm, SubscribeForm
from ..forms.entry import show_problems
from .feedback import _from_this_site as from_this_site
from .manage import error_summary

blueprint = Blueprint("alerts", __name__, url_prefix="/alerts")

FORM_SALT = "alert-form"
FORM_MAX_AGE = 24 * 60 * 60
ONE_CLICK = "One-Click"
EXPIRED_FORM = N_("This page was open for a long time, so nothing was sent. Send it again.")


def _per_address() -> str:
    return current_app.config["ALERTS_RATE_LIMIT"]


def _form_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=FORM_SALT)


def _form_token(subject: str) -> str:
    """The token a form about `subject` (a search, or a link's token) carries."""
    return _form_serializer().dumps(subject)


def _form_is_genuine(subject: str) -> bool:
    """Whether the posted form came from this site's page about `subject`, not long ago."""
    if not from_this_site():
        return False
    try:
        return (
            _form_serializer().loads(request.form.get("csrf_token", ""), max_age=FORM_MAX_AGE)
            == subject
        )
    except BadSignature:
        return False


def _page(template: str, **context: object) -> str:
    """A page of this blueprint, with the words its templates share."""
    return render_template(
        template,
        frequency_words={code: gettext(words) for code, words in alerts.FREQUENCY_WORDS.items()},
        confirmation_days=alerts.CONFIRMATION_LIFETIME.days,
        **context,
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _followed(args) -> alerts.FollowedSearch:
    try:
        return alerts.followed(args)
    except alerts.SearchTooLong:
        abort(400)


@blueprint.route("/subscribe", methods=["GET", "POST"])
@limiter.limit(_per_address, methods=["POST"])
@csrf.exempt
def subscribe() -> str | Response:
    """Ask for emails about the search in the address (or the form)."""
    if request.method == "GET":
        search = _followed(request.args)
        form = SubscribeForm(formdata=None)
    else:
        search = _followed(request.form.get("search", ""))
        if not _form_is_genuine(search.params):
            abort(400)
        form = SubscribeForm()
        try:
            alerts.subscribe(form.email.data or "", form.frequency.data or "", search, _now())
        except alerts.SubscribeError as refused:
            show_problems(form, refused.problems)
        else:
            return redirect(url_for("alerts.check_email"), 303)
    form.search.data = search.params
    form.csrf_token.data = _form_token(search.params)
    return _page("alerts/subscribe.html", form=form, search=search, problems=error_summary(form))


@blueprint.get("/check-your-email")
def check_email() -> str:
    return _page("alerts/check_email.html")


def _link_not_working(kind: str) -> tuple[str, int]:
    return _page("alerts/link_not_working.html", kind=kind), 404


@blueprint.route("/confirm/<token>", methods=["GET", "POST"])
@csrf.exempt
def confirm(token: str) -> str | Response | tuple[str, int]:
    """A confirmation link shows a button; pressing it confirms (a scanner only fetches)."""
    try:
        subscription, frequency = alerts.confirmation_for(token, _now())
    except alerts.LinkProblem as problem:
        return _link_not_working(problem.kind)
    if request.method == "POST":
        if not _form_is_genuine(token):
            abort(400)
        subscription = alerts.confirm(token, _now())
        return _page(
            "alerts/confirmed.html",
            search=alerts.followed(subscription.search),
            frequency=subscription.frequency,
            unsubscribe=alerts.unsubscribe_link(subscription),
        )
    form = LinkForm(formdata=None)
    form.csrf_token.data = _form_token(token)
    return _page(
        "alerts/confirm.html",
        form=form,
        token=token,
        search=alerts.followed(subscription.search),
        frequency=frequency,
    )


@blueprint.get("/unsubscribe/<token>")
def unsubscribe(token: str) -> str | tuple[str, int]:
    """The page an alert's unsubscribe link opens: a button, so fetching changes nothing."""
    try:
        subscription = alerts.unsubscribing(token)
    except alerts.LinkProblem as problem:
        return _link_not_working(problem.kind)
    if subscription is None:
        return _page("alerts/unsubscribed.html")
    form = LinkForm(formdata=None)
    form.csrf_token.data = _form_token(token)
    return _page(
        "alerts/unsubscribe.html",
        form=form,
        token=token,
        search=alerts.followed(subscription.search),
        frequency=subscription.frequency,
    )


@blueprint.post("/unsubscribe/<token>")
@csrf.exempt
def one_click_unsubscribe(token: str) -> str:
    """RFC 8058's one-click unsubscribe, posted by a mail program: no cookie, no token."""
    try:
        alerts.unsubscribing(token)
    except alerts.LinkProblem:
        abort(404)
    if request.form.get("List-Unsubscribe") != ONE_CLICK:
        abort(400)
    alerts.unsubscribe(token)
    return _page("alerts/unsubscribed.html")


@blueprint.post("/unsubscribe/<token>/confirm")
@csrf.exempt
def unsubscribe_button(token: str) -> Response | tuple[str, int]:
    """The button on the unsubscribe page."""
    try:
        alerts.unsubscribing(token)
    except alerts.LinkProblem as problem:
        return _link_not_working(problem.kind)
    if not _form_is_genuine(token):
        abort(400)
    alerts.unsubscribe(token)
    return redirect(url_for("alerts.unsubscribed"), 303)


@blueprint.get("/unsubscribed")
def unsubscribed() -> str:
    return _page("alerts/unsubscribed.html")
