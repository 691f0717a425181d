"""The second factor: time-based one-time passwords (RFC 6238) from an authenticator app,
single-use recovery codes, and who must have one.

The shared secret is kept encrypted with a key derived from SECRET_KEY, so a copy of the
database alone does not give away anyone's codes; recovery codes are kept only as hashes.
Each time step may be used once, so a code seen over someone's shoulder cannot be used
again. Functions take plain arguments and commit the change they make, with its security
event (and audit line, for an administrator's change) in the same transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from datetime import UTC, datetime

import pyotp
import segno
from flask_babel import gettext
from sqlalchemy import delete, func, or_, select, update
from werkzeug.security import check_password_hash

from . import sealing, security_events
from .audit import record_event
from .extensions import db
from .models import RecoveryCode, RegisterSetting, User
from .schema.vocabularies import Choice, Vocabulary

# Who must sign in with a second factor, register-wide (a RegisterSetting).
REQUIRED_SETTING = "second_factor_required"
PUBLISHERS_AND_ADMINISTRATORS = "publishers_and_administrators"
NOBODY = "none"
REQUIREMENT = Vocabulary(
    name=REQUIRED_SETTING,
    label="Who must sign in with a second factor",
    choices=(
        Choice(
            PUBLISHERS_AND_ADMINISTRATORS,
            "Every publisher and administrator",
            "They set one up the next time they sign in.",
        ),
        Choice(
            NOBODY,
            "Only publishers of organisations that require it",
            "Each organisation’s page says whether it requires one. Anyone may set one up.",
        ),
    ),
)

RECOVERY_CODES = 10
# No 0/o, 1/l/i: the codes are read off paper and typed in.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
# A code from the step before or after the current one is accepted too, for clocks a little
# out and for people who type slowly.
CLOCK_DRIFT_STEPS = 1
# The shared secret's key is derived from SECRET_KEY for this purpose alone.
SEALING_PURPOSE = "second factor"


class SecondFactorError(ValueError):
    """A change that cannot be made; the message says why, fit to show the person."""


# Keeping the secret ----------------------------------------------------------------------


def seal(text: str) -> str:
    """`text` encrypted and authenticated, for the database or a session cookie."""
    return sealing.seal(text, SEALING_PURPOSE)


def unseal(token: str | None) -> str | None:
    """What `seal` was given, or None if `token` was not sealed with this SECRET_KEY."""
    return sealing.unseal(token, SEALING_PURPOSE)


def new_secret() -> str:
    """A new random shared secret (160 bits, base32), not yet anyone's."""
    return pyotp.random_base32()


def secret_of(user: User) -> str | None:
    """`user`'s shared secret, decrypted, if they have one."""
    return unseal(user.totp_secret)


