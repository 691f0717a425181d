"""API tokens: made and revoked by an organisation's publishers in the register, shown once,
stored only as a hash, and working only while their maker could still make them."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from register import api_tokens
from register.extensions import db
from register.models import ApiToken, AuditEvent, Membership

from .manage_world import WORLD, banner, messages
from .pages import check_page
from .submission_world import SUBMISSIONS, Api, error_fields, make_token

world = WORLD

TOKENS = "/manage/organisations/northshire-county-council/api-tokens"


def stored_tokens(world) -> list[ApiToken]:
    with world.app.app_context():
        tokens = list(db.session.scalars(select(ApiToken).order_by(ApiToken.id)))
        db.session.expunge_all()
        return tokens


def create_in_register(world, who: str = "publisher", name: str = "Case system") -> str:
    """Create a token through the management page; the secret the page shows."""
    response = world.client(who).post(TOKENS, {"name": name})
    shown = check_page(response)
    assert response.headers["Cache-Control"] == "no-store"
    return shown.select_one("#token").get_text(strip=True)


def test_a_token_is_shown_once_and_only_its_hash_is_kept(world):
    secret = create_in_register(world)
    assert secret.startswith("air_") and len(secret) > 40
    [token] = stored_tokens(world)
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    assert token.name == "Case system"
    assert secret not in (token.token_hash, token.prefix, token.name)

    listing = world.client("publisher").get(TOKENS)
    assert secret not in str(listing)
    row = [cell.get_text(" ", strip=True) for cell in listing.select("tbody tr td")]
    assert row[:3] == ["Case system", f"{secret[:12]}…", "publisher@ns.example"]
    assert row[4:6] == ["Never", "Active"]

    assert Api(world, secret).get(SUBMISSIONS).status_code == 200
    used = world.client("publisher").get(TOKENS).select("tbody tr td")[4].get_text(strip=True)
    assert used.endswith("UTC")


def test_a_token_needs_a_name(world):
    page = world.client("publisher").post_page(TOKENS, {"name": "  "})
    assert messages(page) == ["Enter a name for the token, in 100 characters or fewer"]
    page = world.client("publisher").post_page(TOKENS, {"name": "x" * 101})
    assert messages(page) == ["Enter a name for the token, in 100 characters or fewer"]
    assert stored_tokens(world) == []


def test_editors_and_other_organisations_cannot_manage_tokens(world):
    make_token(world)
    for who in ("editor", "outside_publisher", "outside_editor"):
        browser = world.client(who)
        browser.get(TOKENS, 403)
        browser.post(TOKENS, {"name": "Mine now"}, 403, form_url="/manage/entries/new")
        browser.post(f"{TOKENS}/1/revoke", {}, 403, form_url="/manage/entries/new")
    assert [(t.name, t.revoked_at) for t in stored_tokens(world)] == [
        ("Case management system", None)
    ]


def test_only_publishers_and_administrators_can_make_or_revoke_tokens(world):
    make_token(world)
    with world.app.app_context():
        organisation = world.organisation()
        for who in ("editor", "outside_publisher"):
            with pytest.raises(api_tokens.TokenError):
                api_tokens.create(organisation, "Sneaky", world.user(who))
            with pytest.raises(api_tokens.TokenError):
                api_tokens.revoke(api_tokens.tokens_of(organisation)[0], world.user(who))
        api_tokens.create(organisation, "By an administrator", world.user("admin"))
    assert len(stored_tokens(world)) == 2
    assert all(token.revoked_at is None for token in stored_tokens(world))


def test_only_publishers_find_token_management_on_their_dashboard(world):
    link = f"a[href='{TOKENS}']"
    assert world.client("publisher").get("/manage").select_one(link)
    assert world.client("editor").get("/manage").select_one(link) is None
    assert world.client("outside_publisher").get("/manage").select_one(link) is None
    # Administrators may manage every organisation's tokens, from its address.
    world.client("admin").get(TOKENS)


def test_a_revoked_token_stops_working_at_once(world):
    secret = make_token(world)
    system = Api(world, secret)
    assert system.get(SUBMISSIONS).status_code == 200
    colleague = world.client("second_publisher")
    confirm = colleague.get(f"{TOKENS}/1/revoke")
    assert "Case management system" in confirm.select_one("h1").get_text()
    response = colleague.post(f"{TOKENS}/1/revoke", {}, 302)
    assert response.headers["Location"] == TOKENS
    refused = system.get(SUBMISSIONS)
    error_fields(refused, 401)
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]

    listing = colleague.get(TOKENS)
    assert "is revoked" in banner(listing)
    status = listing.select("tbody tr td")[5].get_text(strip=True)
    assert status.startswith("Revoked") and status.endswith("by second@ns.example")
    assert not listing.select(f"a[href='{TOKENS}/1/revoke']")
    with world.app.app_context():
        events = db.session.execute(
            select(AuditEvent.action, AuditEvent.detail)
            .where(AuditEvent.action.startswith("api_token"))
            .order_by(AuditEvent.id)
        ).all()
    detail = f"“Case management system”, starting {secret[:12]}"
    assert [tuple(event) for event in events] == [
        ("api_token_created", detail),
        ("api_token_revoked", detail),
    ]


def test_a_token_stops_working_when_its_maker_stops_being_a_publisher(world):
    secret = make_token(world)
    system = Api(world, secret)
    with world.app.app_context():
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == world.user("publisher").id)
        )
        membership.role = "editor"
        db.session.commit()
    error_fields(system.get(SUBMISSIONS), 401)
    with world.app.app_context():
        membership = db.session.scalar(
            select(Membership).where(Membership.user_id == world.user("editor").id)
        )
        membership.role = "publisher"
        db.session.commit()
    editor_now_publisher = Api(world, make_token(world, "editor"))
    assert editor_now_publisher.get(SUBMISSIONS).status_code == 200
    with world.app.app_context():
        world.user("editor").is_active = False
        db.session.commit()
    error_fields(editor_now_publisher.get(SUBMISSIONS), 401)


def test_tokens_of_other_organisations_are_not_found_on_this_ones_pages(world):
    make_token(world, "outside_publisher", "Southvale Police")
    world.client("publisher").get(f"{TOKENS}/1/revoke", 404)
    world.client("publisher").get("/manage/organisations/nowhere/api-tokens", 404)
