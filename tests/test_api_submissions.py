"""The submission API: an organisation's own systems create, change, submit and publish
entries with an API token, under the same rules as the web forms."""

from __future__ import annotations

import pytest

from register.extensions import db
from register.models import Membership

from .factories import publishable_values
from .manage_world import WORLD
from .submission_world import (
    SUBMISSIONS,
    Api,
    allow_self_publishing,
    entry_count,
    error_fields,
    events_of,
    make_token,
)

world = WORLD


@pytest.fixture
def api(world) -> Api:
    """The Northshire publisher's system, with a token of theirs."""
    return Api(world, make_token(world))


def create(api: Api, body: dict) -> dict:
    response = api.post(SUBMISSIONS, body)
    assert response.status_code == 201, response.json
    assert response.headers["Location"] == response.json["links"]["self"]
    return response.json


def test_a_system_creates_updates_submits_and_cannot_publish_its_own_submission(world, api):
    created = create(api, {"title": "Pothole triage", "techniques": ["classical_ml"]})
    reference = created["reference"]
    assert created["state"] == "draft"
    assert created["lock_version"] == 1
    assert created["record"]["title"] == "Pothole triage"
    assert created["record"]["organisation"]["slug"] == "northshire-county-council"
    assert {problem["field"] for problem in created["missing"]} >= {"summary", "purpose"}
    assert created["links"]["submit"].endswith(f"{SUBMISSIONS}/{reference}/submit")
    assert created["links"]["publish"] is None

    body = {**publishable_values(), "risks": [{"name": "Bias", "category": "bias_discrimination"}]}
    replaced = api.put(f"{SUBMISSIONS}/{reference}", {**body, "lock_version": 1})
    assert replaced.status_code == 200, replaced.json
    assert replaced.json["lock_version"] > 1
    assert replaced.json["missing"] == []
    assert replaced.json["record"]["risks"][0]["name"] == "Bias"
    assert world.draft_values(reference)["summary"] == body["summary"]

    submitted = api.post(f"{SUBMISSIONS}/{reference}/submit")
    assert submitted.status_code == 200 and submitted.json["state"] == "in_review"
    assert submitted.json["links"]["publish"]

    refused = api.post(f"{SUBMISSIONS}/{reference}/publish")
    assert error_fields(refused, 403) == {}
    assert "another publisher must review it" in refused.json["error"]["message"]
    assert world.state(reference) == "in_review"


def test_with_self_publishing_allowed_the_system_publishes_and_revises(world, api):
    allow_self_publishing(world)
    reference = create(api, publishable_values())["reference"]
    api.post(f"{SUBMISSIONS}/{reference}/submit")
    published = api.post(f"{SUBMISSIONS}/{reference}/publish")
    assert published.status_code == 200, published.json
    assert published.json["state"] == "published"
    assert published.json["version"] == 1 and published.json["lock_version"] is None
    assert published.json["links"]["public"].endswith(f"/entries/{reference}")
    assert "ETag" not in published.headers

    revision = api.post(f"{SUBMISSIONS}/{reference}/revision")
    assert revision.status_code == 201 and revision.json["state"] == "draft"
    body = {**revision.json["record"], "title": "Pothole triage, second edition"}
    tag = revision.headers["ETag"]
    saved = api.put(f"{SUBMISSIONS}/{reference}", body, headers={"If-Match": tag})
    assert saved.status_code == 200, saved.json
    api.post(f"{SUBMISSIONS}/{reference}/submit")
    without_note = api.post(f"{SUBMISSIONS}/{reference}/publish")
    assert set(error_fields(without_note, 422)) == {"change_note"}
    second = api.post(f"{SUBMISSIONS}/{reference}/publish", {"change_note": "Renamed."})
    assert second.json["version"] == 2
    public = world.client(None).client.get(f"/api/v1/entries/{reference}").json
    assert public["title"] == "Pothole triage, second edition"
    assert public["change_note"] == "Renamed."


def test_another_publisher_publishes_an_api_submission_in_the_register(world, api):
    reference = create(api, publishable_values())["reference"]
    api.post(f"{SUBMISSIONS}/{reference}/submit")

    # The token acts for its creator, who submitted: the register treats it as theirs.
    creator = world.client("publisher")
    waiting = creator.get("/manage").select_one("#waiting").find_next_sibling()
    assert waiting.get_text(strip=True) == "Nothing is waiting for your review."
    review = f"/manage/entries/{reference}/review"
    creator.post(f"{review}/publish", {}, 200, form_url=review)
    assert world.state(reference) == "in_review"

    colleague = world.client("second_publisher")
    waiting = colleague.get("/manage").select_one("#waiting").find_next_sibling()
    assert waiting.select_one(f"a[href='/manage/entries/{reference}']")
    colleague.post(f"{review}/publish", {}, 302, form_url=review)
    assert world.state(reference) == "published"
    assert api.get(f"{SUBMISSIONS}/{reference}").json["state"] == "published"


