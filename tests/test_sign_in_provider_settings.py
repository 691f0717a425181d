"""Setting an organisation's sign-in provider: on its administration page, where the client
secret is never shown again, and with `flask register sign-in-provider`, which reads the
secret from standard input or SIGN_IN_CLIENT_SECRET and never from an argument."""

from __future__ import annotations

from sqlalchemy import select

from register import sign_in_providers
from register.extensions import db
from register.models import SignInProvider

from .conftest import TEST_PASSWORD
from .oidc_provider import running_provider
from .sign_in_world import (
    CLIENT_SECRET,
    DOMAIN,
    count,
    set_up_provider,
)


def _as_administrator(client_request, make_user) -> None:
    make_user("admin@register.example", is_admin=True)
    client_request.post(
        "/sign-in", {"email": "admin@register.example", "password": TEST_PASSWORD}, 302
    )


def _settings(issuer: str, **changes) -> dict:
    return {
        "issuer": issuer,
        "client_id": "the-register",
        "client_secret": CLIENT_SECRET,
        "domains": f"{DOMAIN}\n@Northshire.Example\n",
        "provider_only": "no",
        "trusts_second_factor": "yes",
        "lets_domain_join": "no",
        **changes,
    }


def _stored(app) -> SignInProvider | None:
    with app.app_context():
        found = db.session.scalar(select(SignInProvider))
        if found is not None:
            found.domain_names()  # loaded before the session closes
            db.session.expunge_all()
        return found


def test_an_administrator_sets_the_provider_and_never_sees_the_secret_again(
    app, client_request, make_user, make_organisation, provider
):
    organisation = make_organisation()
    _as_administrator(client_request, make_user)
    url = f"/admin/organisations/{organisation.slug}/sign-in"
    page = client_request.get(url)
    assert "http://localhost/sign-in/callback" in page.get_text()
    response = client_request.post(url, _settings(provider.issuer), 302)
    assert response.headers["Location"] == f"/admin/organisations/{organisation.slug}/people"

    stored = _stored(app)
    assert stored.domain_names() == ["northshire.example", DOMAIN]
    assert stored.trusts_second_factor and not stored.provider_only
    assert CLIENT_SECRET not in stored.client_secret  # kept encrypted
    with app.app_context():
        assert sign_in_providers.client_secret_of(stored) == CLIENT_SECRET

    page = client_request.get(url)
    assert CLIENT_SECRET not in str(page)
    assert page.select_one("#client_secret").get("value", "") == ""
    assert "A secret is set; enter a new one to replace it" in page.get_text()
    # Saved again without a secret: the one set before stays.
    client_request.post(url, _settings(provider.issuer, client_secret=""), 302)
    with app.app_context():
        assert sign_in_providers.client_secret_of(_stored(app)) == CLIENT_SECRET


def test_an_issuer_whose_discovery_fails_is_refused_next_to_the_field(
    app, client_request, make_user, make_organisation, provider
):
    organisation = make_organisation()
    _as_administrator(client_request, make_user)
    url = f"/admin/organisations/{organisation.slug}/sign-in"
    with running_provider() as departing:
        gone = departing.issuer
    # The provider names itself without the final slash.
    wrong_name = provider.issuer + "/"
    for issuer, says in [
        (gone, "could not read the provider’s discovery document"),
        (wrong_name, "The provider calls itself"),
        ("ftp://files.example", "starting https://"),
    ]:
        page = client_request.post_page(url, _settings(issuer))
        assert says in page.select_one("#issuer-error").get_text(), issuer
        assert page.select_one(".govuk-error-summary a[href='#issuer']") is not None
    assert count(app, SignInProvider) == 0


def test_plain_http_issuers_are_refused_outside_tests(app, provider):
    app.config["SIGN_IN_PROVIDERS_ALLOW_LOOPBACK_HTTP"] = False
    try:
        with app.app_context():
            assert "https://" in sign_in_providers.issuer_problem(provider.issuer)
            assert sign_in_providers.issuer_problem("https://login.example.gov.uk") is None
    finally:
        app.config["SIGN_IN_PROVIDERS_ALLOW_LOOPBACK_HTTP"] = True


def test_a_domain_belongs_to_one_provider_only(
    app, client_request, make_user, make_organisation, provider
):
    first = make_organisation()
    second = make_organisation("Southshire District Council")
    set_up_provider(app, first.slug, provider.issuer)
    _as_administrator(client_request, make_user)
    page = client_request.post_page(
        f"/admin/organisations/{second.slug}/sign-in", _settings(provider.issuer)
    )
    assert "already signs in through another provider" in page.select_one("#domains-error").text
    page = client_request.post_page(
        f"/admin/organisations/{second.slug}/sign-in",
        _settings(provider.issuer, domains="not a domain"),
    )
    assert "is not an email domain" in page.select_one("#domains-error").text
    assert count(app, SignInProvider) == 1


def test_the_register_may_have_one_provider_for_a_single_body(
    app, client_request, make_user, provider
):
    _as_administrator(client_request, make_user)
    page = client_request.get("/admin/sign-in")
    assert page.select_one("input[name=lets_domain_join]") is None
    client_request.post("/admin/sign-in", _settings(provider.issuer), 302)
    assert _stored(app).organisation_id is None


# The command line -------------------------------------------------------------------------


def _command(provider, *extra: str) -> list[str]:
    return [
        "register",
        "sign-in-provider",
        "northshire-county-council",
        "--issuer",
        provider.issuer,
        "--client-id",
        "the-register",
        "--domain",
        DOMAIN,
        *extra,
    ]


def test_the_command_reads_the_secret_from_standard_input(app, runner, make_organisation, provider):
    make_organisation()
    result = runner.invoke(args=_command(provider, "--provider-only"), input=CLIENT_SECRET + "\n")
    assert result.exit_code == 0, result.output
    assert f"signs in through {provider.issuer} for {DOMAIN}" in result.output
    stored = _stored(app)
    assert stored.provider_only
    with app.app_context():
        assert sign_in_providers.client_secret_of(stored) == CLIENT_SECRET


def test_the_command_reads_the_secret_from_its_environment_variable(
    app, runner, make_organisation, provider
):
    make_organisation()
    result = runner.invoke(args=_command(provider), env={"SIGN_IN_CLIENT_SECRET": "from-env-1"})
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert sign_in_providers.client_secret_of(_stored(app)) == "from-env-1"


def test_the_command_never_takes_the_secret_as_an_argument(
    app, runner, make_organisation, provider
):
    make_organisation()
    for argument in ("--client-secret", "--secret"):
        result = runner.invoke(args=_command(provider, argument, "in-the-process-list"))
        assert result.exit_code == 2
        assert "No such option" in result.output
    result = runner.invoke(args=_command(provider), input="\n")
    assert result.exit_code == 1
    assert "Enter the client secret" in result.output
    assert count(app, SignInProvider) == 0
