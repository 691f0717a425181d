"""Feedback from the public on an entry page: "Was this entry useful?", reporting a problem,
and everything that must be refused without storing anything."""

from __future__ import annotations

import time

import pytest

from .emails import emptied_outbox
from .feedback_world import report_form, stored, useful_form
from .manage_world import WORLD, messages
from .pages import check_page
from .public_entries import revise, withdraw
from .snapshots import built_once

world = WORLD


def send(visitor, url: str, data: dict, expected_status: int, **kw):
    """Post `data` exactly as given (the feedback forms carry their own token)."""
    response = visitor.client.post(url, data=data, **kw)
    assert response.status_code == expected_status, response.get_data(as_text=True)[:300]
    return response


@pytest.fixture
def entry(world):
    """AIR-00001, published by Northshire County Council; its page, fetched anonymously."""
    built_once(world.app, "one published entry", lambda: world.entry("published"))
    return world


def test_an_entry_page_asks_whether_it_was_useful_and_sets_no_cookie(entry):
    response = entry.client(None).client.get("/entries/AIR-00001")
    assert "Set-Cookie" not in response.headers
    page = entry.client(None).get("/entries/AIR-00001")
    part = page.select_one("#feedback")
    assert part.h2.get_text(strip=True) == "Was this entry useful?"
    buttons = {b.get_text(" ", strip=True): b["value"] for b in part.select("button[name=useful]")}
    assert buttons == {"Yes , this entry was useful": "yes", "No , this entry was not useful": "no"}
    report_link = part.find("a", string="Report a problem with this entry")
    assert report_link["href"] == "/entries/AIR-00001/report-a-problem?version=1"


def test_one_click_records_the_answer_against_the_version_shown(app, entry):
    visitor = entry.client(None)
    data = {**useful_form(visitor, "/entries/AIR-00001"), "useful": "yes"}
    response = visitor.client.post("/entries/AIR-00001/feedback", data=data)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/entries/AIR-00001/feedback/thanks")
    assert "Set-Cookie" not in response.headers
    thanks = visitor.client.get(response.headers["Location"])
    assert "Set-Cookie" not in thanks.headers
    assert "Thank you for your feedback" in thanks.get_data(as_text=True)
    [item] = stored(app)
    assert (item["kind"], item["version"], item["text"]) == ("useful", 1, None)


def test_an_answer_about_an_earlier_version_is_kept_against_that_version(app, entry):
    revise(entry, "AIR-00001", {"title": "Pothole triage"})
    visitor = entry.client(None)
    data = {**useful_form(visitor, "/entries/AIR-00001/versions/1"), "useful": "no"}
    send(visitor, "/entries/AIR-00001/feedback", data, 303)
    [item] = stored(app)
    assert (item["kind"], item["version"]) == ("not_useful", 1)
    thanks = visitor.get("/entries/AIR-00001/feedback/thanks?version=1&answer=no")
    assert thanks.find("a", string="Report a problem with this entry")


def test_a_reported_problem_is_stored_and_emailed_to_the_publishers_only(app, entry):
    outbox = emptied_outbox(app)
    visitor = entry.client(None)
    page = visitor.get("/entries/AIR-00001/report-a-problem?version=1")
    assert page.h1.get_text(strip=True) == "Report a problem with this entry"
    data = {
        **report_form(visitor, "AIR-00001", 1),
        "text": "  The contact address bounces.\r\nPlease fix it.  ",
        "email": "reader@example.org",
    }
    response = visitor.client.post("/entries/AIR-00001/report-a-problem", data=data)
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers
    [item] = stored(app)
    assert item["kind"] == "problem"
    assert item["version"] == 1
    assert item["text"] == "The contact address bounces.\nPlease fix it."
    assert item["email"] == "reader@example.org"
    assert sorted(message.to for message in outbox) == ["publisher@ns.example", "second@ns.example"]
    message = outbox[0]
    assert message.subject == "Problem reported with AIR-00001: Pothole report triage"
    assert "The contact address bounces." in message.body
    assert f"/manage/feedback/{item['id']}" in message.body
    assert "reader@example.org" not in message.body


def test_an_email_address_is_optional(app, entry):
    visitor = entry.client(None)
    data = {**report_form(visitor, "AIR-00001"), "text": "Version 1 names the wrong team."}
    send(visitor, "/entries/AIR-00001/report-a-problem", data, 303)
    assert stored(app)[0]["email"] is None


