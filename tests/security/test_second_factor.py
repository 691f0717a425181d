"""The second factor: a code from an authenticator app (RFC 6238) after the password.

A person with one is not signed in by their password alone; a right code signs them in once
and never again; wrong codes are limited per person; recovery codes work once. Administrators
can require it of an organisation's publishers or of every publisher and administrator, who
then set it up before they can use any management page. Every change is in the security log.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

import pyotp
import pytest
from flask import Flask
from sqlalchemy import func, select

from register import second_factor
from register.extensions import db
from register.models import (
    AuditEvent,
    Entry,
    Organisation,
    RecoveryCode,
    RegisterSetting,
    SecurityEvent,
    User,
)

from ..conftest import TEST_PASSWORD, ClientRequest

PUBLISHER = "publisher@ns.example"
ADMIN = "admin@register.example"


@pytest.fixture
def organisation(make_organisation):
    return make_organisation("Northshire County Council")


@pytest.fixture
def publisher(make_user, organisation):
    return make_user(PUBLISHER, organisation=organisation.slug, role="publisher")


@pytest.fixture
def admin(make_user):
    return make_user(ADMIN, name="Ada Admin", is_admin=True)


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def give_second_factor(app: Flask, email: str) -> list[str]:
    """Turn on a second factor for `email` as the set-up page does; the recovery codes."""
    with app.app_context():
        secret = second_factor.new_secret()
        return second_factor.turn_on(_user(email), secret, pyotp.TOTP(secret).now())


def next_code(app: Flask, email: str) -> str:
    """The code `email`'s app shows now, or the next one if now's step was used already."""
    with app.app_context():
        user = _user(email)
        totp = pyotp.TOTP(second_factor.secret_of(user))
        step = totp.timecode(datetime.now(UTC))
        return totp.generate_otp(max(step, (user.totp_last_step or 0) + 1))


def wrong_code(app: Flask, email: str) -> str:
    """A code that is none of those accepted now."""
    with app.app_context():
        secret = second_factor.secret_of(_user(email))
    for candidate in ("000000", "111111", "222222", "333333"):
        if second_factor.matching_step(secret, candidate) is None:
            return candidate
    raise AssertionError("no wrong code found")


def events(app: Flask, kind: str, email: str | None = None) -> list[SecurityEvent]:
    with app.app_context():
        query = select(SecurityEvent).where(SecurityEvent.kind == kind)
        if email:
            query = query.join(SecurityEvent.user).where(User.email == email)
        found = list(db.session.scalars(query.order_by(SecurityEvent.id)))
        db.session.expunge_all()
        return found


def enter_password(browser: ClientRequest, email: str, next_path: str | None = None) -> str:
    """Post the right password; where the register sends the browser next."""
    url = "/sign-in" + (f"?next={quote(next_path, safe='')}" if next_path else "")
    response = browser.post(url, {"email": email, "password": TEST_PASSWORD}, 302)
    return response.headers["Location"]


def enter_code(browser: ClientRequest, code: str, url: str = "/sign-in/code", expected=302):
    return browser.post(url, {"code": code}, expected)


def _signed_in(browser: ClientRequest) -> bool:
    response = browser.client.get("/manage")
    return response.status_code == 200


def _error(page) -> str:
    return page.select_one(".govuk-error-message").get_text(" ", strip=True)


# Signing in ---------------------------------------------------------------------------------


def test_a_password_alone_does_not_sign_in_someone_with_a_second_factor(
    app, client_request, publisher
):
    give_second_factor(app, PUBLISHER)
    assert enter_password(client_request, PUBLISHER) == "/sign-in/code"
    # The security log says the password was right, not that they signed in.
    assert len(events(app, "password_accepted", PUBLISHER)) == 1
    assert events(app, "signed_in", PUBLISHER) == []
    response = client_request.client.get("/manage")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    assert client_request.client.get("/admin/organisations").status_code == 302

    page = client_request.get("/sign-in/code")
    assert page.h1.get_text(strip=True) == "Enter the code from your authenticator app"
    assert page.title.get_text().startswith("Enter the code from your authenticator app")
    field = page.select_one("input#code")
    assert field["autocomplete"] == "one-time-code"
    assert field["inputmode"] == "numeric"
    assert field["spellcheck"] == "false"
    assert page.select_one("#code-hint") is not None
    link = page.find("a", string="Use a recovery code instead")
    assert link["href"] == "/sign-in/recovery-code"


def test_people_without_a_second_factor_still_sign_in_in_one_step(client_request, publisher):
    assert enter_password(client_request, PUBLISHER) == "/manage"
    assert _signed_in(client_request)


def test_the_right_code_signs_them_in_and_they_go_where_they_were_going(
    app, client_request, publisher
):
    give_second_factor(app, PUBLISHER)
    code_page = enter_password(client_request, PUBLISHER, "/manage/entries/new")
    assert code_page == "/sign-in/code?next=/manage/entries/new"
    response = enter_code(client_request, next_code(app, PUBLISHER), code_page)
    assert response.headers["Location"] == "/manage/entries/new"
    assert _signed_in(client_request)
    (signed_in,) = events(app, "signed_in", PUBLISHER)
    assert signed_in.detail == "With a code from an authenticator app"


def test_next_never_leads_to_another_site_through_the_code_step(app, client_request, publisher):
    give_second_factor(app, PUBLISHER)
    code_page = enter_password(client_request, PUBLISHER, "//evil.example/")
    assert code_page == "/sign-in/code"
    url = "/sign-in/code?next=https://evil.example/"
    response = enter_code(client_request, next_code(app, PUBLISHER), url)
    assert response.headers["Location"] == "/manage"


def test_a_code_that_was_used_once_is_refused(app, client_request, publisher, client):
    give_second_factor(app, PUBLISHER)
    code = next_code(app, PUBLISHER)
    enter_password(client_request, PUBLISHER)
    enter_code(client_request, code)

    # Someone who saw the code and the password tries them in another browser.
    other = ClientRequest(app.test_client())
    enter_password(other, PUBLISHER)
    page = other.post_page("/sign-in/code", {"code": code})
    assert "The code is not correct" in _error(page)
    assert page.title.get_text().startswith("Error: ")
    assert not _signed_in(other)
    assert len(events(app, "second_factor_failed", PUBLISHER)) == 1


def test_wrong_codes_are_limited_per_person(app, client_request, publisher):
    give_second_factor(app, PUBLISHER)
    enter_password(client_request, PUBLISHER)
    wrong = wrong_code(app, PUBLISHER)
    for _ in range(5):
        enter_code(client_request, wrong, expected=200)
    # The sixth try is refused before it is checked, even with the right code, and from
    # a fresh session after the password again: the count belongs to the person.
    enter_code(client_request, next_code(app, PUBLISHER), expected=429)
    other = ClientRequest(app.test_client())
    enter_password(other, PUBLISHER)
    enter_code(other, next_code(app, PUBLISHER), expected=429)
    enter_code(other, "abcde-23456", "/sign-in/recovery-code", expected=429)
    assert not _signed_in(client_request)
    assert len(events(app, "second_factor_failed", PUBLISHER)) == 5


def test_the_code_step_expires_and_then_starts_again_with_the_password(
    app, client_request, publisher, monkeypatch
):
    give_second_factor(app, PUBLISHER)
    monkeypatch.setattr(second_factor, "PENDING_SECONDS", -1)
    enter_password(client_request, PUBLISHER)
    data = {"code": next_code(app, PUBLISHER)}
    response = client_request.post("/sign-in/code", data, 302, form_url="/sign-in")
    assert response.headers["Location"] == "/sign-in"
    assert not _signed_in(client_request)


def test_a_recovery_code_signs_in_once(app, client_request, publisher):
    codes = give_second_factor(app, PUBLISHER)
    assert len(codes) == 10 and len(set(codes)) == 10
    enter_password(client_request, PUBLISHER)
    page = client_request.get("/sign-in/recovery-code")
    assert page.h1.get_text(strip=True) == "Enter a recovery code"
    enter_code(client_request, codes[0].upper(), "/sign-in/recovery-code")
    assert _signed_in(client_request)
    (signed_in,) = events(app, "signed_in", PUBLISHER)
    assert signed_in.detail == "With a recovery code"

    other = ClientRequest(app.test_client())
    enter_password(other, PUBLISHER)
    page = other.post_page("/sign-in/recovery-code", {"code": codes[0]})
    assert "not correct" in _error(page)
    assert not _signed_in(other)
    (used,) = events(app, "recovery_code_used", PUBLISHER)
    assert used.detail == "9 left"


# Setting one up -----------------------------------------------------------------------------


def _set_up_through_the_pages(browser: ClientRequest, url="/account/second-factor/set-up"):
    """Read the key off the set-up page as a person would type it; the page and the key."""
    page = browser.get(url)
    key = page.select_one("#setup-key").get_text().replace(" ", "")
    return page, key


def test_a_person_sets_up_a_second_factor_and_sees_recovery_codes_once(
    app, client_request, publisher, sign_in
):
    sign_in(PUBLISHER)
    page, key = _set_up_through_the_pages(client_request)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{1,4}", page.select_one("#setup-key").text)
    qr_code = page.select_one("main img")
    assert qr_code["src"].startswith("data:image/svg+xml")
    assert qr_code["alt"]
    # Reloading shows the same key, so a slow scan still works.
    assert _set_up_through_the_pages(client_request)[1] == key

    wrong = client_request.post_page(
        "/account/second-factor/set-up", {"code": "12345"}, form_url="/account/password"
    )
    assert "not correct" in _error(wrong)
    response = client_request.post(
        "/account/second-factor/set-up", {"code": pyotp.TOTP(key).now()}, 302
    )
    assert response.headers["Location"] == "/account/second-factor/recovery-codes"
    codes = client_request.get("/account/second-factor/recovery-codes").select("#recovery-codes li")
    assert len(codes) == 10
    again = client_request.get("/account/second-factor/recovery-codes")
    assert again.select("#recovery-codes li") == []
    page = client_request.get("/account/second-factor/set-up")
    assert page.h1.get_text(strip=True) == "You already have a second factor"

    with app.app_context():
        user = _user(PUBLISHER)
        assert second_factor.has_second_factor(user)
        assert key not in user.totp_secret  # kept encrypted
        assert second_factor.secret_of(user) == key
        hashes = set(db.session.scalars(select(RecoveryCode.code_hash)))
        shown = {code.get_text(strip=True) for code in codes}
        assert hashes and not hashes & shown
    assert len(events(app, "second_factor_added", PUBLISHER)) == 1


def test_the_app_is_told_the_registers_name(app):
    with app.test_request_context():
        secret = second_factor.new_secret()
        address = second_factor.setup_address(secret, "a@b.example", "My Register")
    assert address.startswith("otpauth://totp/My%20Register:a%40b.example?")
    assert "issuer=My%20Register" in address


def test_new_recovery_codes_replace_the_old_ones(app, client_request, publisher):
    old = give_second_factor(app, PUBLISHER)
    enter_password(client_request, PUBLISHER)
    enter_code(client_request, next_code(app, PUBLISHER))
    overview = client_request.get("/account/second-factor")
    assert "10" in overview.select_one(".govuk-summary-list").get_text()
    client_request.post(
        "/account/second-factor/recovery-codes", {}, 302, form_url="/account/second-factor"
    )
    new = [
        li.get_text(strip=True)
        for li in client_request.get("/account/second-factor/recovery-codes").select(
            "#recovery-codes li"
        )
    ]
    assert len(new) == 10 and not set(new) & set(old)
    with app.app_context():
        user = _user(PUBLISHER)
        assert not second_factor.use_recovery_code(user, old[1])
        assert second_factor.use_recovery_code(user, new[1])
    assert len(events(app, "recovery_codes_renewed", PUBLISHER)) == 1


def test_turning_it_off_needs_the_password_or_a_code(app, client_request, publisher):
    give_second_factor(app, PUBLISHER)
    enter_password(client_request, PUBLISHER)
    enter_code(client_request, next_code(app, PUBLISHER))
    url = "/account/second-factor/turn-off"
    page = client_request.post_page(url, {"confirmation": "not my password"})
    assert "password is not correct" in _error(page)
    client_request.post(url, {"confirmation": TEST_PASSWORD}, 302)
    with app.app_context():
        user = _user(PUBLISHER)
        assert not second_factor.has_second_factor(user)
        assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    assert len(events(app, "second_factor_removed", PUBLISHER)) == 1
    client_request.post("/sign-out", {}, 302, form_url="/account/password")
    assert enter_password(client_request, PUBLISHER) == "/manage"


# Requiring one ------------------------------------------------------------------------------


def _require_for(app: Flask, organisation) -> None:
    with app.app_context():
        db.session.get(Organisation, organisation.id).requires_second_factor = True
        db.session.commit()


def test_a_required_second_factor_is_set_up_before_any_management_page(
    app, client_request, publisher, organisation
):
    _require_for(app, organisation)
    assert enter_password(client_request, PUBLISHER, "/manage/entries/new") == (
        "/manage/entries/new"
    )
    for url in ("/manage/entries/new", "/manage", "/manage/import"):
        response = client_request.client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/account/second-factor/set-up?next={url}"
    response = client_request.post("/manage/entries/new", {}, 302, form_url="/account/password")
    assert response.headers["Location"] == "/account/second-factor/set-up"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Entry)) == 0
    # The set-up pages and public pages stay open.
    url = "/account/second-factor/set-up?next=/manage/entries/new"
    page, key = _set_up_through_the_pages(client_request, url)
    assert "must" in page.select_one(".govuk-inset-text").get_text()
    client_request.get("/entries")
    assert client_request.client.get("/static/js/register.js").status_code == 200

    response = client_request.post(url, {"code": pyotp.TOTP(key).now()}, 302)
    codes_url = response.headers["Location"]
    assert codes_url == "/account/second-factor/recovery-codes?next=/manage/entries/new"
    page = client_request.get(codes_url)
    assert page.find("a", string="Continue")["href"] == "/manage/entries/new"
    client_request.get("/manage/entries/new")


def test_a_required_second_factor_cannot_be_turned_off(
    app, client_request, publisher, organisation
):
    give_second_factor(app, PUBLISHER)
    _require_for(app, organisation)
    enter_password(client_request, PUBLISHER)
    enter_code(client_request, next_code(app, PUBLISHER))
    url = "/account/second-factor/turn-off"
    page = client_request.get(url)
    assert page.select("form[method=post] #confirmation") == []
    assert "cannot turn off" in page.select_one(".govuk-inset-text").get_text()
    # A form sent anyway is refused by the rule itself, not only by the page.
    page = client_request.post_page(url, {"confirmation": TEST_PASSWORD})
    assert "requires its publishers" in page.select_one(".govuk-error-summary").get_text()
    with app.app_context():
        assert second_factor.has_second_factor(_user(PUBLISHER))
    assert events(app, "second_factor_removed") == []


def test_an_editor_is_not_asked_when_their_organisation_requires_it_of_publishers(
    app, client_request, make_user, organisation, sign_in
):
    make_user("editor@ns.example", organisation=organisation.slug, role="editor")
    _require_for(app, organisation)
    sign_in("editor@ns.example")
    client_request.get("/manage")


def test_an_administrator_requires_it_for_an_organisations_publishers(
    app, client_request, admin, organisation, publisher, sign_in
):
    sign_in(ADMIN)
    url = f"/admin/organisations/{organisation.slug}/edit"
    page = client_request.get(url)
    legend = page.select_one("input[name=requires_second_factor]").find_parent("fieldset")
    assert "second factor" in legend.legend.get_text()
    form = {
        "name": organisation.name,
        "type": "local_government",
        "allows_self_publishing": "no",
        "requires_second_factor": "yes",
    }
    client_request.post(url, form, 302)
    with app.app_context():
        assert db.session.get(Organisation, organisation.id).requires_second_factor
        assert second_factor.is_required_for(_user(PUBLISHER))
        assert not second_factor.is_required_for(_user(ADMIN))
        assert db.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "organisation_changed")
        )


def test_an_administrator_requires_it_of_every_publisher_and_administrator(
    app, client_request, admin, publisher, sign_in
):
    sign_in(ADMIN)
    page = client_request.get("/admin/settings")
    fieldset = page.select_one("input[name=requirement]").find_parent("fieldset")
    assert fieldset.legend.get_text(strip=True) == "Who must sign in with a second factor?"
    client_request.post("/admin/settings", {"requirement": "publishers_and_administrators"}, 302)
    with app.app_context():
        setting = db.session.get(RegisterSetting, "second_factor_required")
        assert setting.value == "publishers_and_administrators"
        assert second_factor.is_required_for(_user(PUBLISHER))
        audit = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "register_setting_changed")
        )
        assert audit.detail == "second_factor_required: publishers_and_administrators"
    # The administrator themselves must now set one up before their next administration page;
    # they may still sign out.
    response = client_request.client.get("/admin/organisations")
    assert response.headers["Location"].startswith("/account/second-factor/set-up")
    response = client_request.post("/sign-out", {}, 302, form_url="/account/second-factor")
    assert response.headers["Location"] == "/"


def test_an_unknown_requirement_is_refused_at_the_field(app, client_request, admin, sign_in):
    sign_in(ADMIN)
    page = client_request.post_page("/admin/settings", {"requirement": "everyone"})
    assert _error(page).endswith("Select who must sign in with a second factor")
    with app.app_context():
        assert second_factor.register_requirement() == "none"


def test_an_administrator_resets_a_persons_second_factor(
    app, client_request, admin, publisher, sign_in
):
    give_second_factor(app, PUBLISHER)
    sign_in(ADMIN)
    people = client_request.get("/admin/people")
    reset_url = f"/admin/people/{publisher.id}/second-factor"
    assert people.select_one(f"a[href='{reset_url}']") is not None
    page = client_request.get(reset_url)
    assert page.h1.get_text(strip=True).startswith("Reset the second factor of")
    client_request.post(reset_url, {}, 302)
    assert "has no second factor" in client_request.get(reset_url).get_text()
    with app.app_context():
        assert not second_factor.has_second_factor(_user(PUBLISHER))
        audit = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "second_factor_reset")
        )
        assert audit.detail == PUBLISHER
    (removed,) = events(app, "second_factor_removed", PUBLISHER)
    assert removed.detail == f"Reset by {ADMIN}"
    assert enter_password(ClientRequest(app.test_client()), PUBLISHER) == "/manage"
