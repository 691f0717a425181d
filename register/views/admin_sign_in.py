"""The administrator's pages for signing in with an organisation's own accounts: the
provider of each organisation, and the one provider of a register serving a single body.

The routes belong to the admin blueprint (administrators only); `register/__init__.py`
imports this module to add them.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from .. import sign_in_providers
from ..addresses import absolute_url
from ..extensions import db
from ..formatting import N_
from ..forms.sign_in_provider import RegisterProviderForm, SignInProviderForm
from ..models import Organisation
from .admin import _organisation, blueprint

# What the client secret's field says: the secret itself is never shown again.
HINT_ONCE_SET = N_("A secret is set; enter a new one to replace it.")
HINT_BEFORE = N_("The secret the provider gave the register. It is kept encrypted, never shown.")


def _provider_page(organisation: Organisation | None) -> str | Response:
    provider = sign_in_providers.provider_of(organisation)
    form_class = SignInProviderForm if organisation is not None else RegisterProviderForm
    stored = {}
    if provider is not None:
        stored = {
            "issuer": provider.issuer,
            "client_id": provider.client_id,
            "domains": "\n".join(provider.domain_names()),
            "provider_only": "yes" if provider.provider_only else "no",
            "trusts_second_factor": "yes" if provider.trusts_second_factor else "no",
            "lets_domain_join": "yes" if provider.lets_domain_join else "no",
        }
    form = form_class(data=stored)
    if form.validate_on_submit():
        joins = form.lets_domain_join.data if form.lets_domain_join else "no"
        try:
            sign_in_providers.save_provider(
                organisation,
                issuer=form.issuer.data,
                client_id=form.client_id.data,
                client_secret=form.client_secret.data or None,
                domains=form.domains.data.splitlines(),
                provider_only=form.provider_only.data == "yes",
                trusts_second_factor=form.trusts_second_factor.data == "yes",
                lets_domain_join=joins == "yes",
                actor=current_user,
            )
        except sign_in_providers.ProviderSettingsError as error:
            # Nothing half-changed stays; what the page shows is read again here (the
            # rollback expired it), not while the page is drawn.
            db.session.rollback()
            if organisation is not None:
                db.session.refresh(organisation)
            for name, message in error.problems.items():
                field = form._fields.get(name, form.issuer)
                field.errors = [*field.errors, message.rstrip(".")]
            provider = sign_in_providers.provider_of(organisation)
        else:
            flash(gettext("The sign-in provider is saved."), "success")
            if organisation is None:
                return redirect(url_for("admin.settings"))
            return redirect(url_for("admin.people", slug=organisation.slug))
    return render_template(
        "admin/sign_in_provider.html",
        form=form,
        organisation=organisation,
        secret_hint=gettext(HINT_ONCE_SET if provider is not None else HINT_BEFORE),
        callback_url=absolute_url("auth.provider_callback"),
    )


@blueprint.route("/organisations/<slug>/sign-in", methods=["GET", "POST"])
def organisation_sign_in(slug: str) -> str | Response:
    return _provider_page(_organisation(slug))


@blueprint.route("/sign-in", methods=["GET", "POST"])
def register_sign_in() -> str | Response:
    return _provider_page(None)
