"""An organisation's API tokens: listed, made and revoked by its publishers and by
administrators. Editors, and people of other organisations, get 403.

A new token's secret is shown once, on the page that answers the form that made it: it is
never stored, flashed or put in the session, so that page must not be cached either.
"""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response

from .. import api_tokens, people
from ..forms.api_tokens import ApiTokenForm, RevokeApiTokenForm
from ..forms.entry import show_problems
from ..models import ApiToken, Organisation
from .manage import blueprint, error_summary, person


def _manageable_or_403(slug: str) -> Organisation:
    organisation = people.organisation_with_slug(slug)
    if organisation is None:
        abort(404)
    if not api_tokens.can_manage(person(), organisation):
        abort(403)
    return organisation


@blueprint.route("/organisations/<slug>/api-tokens", methods=["GET", "POST"], endpoint="api_tokens")
def api_tokens_page(slug: str) -> str | Response:
    organisation = _manageable_or_403(slug)
    form = ApiTokenForm()
    if form.validate_on_submit():
        try:
            token, secret = api_tokens.create(organisation, form.name.data, person())
        except api_tokens.TokenError as refused:
            show_problems(form, refused.problems or {"name": str(refused)})
        else:
            response = make_response(
                render_template(
                    "manage/api_token_created.html",
                    organisation=organisation,
                    token=token,
                    secret=secret,
                )
            )
            response.headers["Cache-Control"] = "no-store"
            return response
    return render_template(
        "manage/api_tokens.html",
        organisation=organisation,
        tokens=api_tokens.tokens_of(organisation),
        form=form,
        problems=error_summary(form),
    )


def _token_or_404(organisation: Organisation, token_id: int) -> ApiToken:
    token = api_tokens.token_of(organisation, token_id)
    if token is None:
        abort(404)
    return token


@blueprint.route("/organisations/<slug>/api-tokens/<int:token_id>/revoke", methods=["GET", "POST"])
def revoke_api_token(slug: str, token_id: int) -> str | Response:
    organisation = _manageable_or_403(slug)
    token = _token_or_404(organisation, token_id)
    back = url_for("manage.api_tokens", slug=organisation.slug)
    if token.revoked_at is not None:
        flash(gettext("The token “%(name)s” has already been revoked.", name=token.name))
        return redirect(back)
    form = RevokeApiTokenForm()
    if form.validate_on_submit():
        api_tokens.revoke(token, person())
        flash(
            gettext(
                "The token “%(name)s” is revoked. Systems using it can no longer reach the "
                "register.",
                name=token.name,
            ),
            "success",
        )
        return redirect(back)
    return render_template(
        "manage/revoke_api_token.html", organisation=organisation, token=token, form=form
    )
