"""Signing in and out, and changing one's password."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from .. import accounts
from ..extensions import limiter
from ..forms.auth import ChangePasswordForm, SignInForm
from ..security import local_path

blueprint = Blueprint("auth", __name__)

SIGN_IN_FAILED = "Enter a correct email address and password"


def _email_key() -> str:
    return "sign-in:" + request.form.get("email", "").strip().lower()[:254]


def _failed(response: Response) -> bool:
    return response.status_code != 302


def safe_next(target: str | None) -> str:
    """Only a path on this site, never an address elsewhere (no open redirect); by default
    the signed-in person's dashboard."""
    return local_path(target) or url_for("manage.dashboard")


@blueprint.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
# Repeated failures for one address slow that address down, whether or not it has an account.
@limiter.limit("5 per 15 minutes", key_func=_email_key, methods=["POST"], deduct_when=_failed)
def sign_in() -> str | Response:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        form.email.errors.append(SIGN_IN_FAILED)
    return render_template("auth/sign_in.html", form=form)


@blueprint.post("/sign-out")
def sign_out() -> Response:
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)
    logout_user()
    flash("You have signed out.")
    return redirect(url_for("public.home"))


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
            form.current_password.errors.append(str(error).rstrip("."))
        else:
            login_user(current_user)  # the session id changes with the password
            flash("Your password has been changed.")
            return redirect(url_for("public.home"))
    return render_template("auth/change_password.html", form=form)