def test_a_token_reaches_only_its_own_organisations_entries(world, api):
    # Even when the person it acts for is a publisher of the other organisation too.
    with world.app.app_context():
        southvale = world.organisation("Southvale Police")
        db.session.add(
            Membership(user=world.user("publisher"), organisation=southvale, role="publisher")
        )
        db.session.commit()
    theirs = world.entry("draft", organisation="Southvale Police", author="outside_editor")
    published = world.entry("published", organisation="Southvale Police", author="outside_editor")
    ours = world.entry("draft")
    listed = [item["reference"] for item in api.get(SUBMISSIONS).json["submissions"]]
    assert listed == [ours]
    before = (world.draft_values(theirs), world.lock_version(theirs), world.state(published))
    for response in (
        api.get(f"{SUBMISSIONS}/{theirs}"),
        api.put(f"{SUBMISSIONS}/{theirs}", {"title": "Taken over", "lock_version": 1}),
        api.post(f"{SUBMISSIONS}/{theirs}/submit"),
        api.post(f"{SUBMISSIONS}/{published}/revision"),
        api.post(f"{SUBMISSIONS}/{published}/publish"),
    ):
        error_fields(response, 404)
    after = (world.draft_values(theirs), world.lock_version(theirs), world.state(published))
    assert after == before


def test_an_administrators_token_still_reaches_only_its_organisation(world):
    admin = Api(world, make_token(world, "admin", "Southvale Police"))
    northshire = world.entry("draft")
    error_fields(admin.get(f"{SUBMISSIONS}/{northshire}"), 404)
    created = create(admin, {"title": "Custody risk score"})
    assert created["record"]["organisation"]["slug"] == "southvale-police"
    refused = admin.post(SUBMISSIONS, {"title": "Elsewhere", "organisation": {"slug": "x"}})
    assert set(error_fields(refused, 422)) == {"organisation"}


def test_validation_errors_name_each_field_and_nothing_is_written(world, api):
    body = {
        "title": "x" * 121,
        "status": "finished",
        "techniques": "classical_ml",
        "contact_email": "not an address",
        "uses_personal_data": "yes",
        "colour": "blue",
        "reference": "AIR-99999",
        "risks": [{"name": "Bias", "category": "unfairness"}, "Privacy"],
        "data_sources": {"name": "Reports"},
    }
    fields = error_fields(api.post(SUBMISSIONS, body), 422)
    assert set(fields) == {
        "title",
        "status",
        "techniques",
        "contact_email",
        "uses_personal_data",
        "colour",
        "reference",
        "risks-1-category",
        "risks-2",
        "data_sources",
    }
    assert "120 characters" in fields["title"]
    assert "not a field" in fields["colour"]
    assert "kept by the register" in fields["reference"]
    assert entry_count(world) == 0


def test_submitting_an_incomplete_draft_lists_each_missing_answer(world, api):
    risks = [{"category": "privacy_data_protection"}]
    reference = create(api, {"title": "Half done", "risks": risks})["reference"]
    fields = error_fields(api.post(f"{SUBMISSIONS}/{reference}/submit"), 422)
    assert {"summary", "policy_area", "techniques", "risks-1-name"} <= set(fields)
    assert "title" not in fields
    assert fields["policy_area"].startswith("Select")
    assert world.state(reference) == "draft"
    again = api.post(f"{SUBMISSIONS}/{reference}/submit", {"now": True})
    assert set(error_fields(again, 422)) == {"now"}


def test_a_stale_update_is_refused_naming_what_changed_under_it(world, api):
    reference = create(api, {"title": "First", "summary": "One"})["reference"]
    read = api.get(f"{SUBMISSIONS}/{reference}")
    tag = read.headers["ETag"]
    # Another save, meanwhile.
    saved = api.put(f"{SUBMISSIONS}/{reference}", {"title": "Second", "lock_version": 1})
    assert saved.status_code == 200

    stale = api.put(f"{SUBMISSIONS}/{reference}", {"title": "Third", "lock_version": 1})
    # The update replaced the whole record, so the summary is gone from both.
    assert error_fields(stale, 409) == {"title": "Changed since the draft was read"}
    now = world.lock_version(reference)
    assert f"lock_version is now {now}" in stale.json["error"]["message"]
    precondition = api.put(f"{SUBMISSIONS}/{reference}", {"title": "T"}, headers={"If-Match": tag})
    assert set(error_fields(precondition, 412)) == {"title"}
    assert precondition.json["error"]["parameter"] == "If-Match"
    assert precondition.headers["ETag"] != tag
    unsaid = api.put(f"{SUBMISSIONS}/{reference}", {"title": "Third"})
    assert set(error_fields(unsaid, 428)) == {"lock_version"}
    assert world.draft_values(reference)["title"] == "Second"
    assert world.lock_version(reference) == now


