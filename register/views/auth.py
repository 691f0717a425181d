"""Signing in and out, and changing one's password."""

from __future__ import annotations

import hashlib
import math
import time

from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user, user_logged_in
from limits import parse
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from .. import accounts, provider_accounts, second_factor, security_events, sign_in_providers
from ..extensions import db, limiter
from ..formatting import N_
from ..forms.auth import ChangePasswordForm, SignInForm
from ..languages import current_language
from ..models import SignInProvider, User
from ..security import allow_forms_to_lead_to, limit_from, local_path
from . import provider_client, session_end
from .account import show_problems
from .errors import render_error

blueprint = Blueprint("auth", __name__)

SIGN_IN_FAILED = N_("Enter a correct email address and password")


@user_logged_in.connect
def _keep_language(_app: object, user: User, **_extra: object) -> None:
    """Whoever signs in (a password, a code, a provider, an invitation) gets their emails in
    the language of the page they signed in on: for a provider, the page they left from,
    since every provider comes back to the one English address."""
    accounts.keep_language(user, session.pop(provider_client.LANGUAGE, None) or current_language())


# A refused client is noted in the security log once a minute at most, so that a flood of
# refused requests cannot flood the log too.
NOTE_REFUSALS = parse("1 per minute")


def _typed_email() -> str:
    typed = request.form.get("email", "")[:254]
    try:
        return accounts.normalise_email(typed)
    except accounts.AccountError:
        return typed.strip().lower()


def _this_address_from_this_client() -> str:
    # Hashed, so neither the limiter's store nor its log lines hold email addresses.
    address = hashlib.sha256(_typed_email().encode()).hexdigest()[:32]
    return f"sign-in:{address}:{get_remote_address()}"


def _failures_from_this_client() -> str:
    return f"sign-in-failures:{get_remote_address()}"


def _failed(response: Response) -> bool:
    return response.status_code != 302


def safe_next(target: str | None) -> str:
    """Only a path on this site, never an address elsewhere (no open redirect); by default
    the form whose answers were kept when the person's session ended, else their dashboard."""
    return local_path(target) or session_end.kept_form_to_return_to() or url_for("manage.dashboard")


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(
    limit_from("SIGN_IN_RATE_LIMIT"),
    methods=["POST"],
    error_message="Too many sign-in attempts from this client address",
)
# Failures slow down the client that makes them, never the owner of the address it tries
# (docs/security.md says why): per address from one client, whether or not the address has
# an account, and per client across every address it tries.
@limiter.limit(
    limit_from("SIGN_IN_FAILURE_LIMIT"),
    key_func=_this_address_from_this_client,
    methods=["POST"],
    deduct_when=_failed,
    error_message="Too many failed sign-ins for this address from this client address",
)
@limiter.limit(
    limit_from("SIGN_IN_CLIENT_FAILURE_LIMIT"),
    key_func=_failures_from_this_client,
    methods=["POST"],
    deduct_when=_failed,
    error_message="Too many failed sign-ins from this client address, for any address",
)
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    # The form leads on to an organisation's provider when its password is left empty.
    allow_forms_to_lead_to(sign_in_providers.authorization_origins())
    if form.validate_on_submit():
        # A provider's sign-out left over from an earlier session is not this person's.
        session.pop(provider_client.SIGN_OUT, None)
        provider = sign_in_providers.provider_for_email(_typed_email())
        if not form.password.data:
            if provider is None:
                form.password.errors.append(gettext("Enter your password"))
                return render_template("auth/sign_in.html", form=form)
            return _to_provider(provider, _typed_email())
        if provider is not None and provider.provider_only:
            form.password.errors.append(_provider_only(provider))
            return render_template("auth/sign_in.html", form=form)
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            # Signing in with a password here: a provider's sign-in left unfinished has no say.
            session.pop(provider_client.LANGUAGE, None)
        if user is not None and second_factor.has_second_factor(user):
            # Not signed in yet: the session only remembers whose code to ask for.
            session[second_factor.PENDING] = second_factor.awaiting_code(user)
            next_path = local_path(request.args.get("next"))
            return redirect(url_for("second_factor.enter_code", next=next_path))
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        form.email.errors.append(gettext(SIGN_IN_FAILED))
    elif form.is_submitted() and not form.password.data:
        # The address is missing or wrong too: the password is asked for as well.
        form.password.errors.append(gettext("Enter your password"))
    return render_template("auth/sign_in.html", form=form)


