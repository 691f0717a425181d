"""Signing in and out, and changing one's password."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from werkzeug.security import check_password_hash

from register.extensions import db
from register.models import User

from .conftest import TEST_PASSWORD, ClientRequest

NEW_PASSWORD = "a brand new pass phrase"


@pytest.fixture
def editor(make_organisation, make_user):
    organisation = make_organisation()
    return make_user("editor@ns.example", organisation=organisation.slug, role="editor")


def _error_messages(page) -> list[str]:
    return [item.get_text(strip=True) for item in page.select(".govuk-error-summary__list li")]


def test_a_person_signs_in_with_email_and_password(client_request, editor):
    page = client_request.get("/sign-in")
    assert page.h1.get_text(strip=True) == "Sign in"
    response = client_request.post(
        "/sign-in", {"email": "Editor@NS.example ", "password": TEST_PASSWORD}, 302
    )
    assert response.headers["Location"] == "/manage"
    client_request.get("/account/password")


def test_signing_in_over_https_needs_no_referer_which_browsers_do_not_send_here(client, editor):
    # Referrer-Policy: no-referrer means browsers send no Referer with the form.
    https = "https://register.example"
    page = BeautifulSoup(
        client.get("/sign-in", base_url=https).get_data(as_text=True), "html.parser"
    )
    token = page.select_one("form[method=post] input[name=csrf_token]")["value"]
    form = {"email": "editor@ns.example", "password": TEST_PASSWORD, "csrf_token": token}
    response = client.post("/sign-in", data=form, base_url=https)
    assert response.status_code == 302
    assert response.headers["Location"] == "/manage"


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(client_request, editor):
    wrong_password = client_request.post_page(
        "/sign-in", {"email": "editor@ns.example", "password": "not the password"}
    )
    unknown = client_request.post_page(
        "/sign-in", {"email": "nobody@ns.example", "password": "not the password"}
    )
    assert _error_messages(wrong_password) == ["Enter a correct email address and password"]
    assert _error_messages(unknown) == _error_messages(wrong_password)
    assert wrong_password.title.get_text() == unknown.title.get_text()
    assert wrong_password.select_one("#email")["value"] == "editor@ns.example"


def test_empty_fields_are_named_in_the_error_summary(client_request):
    page = client_request.post_page("/sign-in", {"email": "", "password": ""})
    assert _error_messages(page) == ["Enter your email address", "Enter your password"]
    assert page.title.get_text().startswith("Error: ")


def test_repeated_failures_for_one_address_are_slowed_down(app, client_request, editor):
    for _ in range(5):
        client_request.post("/sign-in", {"email": "editor@ns.example", "password": "wrong"})
    response = client_request.post(
        "/sign-in", {"email": "editor@ns.example", "password": TEST_PASSWORD}, 429
    )
    assert "too many attempts" in response.get_data(as_text=True)
    # The same happens for an address without an account, so nothing is revealed.
    for _ in range(5):
        client_request.post("/sign-in", {"email": "ghost@ns.example", "password": "wrong"})
    client_request.post("/sign-in", {"email": "ghost@ns.example", "password": "wrong"}, 429)
    with app.app_context():
        assert db.session.get(User, editor.id).failed_sign_ins == 5


def test_sign_in_never_redirects_to_another_site(client_request, editor):
    token = client_request.csrf_token("/sign-in")
    response = client_request.client.post(
        "/sign-in?next=//evil.example/",
        data={"email": editor.email, "password": TEST_PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/manage"


def test_a_sign_in_form_without_its_csrf_token_is_refused(client, editor):
    response = client.post("/sign-in", data={"email": editor.email, "password": TEST_PASSWORD})
    assert response.status_code == 400


def test_signing_out_ends_the_session(client_request, editor, sign_in):
    sign_in(editor)
    client_request.post("/sign-out", form_url="/account/password", expected_status=302)
    response = client_request.client.get("/account/password")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_changing_the_password_needs_the_current_one(app, client_request, editor, sign_in):
    sign_in(editor)
    page = client_request.post_page(
        "/account/password",
        {
            "current_password": "wrong",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert _error_messages(page) == ["Your current password is not correct"]
    client_request.post(
        "/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        302,
    )
    with app.app_context():
        assert check_password_hash(db.session.get(User, editor.id).password_hash, NEW_PASSWORD)


def test_a_new_password_signs_out_other_sessions(app, client_request, editor, sign_in):
    other_browser = app.test_client()
    sign_in(editor)
    ClientRequest(other_browser).post(
        "/sign-in", {"email": editor.email, "password": TEST_PASSWORD}, 302
    )
    assert other_browser.get("/account/password").status_code == 200
    client_request.post(
        "/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        302,
    )
    assert other_browser.get("/account/password").status_code == 302
    assert client_request.client.get("/account/password").status_code == 200


def test_a_mismatched_confirmation_is_shown_at_the_field(client_request, editor, sign_in):
    sign_in(editor)
    page = client_request.post_page(
        "/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": "something else entirely",
        },
    )
    assert "The passwords do not match" in page.select_one("#confirm_password-error").get_text()