def has_second_factor(user: User) -> bool:
    """Whether `user` signs in with a code as well as their password."""
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def setup_address(secret: str, email: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def qr_code(address: str) -> str:
    """The QR code for `address` as an SVG data: address, for an <img> (no inline style)."""
    return segno.make(address, error="m").svg_data_uri(scale=5, border=4)


def in_groups(secret: str, size: int = 4) -> str:
    """The secret in groups of `size` characters, for typing in by hand."""
    return " ".join(secret[start : start + size] for start in range(0, len(secret), size))


# Codes -------------------------------------------------------------------------------------


def _digits(code: str) -> str | None:
    typed = re.sub(r"[\s-]", "", code or "")
    return typed if re.fullmatch(r"\d{6}", typed) else None


def matching_step(
    secret: str, code: str, *, after: int | None = None, at: datetime | None = None
) -> int | None:
    """The time step whose code `code` is, within the allowed clock drift and later than
    step `after`; None if it is none of them."""
    typed = _digits(code)
    if typed is None:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(at or datetime.now(UTC))
    for step in range(current - CLOCK_DRIFT_STEPS, current + CLOCK_DRIFT_STEPS + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record `step` as used, unless it (or a later one) was used already: one conditional
    update, so two requests with the same code cannot both succeed."""
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return result.rowcount == 1


def check_code(user: User, code: str, *, at: datetime | None = None) -> bool:
    """Whether `code` is `user`'s current code, not used before; a wrong code is recorded
    in the security log. Commits."""
    secret = secret_of(user) if has_second_factor(user) else None
    step = matching_step(secret, code, after=user.totp_last_step, at=at) if secret else None
    if step is not None and _claim_step(user, step):
        db.session.commit()
        return True
    security_events.record("second_factor_failed", user=user)
    db.session.commit()
    return False


def turn_on(user: User, secret: str, code: str) -> list[str]:
    """Give `user` the second factor `secret`, once `code` shows their app has it; returns
    their new recovery codes, which are shown once and never kept. Commits."""
    if has_second_factor(user):
        raise SecondFactorError(gettext("You already have a second factor."))
    step = matching_step(secret, code)
    if step is None:
        raise SecondFactorError(
            "The code is not correct. Enter the 6-digit code your app shows now"
        )
    user.totp_secret = seal(secret)
    user.totp_enabled_at = datetime.now(UTC)
    user.totp_last_step = step
    codes = _replace_recovery_codes(user)
    security_events.record("second_factor_added", user=user)
    db.session.commit()
    return codes


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def turn_off(user: User, confirmation: str) -> None:
    """Take away `user`'s second factor, confirmed by their password or a current code;
    refused while one is required of them. Commits."""
    if not has_second_factor(user):
        return
    if is_required_for(user):
        raise SecondFactorError(_required_reason(user))
    if _digits(confirmation) is not None:
        if not check_code(user, confirmation):
            raise SecondFactorError(gettext("The code is not correct"))
    elif not user.password_hash or not check_password_hash(user.password_hash, confirmation):
        raise SecondFactorError(gettext("Your password is not correct"))
    _clear(user)
    security_events.record("second_factor_removed", user=user)
    db.session.commit()


def reset(user: User, *, actor: User) -> None:
    """An administrator takes away `user`'s second factor (say, their phone was lost); if
    one is required of them, they set up a new one when they next sign in. Commits."""
    if user.totp_secret is None and user.totp_enabled_at is None:
        return
    _clear(user)
    security_events.record("second_factor_removed", user=user, detail=f"Reset by {actor.email}")
    record_event("second_factor_reset", actor, detail=user.email)
    db.session.commit()


# Recovery codes ----------------------------------------------------------------------------


def _recovery_hash(code: str) -> str:
    typed = re.sub(r"[\s-]", "", code or "").lower()
    return hashlib.sha256(typed.encode()).hexdigest()


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        code = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        code = f"{code[:5]}-{code[5:]}"
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(code)))
        codes.append(code)
    return codes


def renew_recovery_codes(user: User) -> list[str]:
    """New recovery codes for `user`, the old ones no longer working. Commits."""
    if not has_second_factor(user):
        raise SecondFactorError(gettext("Set up a second factor first."))
    codes = _replace_recovery_codes(user)
    security_events.record("recovery_codes_renewed", user=user)
    db.session.commit()
    return codes


def note_signed_in(user: User, how: str) -> None:
    """Record in the security log that `user` completed signing in with their second
    factor (`how`: which kind of code). Commits."""
    security_events.record("signed_in", user=user, detail=f"With {how}")
    db.session.commit()


def use_recovery_code(user: User, code: str) -> bool:
    """Whether `code` is one of `user`'s unused recovery codes; it is used up if so. A
    wrong code is recorded in the security log. Commits."""
    used = has_second_factor(user) and (
        db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _recovery_hash(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=datetime.now(UTC))
        ).rowcount
        == 1
    )
    if used:
        left = recovery_codes_left(user)
        security_events.record("recovery_code_used", user=user, detail=f"{left} left")
    else:
        security_events.record("second_factor_failed", user=user, detail="Recovery code")
    db.session.commit()
    return used


def recovery_codes_left(user: User) -> int:
    """How many of `user`'s recovery codes are still unused."""
    return db.session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


# Who must have one -------------------------------------------------------------------------


def register_requirement() -> str:
    """Who must have a second factor register-wide: a code of REQUIREMENT."""
    value = db.session.scalar(
        select(RegisterSetting.value).where(RegisterSetting.name == REQUIRED_SETTING)
    )
    return value if value in REQUIREMENT else NOBODY


def set_register_requirement(value: str, *, actor: User) -> None:
    """Change who must have a second factor register-wide; written to the audit log."""
    if value not in REQUIREMENT:
        raise SecondFactorError(gettext("Choose who must sign in with a second factor"))
    before = register_requirement()
    if value == before:
        return
    setting = db.session.get(RegisterSetting, REQUIRED_SETTING)
    if setting is None:
        db.session.add(RegisterSetting(name=REQUIRED_SETTING, value=value))
    else:
        setting.value = value
    record_event("register_setting_changed", actor, detail=f"{REQUIRED_SETTING}: {value}")
    db.session.commit()


def _required_reason(user: User) -> str:
    organisations = [o.name for o in user.publishes_for() if o.requires_second_factor]
    if organisations:
        return f"{organisations[0]} requires its publishers to sign in with a second factor."
    return "The register requires publishers and administrators to sign in with a second factor."


def is_required_for(user: User) -> bool:
    """Whether `user` must sign in with a second factor: as a publisher of an organisation
    that requires it, or as a publisher or administrator when the register requires it."""
    if any(o.requires_second_factor for o in user.publishes_for()):
        return True
    if user.is_admin or user.publishes_for():
        return register_requirement() == PUBLISHERS_AND_ADMINISTRATORS
    return False


def needs_setting_up(user: User) -> bool:
    """Whether `user` must set up a second factor before they do anything else."""
    return not has_second_factor(user) and is_required_for(user)


# Signing in in two steps -------------------------------------------------------------------

# The session key for the wait between the password and the code, and how long it lasts.
PENDING = "second_factor_pending"
PENDING_SECONDS = 5 * 60


def awaiting_code(user: User) -> dict[str, object]:
    """What a session keeps (under PENDING) between a correct password and a correct code:
    the person's session identity, so a new password or signing out cancels the wait, and
    when the wait ends."""
    return {"user": user.get_id(), "until": int(time.time()) + PENDING_SECONDS}


def person_awaiting_code(pending: object) -> User | None:
    """The person a session is waiting for a code from, while the wait is still valid."""
    if not isinstance(pending, dict):
        return None
    session_id, until = pending.get("user"), pending.get("until")
    if not isinstance(session_id, str) or not isinstance(until, int) or until < time.time():
        return None
    user_id = session_id.partition(":")[0]
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active or user.get_id() != session_id:
        return None
    return user if has_second_factor(user) else None