def _provider_only(provider: SignInProvider) -> str:
    """Refuse a password from someone whose organisation signs in through its provider
    only: written to the security log, and the message says what to do instead."""
    security_events.record(
        "sign_in_failed", email=_typed_email(), detail="Provider only: password refused"
    )
    db.session.commit()
    if provider.organisation is None:
        return gettext(
            "Your organisation signs in with its own accounts: leave the password empty and "
            "select Sign in"
        )
    return gettext(
        "%(name)s signs in with its own accounts: leave the password empty and select Sign in",
        name=provider.organisation.name,
    )


def _to_provider(provider: SignInProvider, email: str) -> Response | tuple[str, int]:
    try:
        return provider_client.redirect_to_provider(
            provider, email, local_path(request.args.get("next"))
        )
    except provider_accounts.SignInRefused as refusal:
        return _could_not_sign_in(refusal)


def _could_not_sign_in(refusal: provider_accounts.SignInRefused) -> tuple[str, int]:
    # The refusals' messages are marked for the catalogue where they are written.
    message = gettext(refusal.message)
    return render_template("auth/provider_problem.html", message=message), refusal.status


@blueprint.get("/sign-in/callback")
@limiter.limit(limit_from("SIGN_IN_RATE_LIMIT"))
def provider_callback() -> Response | tuple[str, int]:
    """Where the organisation's provider sends the person back: Authlib checks its answer,
    then the register finds (or links) the person, and asks its own second factor unless
    the organisation trusts the provider's and the provider used one."""
    flow = session.pop(provider_client.FLOW, None)
    if current_user.is_authenticated:
        return redirect(url_for("manage.dashboard"))
    try:
        answer = provider_client.finish(flow)
        user = provider_accounts.person_for(answer.provider, answer.claims)
    except provider_accounts.SignInRefused as refusal:
        return _could_not_sign_in(refusal)
    next_path = local_path(flow.get("next")) if isinstance(flow, dict) else None
    code_next = second_factor.has_second_factor(user) and provider_accounts.asks_own_second_factor(
        answer.provider, answer.claims
    )
    provider_accounts.note_signed_in(user, answer.provider, code_next=code_next)
    provider_client.remember_for_sign_out(answer)
    if code_next:
        session[second_factor.PENDING] = second_factor.awaiting_code(user)
        return redirect(url_for("second_factor.enter_code", next=next_path))
    login_user(user)
    return redirect(safe_next(next_path))


@blueprint.before_app_request
def _sign_out_may_lead_to_provider() -> None:
    kept = session.get(provider_client.SIGN_OUT)
    if isinstance(kept, dict) and isinstance(kept.get("endpoint"), str):
        allow_forms_to_lead_to([sign_in_providers.origin_of(kept["endpoint"])])


@blueprint.errorhandler(429)
def _too_many_attempts(error: HTTPException) -> tuple[str, int]:
    if request.endpoint != "auth.sign_in":
        return render_error(429)
    if limiter.limiter.hit(NOTE_REFUSALS, "sign-in-refused", get_remote_address()):
        accounts.note_sign_in_refused(request.form.get("email", ""), error.description or "")
    refused = limiter.current_limit
    # reset_at is rounded up to the next whole second.
    wait = refused.reset_at - 1 - time.time() if refused is not None else 60
    minutes = max(1, math.ceil(wait / 60))
    return render_template("auth/sign_in_refused.html", minutes=minutes), 429


@blueprint.post("/sign-out")
def sign_out() -> Response:
    # Signed in through a provider that offers it: sign out there too.
    at_provider = provider_client.sign_out_address(session.pop(provider_client.SIGN_OUT, None))
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)
    logout_user()
    flash(gettext("You have signed out."))
    return redirect(at_provider or url_for("public.home"))


@blueprint.post("/stay-signed-in")
def stay_signed_in() -> Response | tuple[Response, int]:
    """Keep the session going: this request itself renews it. The warning dialog asks for
    JSON (the session's new end); the form without JavaScript goes back to its page."""
    wants_json = request.accept_mimetypes.best == "application/json"
    page = local_path(request.form.get("next")) or url_for("manage.dashboard")
    if not current_user.is_authenticated:
        if wants_json:
            return jsonify(session_end.stay_signed_in_answer()), 401
        return redirect(url_for("auth.sign_in", next=page))
    session.modified = True
    if wants_json:
        return jsonify(session_end.stay_signed_in_answer())
    flash(gettext("You are still signed in."))
    return redirect(page)


@blueprint.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password() -> str | Response:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, form.current_password.data, form.new_password.data
            )
        except accounts.AccountError as error:
            show_problems(form, error, "current_password")
        else:
            # The session id changes with the password. The person, not the proxy: signing in
            # with `current_user` itself would make it stand for itself.
            login_user(current_user._get_current_object())
            flash(gettext("Your password has been changed."))
            return redirect(url_for("public.home"))
    return render_template("auth/change_password.html", form=form)
