"""Smaller holes an outside attack found in accounts: API tokens that came back to life, a
CSRF token that outlived signing in, and one-time links that told used ones from made-up."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from register.extensions import db
from register.models import ApiToken

from ..conftest import TEST_PASSWORD
from ..emails import emptied_outbox
from ..manage_world import WORLD
from ..submission_world import SUBMISSIONS, Api, make_token

world = WORLD


@pytest.fixture
def outbox(app):
    return emptied_outbox(app)


PEOPLE = "/admin/organisations/northshire-county-council/people"


def _person_id(world, who: str) -> int:
    with world.app.app_context():
        return world.user(who).id


def _change_role(world, who: str, role: str) -> None:
    person_id = _person_id(world, who)
    world.client("admin").post(f"{PEOPLE}/{person_id}/role", {"role": role}, 302)


def test_a_demoted_publishers_tokens_stay_revoked_when_they_are_promoted_again(world):
    secret = make_token(world)
    system = Api(world, secret)
    assert system.get(SUBMISSIONS).status_code == 200

    _change_role(world, "publisher", "editor")
    assert system.get(SUBMISSIONS).status_code == 401
    _change_role(world, "publisher", "publisher")
    assert system.get(SUBMISSIONS).status_code == 401
    with world.app.app_context():
        (token,) = db.session.scalars(select(ApiToken))
        assert token.revoked_at is not None
        assert token.revoked_by_id == world.user("admin").id


def test_a_person_taken_out_of_an_organisation_loses_its_tokens_for_good(world):
    secret = make_token(world)
    publisher_id = _person_id(world, "publisher")
    world.client("admin").post(f"{PEOPLE}/{publisher_id}/remove", {}, 302)
    assert Api(world, secret).get(SUBMISSIONS).status_code == 401
    with world.app.app_context():
        assert db.session.scalar(select(ApiToken.revoked_at)) is not None


def test_other_publishers_tokens_keep_working_when_one_is_demoted(world):
    kept = make_token(world, who="second_publisher")
    _change_role(world, "publisher", "editor")
    assert Api(world, kept).get(SUBMISSIONS).status_code == 200


def _csrf_token(html: str) -> str:
    page = BeautifulSoup(html, "html.parser")
    return page.select_one("input[name=csrf_token]")["value"]


def test_the_csrf_token_changes_when_someone_signs_in(world, app):
    """A token read or planted before signing in (on a shared computer) is refused after."""
    client = app.test_client()
    before = _csrf_token(client.get("/sign-in").get_data(as_text=True))
    response = client.post(
        "/sign-in",
        data={"csrf_token": before, "email": "editor@ns.example", "password": TEST_PASSWORD},
    )
    assert response.status_code == 302
    refused = client.post("/sign-out", data={"csrf_token": before})
    assert refused.status_code == 400
    assert client.get("/manage").status_code == 200  # still signed in: nothing happened
    after = _csrf_token(client.get("/account/password").get_data(as_text=True))
    assert after != before
    assert client.post("/sign-out", data={"csrf_token": after}).status_code == 302
    assert client.get("/manage").status_code == 302


def _reset_link(world, outbox) -> str:
    client = world.client(None)
    client.post("/forgot-password", {"email": "editor@ns.example"}, 302)
    return re.search(r"/reset-password/\S+", outbox[-1].body).group(0)


def test_a_used_link_and_a_made_up_one_get_the_same_answer(world, outbox):
    link = _reset_link(world, outbox)
    reader = world.client(None).client
    form = reader.get(link)
    new_password = "a fresh and unguessable passphrase 42"
    reader.post(
        link,
        data={
            "csrf_token": _csrf_token(form.get_data(as_text=True)),
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    used = reader.get(link)
    made_up = reader.get("/reset-password/" + "x" * len(link.rsplit("/", 1)[1]))
    assert used.status_code == made_up.status_code == 404

    def main(response) -> str:
        return BeautifulSoup(response.get_data(as_text=True), "html.parser").main.get_text()

    assert main(used) == main(made_up)
