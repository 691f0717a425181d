"""The second factor's pages: the code step of signing in, and setting up, renewing and
turning off one's own second factor under /account.

After a correct password, a person with a second factor is not signed in: the session only
remembers who is expected (for a few minutes) until a correct code or recovery code.
A person who must have a second factor and has none is kept to these pages until they set
one up.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required, login_user
from werkzeug.wrappers import Response

from .. import second_factor
from ..extensions import limiter
from ..formatting import N_, day
from ..forms.admin import ConfirmForm
from ..forms.second_factor import CodeForm, RecoveryCodeForm, TurnOffForm
from ..models import User
from ..security import local_path, per_person
from .auth import safe_next

blueprint = Blueprint("second_factor", __name__)

PENDING = second_factor.PENDING
SETUP_KEY = "second_factor_setup"  # the session key for a secret not yet confirmed
NEW_RECOVERY_CODES = "second_factor_recovery_codes"
# Wrong codes (from the app or recovery codes) per person waiting to sign in: with a million
# codes and three accepted at a time, guessing would take years.
CODE_ATTEMPTS = "5 per 15 minutes"
WRONG_CODE = N_("The code is not correct. Enter the code your authenticator app shows now")
WRONG_RECOVERY_CODE = N_("That recovery code is not correct, or it has been used already")


def _next() -> str | None:
    return local_path(request.args.get("next"))


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _person_signing_in() -> str:
    pending = session.get(PENDING)
    user = pending.get("user") if isinstance(pending, dict) else None
    if isinstance(user, str):
        return "second-factor:" + user.partition(":")[0]
    return "second-factor-client:" + (request.remote_addr or "")


# One allowance for app codes and recovery codes together, counted only when one is wrong.
code_attempts = limiter.shared_limit(
    CODE_ATTEMPTS,
    scope="second-factor",
    key_func=_person_signing_in,
    methods=["POST"],
    deduct_when=_failed,
)


@blueprint.before_app_request
def _set_up_first() -> Response | None:
    """Keep a person who must have a second factor, and has none, to the pages that set
    one up until they have."""
    if (
        request.blueprint not in ("manage", "admin")
        or not current_user.is_authenticated
        or not second_factor.needs_setting_up(current_user)
    ):
        return None
    # The script root keeps the page's language prefix and any path the register is served under.
    path = request.script_root + request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("second_factor.set_up", next=local_path(path)))


# Signing in: the code step -----------------------------------------------------------------


def _sign_in_step(
    form: CodeForm | RecoveryCodeForm,
    check: Callable[[User, str], bool],
    wrong: str,
    template: str,
    how: str,
) -> str | Response:
    """The code step of signing in, with an app code or a recovery code: only a correct
    one, from the person whose password was right a few minutes ago, signs them in."""
    if current_user.is_authenticated:
        return redirect(safe_next(_next()))
    user = second_factor.person_awaiting_code(session.get(PENDING))
    if user is None:
        session.pop(PENDING, None)
        if request.method == "POST":
            flash(gettext("You took too long to enter the code. Sign in again."))
        return redirect(url_for("auth.sign_in", next=_next()))
    if form.validate_on_submit():
        if check(user, form.code.data):
            session.pop(PENDING, None)
            second_factor.note_signed_in(user, how)
            login_user(user)
            return redirect(safe_next(_next()))
        form.code.errors.append(wrong)
    return render_template(template, form=form)


@blueprint.route("/sign-in/code", methods=["GET", "POST"])
@code_attempts
def enter_code() -> str | Response:
    return _sign_in_step(
        CodeForm(),
        second_factor.check_code,
        gettext(WRONG_CODE),
        "second_factor/enter_code.html",
        "a code from an authenticator app",
    )


@blueprint.route("/sign-in/recovery-code", methods=["GET", "POST"])
@code_attempts
def recovery_code() -> str | Response:
    return _sign_in_step(
        RecoveryCodeForm(),
        _use_recovery_code,
        gettext(WRONG_RECOVERY_CODE),
        "second_factor/recovery_code.html",
        "a recovery code",
    )


def _use_recovery_code(user: User, code: str) -> bool:
    if not second_factor.use_recovery_code(user, code):
        return False
    left = second_factor.recovery_codes_left(user)
    if left <= 3:
        flash(
            ngettext(
                "You have %(num)d recovery code left. Make new ones from your account’s "
                "second factor page.",
                "You have %(num)d recovery codes left. Make new ones from your account’s "
                "second factor page.",
                left,
            )
        )
    return True


# One's own second factor -------------------------------------------------------------------


@blueprint.get("/account/second-factor")
@login_required
def overview() -> str:
    has_one = second_factor.has_second_factor(current_user)
    return render_template(
        "second_factor/overview.html",
        has_second_factor=has_one,
        required=second_factor.is_required_for(current_user),
        codes_left=second_factor.recovery_codes_left(current_user) if has_one else 0,
        enabled_on=day(current_user.totp_enabled_at) if has_one else "",
        form=ConfirmForm(),
    )


@blueprint.route("/account/second-factor/set-up", methods=["GET", "POST"])
@login_required
def set_up() -> str | Response:
    if second_factor.has_second_factor(current_user):
        return render_template("second_factor/already_set_up.html")
    # Kept in the session (encrypted) until confirmed, so reloading shows the same QR code.
    secret = second_factor.unseal(session.get(SETUP_KEY))
    if secret is None:
        secret = second_factor.new_secret()
        session[SETUP_KEY] = second_factor.seal(secret)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            codes = second_factor.turn_on(current_user, secret, form.code.data)
        except second_factor.SecondFactorError as error:
            form.code.errors.append(str(error))
        else:
            session.pop(SETUP_KEY, None)
            return _show_recovery_codes(codes)
    address = second_factor.setup_address(
        secret, current_user.email, current_app.config["REGISTER_NAME"]
    )
    return render_template(
        "second_factor/set_up.html",
        form=form,
        qr_code=second_factor.qr_code(address),
        secret=second_factor.in_groups(secret),
        required=second_factor.is_required_for(current_user),
    )


def _show_recovery_codes(codes: list[str]) -> Response:
    session[NEW_RECOVERY_CODES] = second_factor.seal(" ".join(codes))
    return redirect(url_for("second_factor.new_recovery_codes", next=_next()))


@blueprint.get("/account/second-factor/recovery-codes")
@login_required
def new_recovery_codes() -> str:
    # Shown once: the codes leave the session as they are shown.
    codes = second_factor.unseal(session.pop(NEW_RECOVERY_CODES, None))
    return render_template(
        "second_factor/recovery_codes.html",
        codes=codes.split() if codes else [],
        onward=_next(),
    )


@blueprint.post("/account/second-factor/recovery-codes")
@login_required
def renew_recovery_codes() -> Response:
    form = ConfirmForm()
    if form.validate_on_submit() and second_factor.has_second_factor(current_user):
        return _show_recovery_codes(second_factor.renew_recovery_codes(current_user))
    return redirect(url_for("second_factor.overview"))


@blueprint.route("/account/second-factor/turn-off", methods=["GET", "POST"])
@limiter.limit(CODE_ATTEMPTS, key_func=per_person, methods=["POST"], deduct_when=_failed)
@login_required
def turn_off() -> str | Response:
    form = TurnOffForm()
    required = second_factor.is_required_for(current_user)
    has_one = second_factor.has_second_factor(current_user)
    # The domain refuses while one is required; the page then offers no form at all.
    if has_one and form.validate_on_submit():
        try:
            second_factor.turn_off(current_user, form.confirmation.data)
        except second_factor.SecondFactorError as error:
            form.confirmation.errors.append(str(error))
        else:
            flash(
                gettext("Your second factor is turned off. You sign in with your password alone."),
                "success",
            )
            return redirect(url_for("second_factor.overview"))
    return render_template(
        "second_factor/turn_off.html", form=form, required=required, has_second_factor=has_one
    )