def test_a_draft_in_review_cannot_be_replaced(world, api):
    reference = world.entry("in_review")
    refused = api.put(f"{SUBMISSIONS}/{reference}", {"title": "Late", "lock_version": 1})
    assert "waiting for review" in refused.json["error"]["message"]
    error_fields(refused, 409)
    error_fields(api.post(f"{SUBMISSIONS}/{reference}/submit"), 409)
    error_fields(api.post(f"{SUBMISSIONS}/{reference}/revision"), 409)


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (b'{"title": "Unfinished', {"Content-Type": "application/json"}, 400),
        (b'{"title": NaN}', {"Content-Type": "application/json"}, 400),
        (b"\xff\xfe{}", {"Content-Type": "application/json"}, 400),
        (b"[" * 100000 + b"]" * 100000, {"Content-Type": "application/json"}, 400),
        (b'[{"title": "In a list"}]', {"Content-Type": "application/json"}, 400),
        (b'"Just text"', {"Content-Type": "application/json"}, 400),
        (b"title=Form", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
        (b'{"title": "No type"}', {}, 415),
        (b"", {"Content-Type": "application/json"}, 400),
        (b'{"title": "%s"}' % (b"x" * 1100000), {"Content-Type": "application/json"}, 413),
        (b'{"title": "\\ud800"}', {"Content-Type": "application/json"}, 422),
        (b'{"title": "\\u0000"}', {"Content-Type": "application/json"}, 422),
    ],
)
def test_bodies_that_cannot_be_read_are_refused_and_nothing_is_written(
    world, api, body, headers, status
):
    error_fields(api.post(SUBMISSIONS, data=body, headers=headers), status)
    assert entry_count(world) == 0


def test_without_a_working_token_every_address_answers_401(world, api):
    reference = world.entry("draft")
    signed_in = world.client("publisher").client  # a browser with a session cookie
    for response in (
        Api(world, None).get(SUBMISSIONS),
        signed_in.get(SUBMISSIONS),
        signed_in.post(SUBMISSIONS, json={"title": "Through the cookie"}),
        signed_in.put(f"{SUBMISSIONS}/{reference}", json={"title": "X", "lock_version": 1}),
        Api(world, "air_not-a-real-token").get(SUBMISSIONS),
        Api(world, api.token[:-1]).post(SUBMISSIONS, {"title": "Guessing"}),
    ):
        error_fields(response, 401)
        assert response.headers["WWW-Authenticate"].startswith('Bearer realm="register"')
    assert "signed-in session" in signed_in.get(SUBMISSIONS).json["error"]["message"]
    assert entry_count(world) == 1


def test_other_methods_are_refused_with_json_saying_which_are_allowed(world, api):
    reference = world.entry("draft")
    refused = api.client.delete(f"{SUBMISSIONS}/{reference}", headers=api.headers())
    error_fields(refused, 405)
    assert refused.headers["Allow"] == "GET, HEAD, PUT, OPTIONS"
    assert refused.json["error"]["message"] == "This address only answers GET and PUT."
    assert api.get(f"{SUBMISSIONS}/{reference}/submit").headers["Allow"] == "POST, OPTIONS"
    error_fields(api.get(f"{SUBMISSIONS}/{reference}/nothing"), 404)
    assert set(error_fields(api.get(f"{SUBMISSIONS}?state=draft"), 400)) == set()


def test_requests_over_the_rate_limit_get_429_json(world, api, monkeypatch):
    monkeypatch.setitem(world.app.config, "SUBMISSION_API_RATE_LIMIT", "3 per minute")
    for _ in range(3):
        assert api.get(SUBMISSIONS).status_code == 200
    limited = api.get(SUBMISSIONS)
    error_fields(limited, 429)
    assert limited.headers["Retry-After"]
    # Each token has an allowance of its own.
    assert Api(world, make_token(world, name="Another")).get(SUBMISSIONS).status_code == 200


def test_the_audit_log_says_which_token_did_each_step(world, api):
    allow_self_publishing(world)
    reference = create(api, publishable_values())["reference"]
    api.put(f"{SUBMISSIONS}/{reference}", {**publishable_values(), "lock_version": 1})
    api.post(f"{SUBMISSIONS}/{reference}/submit")
    api.post(f"{SUBMISSIONS}/{reference}/publish")
    api.post(f"{SUBMISSIONS}/{reference}/revision")
    through = "Through API token “Case management system”"
    assert events_of(world, reference) == [
        ("created", through),
        ("saved", through),
        ("submitted", through),
        ("published", f"Version 1. {through}"),
        ("revision_started", through),
    ]
    history = world.client("publisher").get(f"/manage/entries/{reference}/history")
    cells = [row.select("td") for row in history.select("tbody tr")]
    assert [cells[0][1].get_text(strip=True), cells[0][5].get_text(strip=True)] == [
        "publisher@ns.example",
        through,
    ]
