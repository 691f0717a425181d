"""Pages reached from an emailed link (accepting an invitation, resetting a forgotten
password), and the choice of emails about entries on a person's account.

A token in the address makes a page tell the browser not to pass the address on to any
site it links to.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from .. import accounts, one_time_links
from ..accounts import AccountError
from ..extensions import limiter
from ..forms.account import (
    CreateAccountForm,
    ForgotPasswordForm,
    JoinForm,
    ResetPasswordForm,
    WorkflowEmailsForm,
)
from ..languages import current_language
from ..mail import workflow as workflow_emails
from ..models import Invitation

blueprint = Blueprint("account", __name__)

# Per address, so nobody can fill a person's inbox; per network address, so nobody can try
# address after address. Both apply whether or not the address has an account.
RESET_LIMIT_PER_ADDRESS = "3 per 15 minutes;10 per day"
RESET_LIMIT_PER_CLIENT = "10 per 15 minutes"


def _reset_email_key() -> str:
    return "forgot-password:" + request.form.get("email", "").strip().lower()[:254]


@blueprint.after_request
def _keep_tokens_private(response: Response) -> Response:
    if request.view_args and "token" in request.view_args:
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
    return response


def show_problems(form: FlaskForm, error: AccountError, field: str) -> None:
    """Put the domain's complaints on the form's fields; what names no field goes on `field`."""
    problems = error.problems or {field: str(error)}
    for name, message in problems.items():
        target = form[name] if name in form else form[field]
        target.errors = [*target.errors, message.rstrip(".")]


def _link_not_working(error: one_time_links.LinkError, kind: str) -> tuple[str, int]:
    """The same answer for a link used, expired or never sent: a difference would tell
    someone guessing tokens which of theirs had once been real."""
    return render_template("auth/link_not_working.html", kind=kind), 404


# Forgotten passwords -----------------------------------------------------------------------


@blueprint.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT_PER_CLIENT, methods=["POST"])
@limiter.limit(RESET_LIMIT_PER_ADDRESS, key_func=_reset_email_key, methods=["POST"])
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        one_time_links.request_password_reset(form.email.data)
        return redirect(url_for("account.reset_link_sent"))
    return render_template("auth/forgot_password.html", form=form)


@blueprint.get("/forgot-password/sent")
def reset_link_sent() -> str:
    return render_template("auth/reset_link_sent.html")


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> str | Response | tuple[str, int]:
    try:
        one_time_links.find_password_reset(token)
    except one_time_links.LinkError as error:
        return _link_not_working(error, "reset")
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            one_time_links.reset_password(token, form.new_password.data)
        except one_time_links.LinkError as error:
            return _link_not_working(error, "reset")
        except AccountError as error:
            show_problems(form, error, "new_password")
        else:
            return redirect(url_for("account.password_reset_done"))
    return render_template("auth/reset_password.html", form=form)


@blueprint.get("/reset-password/done")
def password_reset_done() -> str:
    return render_template("auth/password_reset_done.html")


# Invitations -------------------------------------------------------------------------------


@blueprint.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> str | Response | tuple[str, int]:
    try:
        invitation = one_time_links.find_invitation(token)
    except one_time_links.LinkError as error:
        return _link_not_working(error, "invitation")
    account = one_time_links.account_for(invitation)
    signed_in = current_user.is_authenticated
    # Whoever is signed in must be the person invited; nobody accepts for someone else.
    if signed_in and (account is None or current_user.id != account.id):
        return render_template("auth/invitation_wrong_account.html", invitation=invitation)
    if account is None:
        return _create_account(token, invitation)
    if not signed_in:
        return render_template("auth/invitation_sign_in.html", invitation=invitation)
    form = JoinForm()
    if form.validate_on_submit():
        try:
            one_time_links.accept_as_member(token, current_user)
        except one_time_links.LinkError as error:
            return _link_not_working(error, "invitation")
        accounts.keep_language(current_user._get_current_object(), current_language())
        return redirect(url_for("manage.dashboard"))
    return render_template("auth/invitation_join.html", invitation=invitation, form=form)


def _create_account(token: str, invitation: Invitation) -> str | Response | tuple[str, int]:
    form = CreateAccountForm()
    if form.validate_on_submit():
        try:
            user = one_time_links.accept_as_new_person(
                token, form.name.data, form.new_password.data
            )
        except one_time_links.LinkError as error:
            return _link_not_working(error, "invitation")
        except AccountError as error:
            show_problems(form, error, "name")
        else:
            login_user(user)
            return redirect(url_for("manage.dashboard"))
    return render_template("auth/invitation_create_account.html", invitation=invitation, form=form)


# Emails about entries ----------------------------------------------------------------------


@blueprint.route("/account/emails", methods=["GET", "POST"])
@login_required
def emails() -> str | Response:
    form = WorkflowEmailsForm()
    if form.validate_on_submit():
        workflow_emails.choose(current_user, form.kinds.data or [])
        flash(gettext("Your choice of emails has been saved."), "success")
        return redirect(url_for("account.emails"))
    if not form.is_submitted():
        off = workflow_emails.turned_off(current_user)
        form.kinds.data = [kind for kind in workflow_emails.KINDS if kind not in off]
    return render_template("auth/emails.html", form=form)
