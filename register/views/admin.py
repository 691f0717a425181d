"""The register administrator's pages: organisations, the people in them, and administrators.

Every page here is for administrators only: others get 403, and anyone not signed in is sent
to sign in. Each change goes through `accounts` or `one_time_links`, which check it and write
the audit log.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import accounts, one_time_links, people, second_factor
from .. import security_events as security_log
from ..extensions import db, limiter, login_manager
from ..forms.admin import (
    AdministratorForm,
    ConfirmForm,
    InviteForm,
    OrganisationForm,
    RoleForm,
)
from ..forms.second_factor import RequirementForm
from ..mail import oversight as email_oversight
from ..models import Invitation, Membership, Organisation, OutboxMessage, User
from ..security import limit_from, per_person
from .account import show_problems

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

# A person's id in an address; larger numbers than a database integer holds are not found.
PERSON = "<int(max=2147483647):user_id>"
INVITATION = "<int(max=2147483647):invitation_id>"
SLUG = re.compile(r"[a-z0-9-]{1,100}")


@blueprint.before_request
def _administrators_only() -> Response | None:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


def _organisation(slug: str) -> Organisation:
    if not SLUG.fullmatch(slug):
        abort(404)
    organisation = people.organisation_with_slug(slug)
    if organisation is None:
        abort(404)
    return organisation


def _member(organisation: Organisation, user_id: int) -> tuple[User, Membership]:
    """A member of `organisation`; 404 for anyone else, so a changed address finds nobody."""
    membership = people.member(organisation, user_id)
    if membership is None:
        abort(404)
    return membership.user, membership


# Organisations -----------------------------------------------------------------------------


@blueprint.get("/organisations")
def organisations() -> str:
    return render_template("admin/organisations.html", rows=people.organisations_with_head_count())


@blueprint.route("/organisations/new", methods=["GET", "POST"])
def add_organisation() -> str | Response:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = accounts.create_organisation(
                form.name.data,
                form.type.data,
                website=form.website.data,
                contact_email=form.contact_email.data,
                allows_self_publishing=form.allows_self_publishing.data == "yes",
                requires_second_factor=form.requires_second_factor.data == "yes",
                actor=current_user,
            )
        except accounts.AccountError as error:
            show_problems(form, error, "name")
        else:
            return redirect(url_for("admin.people", slug=organisation.slug))
    return render_template("admin/organisation_form.html", form=form, organisation=None)


@blueprint.route("/organisations/<slug>/edit", methods=["GET", "POST"])
def edit_organisation(slug: str) -> str | Response:
    organisation = _organisation(slug)
    form = OrganisationForm(
        data={
            "name": organisation.name,
            "type": organisation.type,
            "website": organisation.website or "",
            "contact_email": organisation.contact_email or "",
            "allows_self_publishing": "yes" if organisation.allows_self_publishing else "no",
            "requires_second_factor": "yes" if organisation.requires_second_factor else "no",
        }
    )
    if form.validate_on_submit():
        try:
            accounts.update_organisation(
                organisation,
                name=form.name.data,
                type_code=form.type.data,
                website=form.website.data,
                contact_email=form.contact_email.data,
                allows_self_publishing=form.allows_self_publishing.data == "yes",
                requires_second_factor=form.requires_second_factor.data == "yes",
                actor=current_user,
            )
        except accounts.AccountError as error:
            # Nothing half-changed stays; the page shows the organisation as it is stored,
            # read again here (the rollback expired it), not while the page is drawn.
            db.session.rollback()
            db.session.refresh(organisation)
            show_problems(form, error, "name")
        else:
            return redirect(url_for("admin.people", slug=organisation.slug))
    return render_template("admin/organisation_form.html", form=form, organisation=organisation)


# People in an organisation -----------------------------------------------------------------


@blueprint.get("/organisations/<slug>/people", endpoint="people")
def members(slug: str) -> str:
    organisation = _organisation(slug)
    return render_template(
        "admin/people.html",
        organisation=organisation,
        memberships=people.members_of(organisation),
        invitations=one_time_links.pending_invitations(organisation),
    )


@blueprint.route("/organisations/<slug>/people/invite", methods=["GET", "POST"])
@limiter.limit(limit_from("INVITATION_RATE_LIMIT"), key_func=per_person, methods=["POST"])
def invite(slug: str) -> str | Response:
    organisation = _organisation(slug)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = one_time_links.invite(
                organisation, form.email.data, form.role.data, invited_by=current_user
            )
        except accounts.AccountError as error:
            # An invitation that could not be emailed was rolled back, which expired the
            # organisation: read it again here, not while the page is drawn.
            db.session.refresh(organisation)
            show_problems(form, error, "email")
        else:
            flash(gettext("Invitation sent to %(email)s", email=invitation.email), "success")
            return redirect(url_for("admin.people", slug=organisation.slug))
    return render_template("admin/invite.html", organisation=organisation, form=form)


def _open_invitation(organisation: Organisation, invitation_id: int) -> Invitation:
    """An invitation to `organisation` not yet accepted; 404 for any other."""
    invitation = one_time_links.open_invitation(organisation, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


@blueprint.post(f"/organisations/<slug>/invitations/{INVITATION}/resend")
@limiter.limit(limit_from("INVITATION_RATE_LIMIT"), key_func=per_person)
def resend_invitation(slug: str, invitation_id: int) -> Response:
    organisation = _organisation(slug)
    invitation = _open_invitation(organisation, invitation_id)
    email = invitation.email
    try:
        one_time_links.resend_invitation(invitation, actor=current_user)
    except accounts.AccountError as error:
        db.session.rollback()
        flash(str(error))
    else:
        flash(gettext("Invitation sent to %(email)s", email=email), "success")
    return redirect(url_for("admin.people", slug=slug))


@blueprint.route(f"/organisations/<slug>/invitations/{INVITATION}/cancel", methods=["GET", "POST"])
def cancel_invitation(slug: str, invitation_id: int) -> str | Response:
    organisation = _organisation(slug)
    invitation = _open_invitation(organisation, invitation_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        email = invitation.email
        one_time_links.cancel_invitation(invitation, actor=current_user)
        flash(
            gettext(
                "The invitation to %(email)s is cancelled. Its link no longer works.", email=email
            ),
            "success",
        )
        return redirect(url_for("admin.people", slug=slug))
    return render_template(
        "admin/cancel_invitation.html", organisation=organisation, invitation=invitation, form=form
    )


@blueprint.route(f"/organisations/<slug>/people/{PERSON}/role", methods=["GET", "POST"])
def change_role(slug: str, user_id: int) -> str | Response:
    organisation = _organisation(slug)
    user, membership = _member(organisation, user_id)
    form = RoleForm(data={"role": membership.role})
    if form.validate_on_submit():
        try:
            accounts.change_role(organisation, user, form.role.data, actor=current_user)
        except accounts.AccountError as error:
            show_problems(form, error, "role")
        else:
            return redirect(url_for("admin.people", slug=organisation.slug))
    return render_template(
        "admin/change_role.html", organisation=organisation, person=user, form=form
    )


@blueprint.route(f"/organisations/<slug>/people/{PERSON}/remove", methods=["GET", "POST"])
def remove_person(slug: str, user_id: int) -> str | Response:
    organisation = _organisation(slug)
    user, _ = _member(organisation, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        accounts.remove_member(organisation, user, actor=current_user)
        return redirect(url_for("admin.people", slug=organisation.slug))
    return render_template(
        "admin/remove_person.html", organisation=organisation, person=user, form=form
    )


# Everyone, and administrators --------------------------------------------------------------


@blueprint.get("/people")
def everyone() -> str:
    return render_template(
        "admin/everyone.html",
        users=people.everyone(),
        has_second_factor=second_factor.has_second_factor,
    )


@blueprint.route(f"/people/{PERSON}/administrator", methods=["GET", "POST"])
def administrator(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    # The form says which change was confirmed, so a change someone else made meanwhile is
    # never reversed by a second click.
    form = AdministratorForm()
    problem = None
    if form.is_submitted():
        if not form.validate():
            abort(400)
        try:
            accounts.set_administrator(
                user, form.make_administrator.data == "yes", actor=current_user
            )
        except accounts.AccountError as error:
            problem = str(error)
        else:
            return redirect(url_for("admin.everyone"))
    return render_template(
        "admin/administrator.html",
        person=user,
        form=form,
        problem=problem,
        must_stay=accounts.why_administrator_must_stay(user, current_user),
    )


# The security log --------------------------------------------------------------------------


# The log is read to spot an attack under way, so the newest events are enough.
SECURITY_EVENTS_SHOWN = 200


@blueprint.get("/security-events")
def security_events() -> str:
    kind = request.args.get("kind", "")
    chosen = kind if kind in security_log.KINDS else ""
    return render_template(
        "admin/security_events.html",
        events=security_log.latest(SECURITY_EVENTS_SHOWN, kind=chosen or None),
        limit=SECURITY_EVENTS_SHOWN,
        kinds={code: gettext(label) for code, label in security_log.KINDS.items()},
        chosen=chosen,
    )


# Second factors ----------------------------------------------------------------------------


@blueprint.route("/settings", methods=["GET", "POST"])
def settings() -> str | Response:
    form = RequirementForm(data={"requirement": second_factor.register_requirement()})
    if form.validate_on_submit():
        second_factor.set_register_requirement(form.requirement.data, actor=current_user)
        flash(gettext("The register’s settings are saved."), "success")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", form=form)


@blueprint.route(f"/people/{PERSON}/second-factor", methods=["GET", "POST"])
def reset_second_factor(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        second_factor.reset(user, actor=current_user)
        flash(gettext("The second factor of %(email)s is reset.", email=user.email), "success")
        return redirect(url_for("admin.everyone"))
    return render_template(
        "admin/reset_second_factor.html",
        person=user,
        form=form,
        has_second_factor=second_factor.has_second_factor(user),
        required=second_factor.is_required_for(user),
    )


# Email -------------------------------------------------------------------------------------

EMAIL = "<int(max=2147483647):message_id>"


@blueprint.get("/email")
def email() -> str:
    counts = email_oversight.counts()
    state = request.args.get("state", "")
    if state not in email_oversight.STATE_LABELS:
        state = "failed" if counts["failed"] else "waiting"
    return render_template(
        "admin/email.html",
        counts=counts,
        labels={code: gettext(label) for code, label in email_oversight.STATE_LABELS.items()},
        state=state,
        messages=email_oversight.latest(state),
        limit=email_oversight.SHOWN,
        can_retry=email_oversight.can_retry,
    )


@blueprint.route(f"/email/{EMAIL}/retry", methods=["GET", "POST"])
def retry_email(message_id: int) -> str | Response:
    message = db.get_or_404(OutboxMessage, message_id)
    form = ConfirmForm()
    problem = ""
    if form.validate_on_submit():
        try:
            email_oversight.retry(message, actor=current_user)
        except email_oversight.RetryError as error:
            problem = str(error)
        else:
            flash(
                gettext("The email to %(email)s will be sent again.", email=message.recipient),
                "success",
            )
            return redirect(url_for("admin.email", state="waiting"))
    else:
        problem = email_oversight.retry_problem(message) or ""
    return render_template("admin/retry_email.html", message=message, form=form, problem=problem)
