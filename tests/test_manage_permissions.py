"""Who may open and use each page under /manage.

Anonymous visitors are sent to sign in. People of another organisation get 404 for any of its
entries, as if it did not exist, so not even a draft's reference is revealed. Members who lack
the role an action needs get 403. Administrators may do everything. An organisation's API
token pages answer 403 to all but its publishers and administrators (organisations are public).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select

from register import api_tokens, schema
from register.extensions import db
from register.models import ApiToken

from .manage_world import PEOPLE, WORLD
from .snapshots import built_once

world = WORLD

ROLES = list(PEOPLE)  # editor, publisher, second_publisher, outside_*, admin
DRAFT = "/manage/entries/AIR-00001"  # a draft of Northshire, with one risk
IN_REVIEW = "/manage/entries/AIR-00002"
PUBLISHED = "/manage/entries/AIR-00003"
TOKENS = "/manage/organisations/northshire-county-council/api-tokens"  # with token 1

SIGNED_IN = {role: 200 for role in ROLES}
MEMBERS = {**SIGNED_IN, "outside_editor": 404, "outside_publisher": 404}
PUBLISHERS = {**MEMBERS, "editor": 403}
ADMINISTRATORS = {**PUBLISHERS, "publisher": 403, "second_publisher": 403}
# An organisation's API tokens are its publishers' (and administrators') business only.
TOKEN_MANAGERS = {**PUBLISHERS, "outside_editor": 403, "outside_publisher": 403}

PAGES = [
    ("/manage", SIGNED_IN),
    ("/manage/entries/new", SIGNED_IN),
    (DRAFT, MEMBERS),
    *[(f"{DRAFT}/{section.slug}", MEMBERS) for section in schema.SECTIONS],
    (f"{DRAFT}/data-sources/add", MEMBERS),
    (f"{DRAFT}/risks/add", MEMBERS),
    (f"{DRAFT}/impact-assessments/add", MEMBERS),
    (f"{DRAFT}/risks/1", MEMBERS),
    (f"{DRAFT}/risks/1/remove", MEMBERS),
    (f"{DRAFT}/check", MEMBERS),
    (f"{DRAFT}/history", PUBLISHERS),
    (f"{IN_REVIEW}/review", PUBLISHERS),
    (f"{PUBLISHED}/retire", PUBLISHERS),
    (f"{PUBLISHED}/withdraw", ADMINISTRATORS),
    (TOKENS, TOKEN_MANAGERS),
    (f"{TOKENS}/1/revoke", TOKEN_MANAGERS),
]


@pytest.fixture
def entries(world):
    def build() -> None:
        world.entry(rows={"risks": [{"name": "Bias"}]})
        world.entry("in_review")
        world.entry("published")
        with world.app.app_context():
            api_tokens.create(world.organisation(), "Case system", world.user("publisher"))

    built_once(world.app, "entries in each state", build)
    return world


def snapshot(world) -> tuple:
    """Everything a refused request must leave as it was."""
    with world.app.app_context():
        found = [world.load(f"AIR-0000{n}") for n in (1, 2, 3)]
        return (
            [entry.state for entry in found],
            [len(entry.versions) for entry in found],
            found[0].draft.title,
            found[0].draft.lock_version,
            len(found[0].draft.risks),
            db.session.execute(select(ApiToken.id, ApiToken.revoked_at)).all(),
        )


def _cases(pages) -> list:
    return [
        pytest.param(url, role, expected.get(role), id=f"{url}-{role or 'anonymous'}")
        for url, expected in pages
        for role in [None, *ROLES]
    ]


@pytest.mark.parametrize(("url", "role", "status"), _cases(PAGES))
def test_who_may_open_each_page(entries, url, role, status):
    browser = entries.client(role)
    if role is None:
        response = browser.client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"] == f"/sign-in?next={quote(url, safe='')}"
    else:
        browser.get(url, status)


def _lock(world) -> int:
    return world.lock_version("AIR-00001")


# Each action, what it sends, and the status each person gets. Allowed actions redirect
# (302) or answer with a page (200, for example "answers are missing").
ACTIONS = [
    (f"{DRAFT}/about", lambda w: {"lock_version": _lock(w), "title": "Changed"}, MEMBERS, 302),
    (f"{DRAFT}/risks/add", lambda w: {"lock_version": _lock(w), "name": "New"}, MEMBERS, 302),
    (f"{DRAFT}/risks/1", lambda w: {"lock_version": _lock(w), "name": "Other"}, MEMBERS, 302),
    (f"{DRAFT}/risks/1/remove", lambda w: {"lock_version": _lock(w)}, MEMBERS, 302),
    (f"{DRAFT}/submit", lambda w: {}, MEMBERS, 200),
    (f"{IN_REVIEW}/review/publish", lambda w: {}, PUBLISHERS, 302),
    (f"{IN_REVIEW}/review/send-back", lambda w: {"comment": "Redo"}, PUBLISHERS, 302),
    (f"{PUBLISHED}/revise", lambda w: {}, MEMBERS, 302),
    (
        f"{PUBLISHED}/retire",
        lambda w: {"retirement_reason": "Gone", "retire": "y"},  # confirmed after the preview
        PUBLISHERS,
        302,
    ),
    (
        f"{PUBLISHED}/withdraw",
        lambda w: {"reason": "Error", "understood": "y"},
        ADMINISTRATORS,
        302,
    ),
    (TOKENS, lambda w: {"name": "Another system"}, TOKEN_MANAGERS, 200),
    (f"{TOKENS}/1/revoke", lambda w: {}, TOKEN_MANAGERS, 302),
]


def _action_cases() -> list:
    return [
        pytest.param(
            url,
            data,
            role,
            success if allowed.get(role) == 200 else allowed.get(role),
            id=f"POST {url}-{role or 'anonymous'}",
        )
        for url, data, allowed, success in ACTIONS
        for role in [None, *ROLES]
    ]


@pytest.mark.parametrize(("url", "data", "role", "status"), _action_cases())
def test_who_may_do_each_action_and_refusals_change_nothing(entries, url, data, role, status):
    browser = entries.client(role)
    before = snapshot(entries)
    form_url = "/sign-in" if role is None else "/manage/entries/new"
    response = browser.post(url, data(entries), status or 302, form_url=form_url)
    if role is None:
        assert response.headers["Location"].startswith("/sign-in?next=")
    if status in (None, 403, 404):
        assert snapshot(entries) == before
    else:
        assert snapshot(entries) != before or url.endswith("/submit")


def test_a_post_without_its_csrf_token_is_refused(entries):
    editor = entries.client("editor")
    before = snapshot(entries)
    response = editor.client.post(
        f"{DRAFT}/about", data={"lock_version": _lock(entries), "title": "No token"}
    )
    assert response.status_code == 400
    assert snapshot(entries) == before


def test_an_unknown_reference_is_not_found_even_for_administrators(entries):
    entries.client("admin").get("/manage/entries/AIR-99999", 404)