@pytest.mark.parametrize(
    ("text", "email", "problem"),
    [
        ("", "", "Enter what is wrong with this entry"),
        ("   \r\n  \t ", "", "Enter what is wrong with this entry"),
        ("x" * 2001, "", "What is wrong must be 2000 characters or fewer"),
        (
            "Out of date.",
            "not an address",
            "Enter an email address in the correct format, like name@example.org",
        ),
        (
            "Out of date.",
            "a" * 250 + "@example.org",
            "Email address must be 254 characters or fewer",
        ),
    ],
    ids=["empty", "only-spaces", "too-long", "bad-email", "email-too-long"],
)
def test_bad_input_is_explained_and_stores_nothing(app, entry, text, email, problem):
    outbox = emptied_outbox(app)
    visitor = entry.client(None)
    data = {**report_form(visitor, "AIR-00001"), "text": text, "email": email}
    page = check_page(send(visitor, "/entries/AIR-00001/report-a-problem", data, 200))
    assert messages(page) == [problem]
    assert page.title.get_text(strip=True).startswith("Error: ")
    assert stored(app) == []
    assert outbox == []
    # What they typed is kept, with a fresh token, so they can correct it and send again.
    if text.strip() and len(text) <= 2000:
        assert page.select_one("textarea[name=text]").get_text() == text
    corrected = {**data, "text": "Out of date.", "email": ""}
    corrected["csrf_token"] = page.select_one("input[name=csrf_token]")["value"]
    send(visitor, "/entries/AIR-00001/report-a-problem", corrected, 303)
    assert len(stored(app)) == 1


@pytest.fixture
def two_entries(world):
    def build() -> None:
        world.entry("published")
        world.entry("published")
        revise(world, "AIR-00002", {"title": "Second version"})

    built_once(world.app, "two published entries", build)
    return world


def _tampered(visitor, change: str) -> dict:
    data = report_form(visitor, "AIR-00001")
    other = report_form(visitor, "AIR-00002", 2)
    if change == "other-entry-field":
        data["entry"] = "AIR-00002"
    elif change == "unknown-version":
        data["version"] = "2"
    elif change == "not-a-number":
        data["version"] = "1 OR 1=1"
    elif change == "other-entry-token":
        data["csrf_token"] = other["csrf_token"]
    elif change == "other-entry-everything":
        data.update(entry=other["entry"], version=other["version"])
    elif change == "forged-token":
        data["csrf_token"] = data["csrf_token"][:-4] + "abcd"
    elif change == "no-token":
        del data["csrf_token"]
    return data


TAMPERING = [
    "other-entry-field",
    "unknown-version",
    "not-a-number",
    "other-entry-token",
    "other-entry-everything",
    "forged-token",
    "no-token",
]


@pytest.mark.parametrize("change", TAMPERING)
def test_a_tampered_report_is_refused_and_stores_nothing(app, two_entries, change):
    outbox = emptied_outbox(app)
    visitor = two_entries.client(None)
    data = {**_tampered(visitor, change), "text": "Out of date."}
    send(visitor, "/entries/AIR-00001/report-a-problem", data, 400)
    assert stored(app) == []
    assert outbox == []


@pytest.mark.parametrize("change", TAMPERING)
def test_a_tampered_answer_is_refused_and_stores_nothing(app, two_entries, change):
    visitor = two_entries.client(None)
    data = {**_tampered(visitor, change), "useful": "yes"}
    send(visitor, "/entries/AIR-00001/feedback", data, 400)
    assert stored(app) == []


def test_an_answer_other_than_yes_or_no_is_refused(app, entry):
    visitor = entry.client(None)
    data = {**useful_form(visitor, "/entries/AIR-00001"), "useful": "maybe"}
    send(visitor, "/entries/AIR-00001/feedback", data, 400)
    assert stored(app) == []


