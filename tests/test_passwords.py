"""The most guessable passwords are refused wherever a password is set (changing it,
resetting it, accepting an invitation, the command line), with advice beside the field;
a few unrelated words pass, and 12 characters stay the minimum."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from register.extensions import db
from register.models import User
from register.passwords import guessability_problem

from .conftest import TEST_PASSWORD
from .emails import emptied_outbox, link_in

WEAK = ["password1234", "aaaaaaaaaaaa"]
STRONG = "lantern orbit velvet pickle"
HARDER = "Choose a password that is harder to guess"


@pytest.fixture
def editor(make_organisation, make_user):
    organisation = make_organisation()
    return make_user("editor@ns.example", organisation=organisation.slug, role="editor")


def _field_error(page, field: str = "new_password") -> str:
    error = page.select_one(f"#{field}-error")
    return " ".join(error.get_text().split()) if error else ""


def _password_is(app, user, password) -> bool:
    with app.app_context():
        return check_password_hash(db.session.get(User, user.id).password_hash, password)


@pytest.mark.parametrize("password", WEAK)
def test_a_guessable_password_is_refused_with_advice(password):
    problem = guessability_problem(password)
    assert problem.startswith(f"{HARDER}: ")
    assert len(problem) > len(HARDER) + 10


def test_a_few_unrelated_words_are_accepted():
    assert guessability_problem(STRONG) is None
    assert guessability_problem(TEST_PASSWORD, ["editor@ns.example", "Ed Itor"]) is None


def test_the_persons_own_name_and_address_count_as_guessable():
    assert guessability_problem("Quixotic Marmalade") is None
    problem = guessability_problem("Quixotic Marmalade", ["qm@example.org", "Quixotic Marmalade"])
    assert "avoid your own name and email address" in problem


@pytest.mark.parametrize("password", WEAK)
def test_changing_to_a_guessable_password_is_refused_beside_the_field(
    app, client_request, sign_in, editor, password
):
    sign_in(editor)
    page = client_request.post_page(
        "/account/password",
        {
            "current_password": TEST_PASSWORD,
            "new_password": password,
            "confirm_password": password,
        },
    )
    assert _field_error(page).startswith(f"Error: {HARDER}: ")
    assert _field_error(page, "current_password") == ""
    assert HARDER in page.select_one(".govuk-error-summary").get_text()
    assert _password_is(app, editor, TEST_PASSWORD)


def test_changing_to_a_strong_password_is_accepted(app, client_request, sign_in, editor):
    sign_in(editor)
    client_request.post(
        "/account/password",
        {"current_password": TEST_PASSWORD, "new_password": STRONG, "confirm_password": STRONG},
        302,
    )
    assert _password_is(app, editor, STRONG)


@pytest.mark.parametrize("password", WEAK)
def test_a_reset_link_refuses_a_guessable_password(app, client_request, editor, password):
    outbox = emptied_outbox(app)
    client_request.post("/forgot-password", {"email": editor.email}, 302)
    link = link_in(outbox[0])
    page = client_request.post_page(link, {"new_password": password, "confirm_password": password})
    assert _field_error(page).startswith(f"Error: {HARDER}: ")
    assert _password_is(app, editor, TEST_PASSWORD)
    # The link still works for a better password.
    client_request.post(link, {"new_password": STRONG, "confirm_password": STRONG}, 302)
    assert _password_is(app, editor, STRONG)


def test_accepting_an_invitation_refuses_a_guessable_password(
    app, client_request, sign_in, make_user, make_organisation
):
    organisation = make_organisation()
    admin = make_user("admin@register.example", is_admin=True)
    outbox = emptied_outbox(app)
    sign_in(admin)
    client_request.post(
        f"/admin/organisations/{organisation.slug}/people/invite",
        {"email": "new.person@ns.example", "role": "editor"},
        302,
    )
    client_request.client.delete_cookie("session")
    link = link_in(outbox[0])
    page = client_request.post_page(
        link, {"name": "Nia", "new_password": "password1234", "confirm_password": "password1234"}
    )
    assert _field_error(page).startswith(f"Error: {HARDER}: ")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    client_request.post(
        link, {"name": "Nia", "new_password": STRONG, "confirm_password": STRONG}, 302
    )


def test_the_command_line_refuses_a_guessable_password(runner, app_context):
    result = runner.invoke(
        args=["register", "create-user", "admin@register.example", "--admin"],
        input="password1234\npassword1234\n",
    )
    assert result.exit_code != 0
    assert HARDER in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0