@pytest.mark.parametrize(
    "headers",
    [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://elsewhere.example"}],
    ids=["sec-fetch-site", "origin"],
)
def test_a_form_sent_from_another_site_is_refused(app, entry, headers):
    visitor = entry.client(None)
    data = {**useful_form(visitor, "/entries/AIR-00001"), "useful": "yes"}
    response = visitor.client.post("/entries/AIR-00001/feedback", data=data, headers=headers)
    assert response.status_code == 400
    assert stored(app) == []


def test_a_form_from_the_register_itself_is_accepted_with_the_browser_headers(app, entry):
    visitor = entry.client(None)
    data = {**useful_form(visitor, "/entries/AIR-00001"), "useful": "yes"}
    headers = {"Sec-Fetch-Site": "same-origin", "Origin": "null"}
    response = visitor.client.post("/entries/AIR-00001/feedback", data=data, headers=headers)
    assert response.status_code == 303
    assert len(stored(app)) == 1


def test_a_form_left_open_too_long_is_refused_and_can_be_sent_again(app, entry, monkeypatch):
    visitor = entry.client(None)
    data = {**report_form(visitor, "AIR-00001"), "text": "Out of date."}
    later = time.time() + 2 * 24 * 60 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    page = check_page(send(visitor, "/entries/AIR-00001/report-a-problem", data, 200))
    assert messages(page) == [
        "This page was open for a long time, so your report was not sent. Send it again."
    ]
    assert stored(app) == []
    data["csrf_token"] = page.select_one("input[name=csrf_token]")["value"]
    send(visitor, "/entries/AIR-00001/report-a-problem", data, 303)
    assert len(stored(app)) == 1


def test_a_robot_filling_the_hidden_field_is_thanked_but_nothing_is_kept(app, entry):
    outbox = emptied_outbox(app)
    visitor = entry.client(None)
    page = visitor.get("/entries/AIR-00001/report-a-problem")
    trap = page.select_one(".register-feedback__trap input[name=website]")
    assert trap is not None and trap["tabindex"] == "-1"
    data = {
        **report_form(visitor, "AIR-00001"),
        "text": "Cheap watches",
        "website": "https://spam.example",
    }
    response = visitor.client.post("/entries/AIR-00001/report-a-problem", data=data)
    assert response.status_code == 303
    assert "/feedback/thanks" in response.headers["Location"]
    vote = {**useful_form(visitor, "/entries/AIR-00001"), "useful": "yes", "website": "x"}
    send(visitor, "/entries/AIR-00001/feedback", vote, 303)
    assert stored(app) == []
    assert outbox == []


@pytest.fixture
def limits(app):
    """Set the feedback rate limits for one test, as FEEDBACK_*RATE_LIMIT would."""
    saved = {
        name: app.config[name] for name in ("FEEDBACK_RATE_LIMIT", "FEEDBACK_ENTRY_RATE_LIMIT")
    }

    def set_limits(per_address: str, per_entry: str) -> None:
        app.config.update(FEEDBACK_RATE_LIMIT=per_address, FEEDBACK_ENTRY_RATE_LIMIT=per_entry)

    yield set_limits
    app.config.update(saved)


def _vote(visitor, reference: str, address: str, expected_status: int) -> None:
    data = {**useful_form(visitor, f"/entries/{reference}"), "useful": "yes"}
    response = visitor.client.post(
        f"/entries/{reference}/feedback", data=data, environ_base={"REMOTE_ADDR": address}
    )
    assert response.status_code == expected_status


def test_one_address_sending_too_much_gets_a_429_and_nothing_more_is_kept(app, world, limits):
    world.entry("published")
    world.entry("published")
    limits("3 per minute", "100 per hour")
    visitor = world.client(None)
    for _ in range(2):
        _vote(visitor, "AIR-00001", "192.0.2.1", 303)
    data = {**report_form(visitor, "AIR-00002"), "text": "Out of date."}
    response = visitor.client.post(
        "/entries/AIR-00002/report-a-problem", data=data, environ_base={"REMOTE_ADDR": "192.0.2.1"}
    )
    assert response.status_code == 303  # the two forms share one allowance
    response = visitor.client.post(
        "/entries/AIR-00002/report-a-problem", data=data, environ_base={"REMOTE_ADDR": "192.0.2.1"}
    )
    assert response.status_code == 429
    assert "too many attempts" in response.get_data(as_text=True)
    _vote(visitor, "AIR-00001", "192.0.2.1", 429)
    assert len(stored(app)) == 3
    _vote(visitor, "AIR-00001", "192.0.2.2", 303)  # someone else is not held up


def test_one_entry_receiving_too_much_gets_a_429_whoever_sends_it(app, world, limits):
    world.entry("published")
    world.entry("published")
    limits("100 per minute", "2 per hour")
    visitor = world.client(None)
    _vote(visitor, "AIR-00001", "192.0.2.1", 303)
    _vote(visitor, "AIR-00001", "192.0.2.2", 303)
    _vote(visitor, "AIR-00001", "192.0.2.3", 429)
    _vote(visitor, "AIR-00002", "192.0.2.3", 303)
    assert len(stored(app)) == 3


def test_reading_the_report_form_is_not_limited(world, limits):
    world.entry("published")
    limits("1 per minute", "1 per hour")
    visitor = world.client(None)
    for _ in range(3):
        visitor.get("/entries/AIR-00001/report-a-problem")


def test_no_feedback_on_a_withdrawn_or_unpublished_entry(app, world):
    world.entry("published")
    visitor = world.client(None)
    data = {**useful_form(visitor, "/entries/AIR-00001"), "useful": "yes"}
    withdraw(world, "AIR-00001", "Published in error.")
    send(visitor, "/entries/AIR-00001/feedback", data, 404)
    world.entry("draft")
    visitor.get("/entries/AIR-00002/report-a-problem", 404)
    assert stored(app) == []


def test_the_report_form_and_its_errors_set_no_cookie(entry):
    visitor = entry.client(None)
    response = visitor.client.get("/entries/AIR-00001/report-a-problem")
    assert "Set-Cookie" not in response.headers
    data = {**report_form(visitor, "AIR-00001"), "text": " "}
    response = send(visitor, "/entries/AIR-00001/report-a-problem", data, 200)
    assert "Set-Cookie" not in response.headers


def test_the_privacy_notice_says_what_feedback_keeps_and_for_how_long(app, client_request):
    text = client_request.get("/privacy").main.get_text(" ", strip=True)
    assert "Feedback on entries" in text
    days = app.config["FEEDBACK_EMAIL_RETENTION_DAYS"]
    assert f"We delete your email address {days} days after your report has been dealt with" in text
    assert "Sending feedback sets no cookie" in text
