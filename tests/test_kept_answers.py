"""Answers typed before the session ended are never lost, and the session's end is announced.

A form sent after the session ended (idle too long, signed out in another tab or on another
device) saves nothing: its answers are kept for the person who sent it, on that browser, and
come back in the form once they sign in again; nobody else ever sees them. Every signed-in
page says when its session ends and offers "Stay signed in".

The browser forgets a session cookie once it expires, and sends no cookie from a form another
site makes it send; the tests do the same, and say, as browsers do, that the form came from
this site (Sec-Fetch-Site).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from register import kept_answers, second_factor
from register.extensions import db
from register.models import KeptAnswers
from register.sealing import seal
from register.views.session_end import GIVEN_BACK, KEPT, PERSON_COOKIE
from register.views.session_end import PURPOSE as PERSON_COOKIE_PURPOSE

from .conftest import TEST_PASSWORD, ClientRequest
from .manage_world import PEOPLE, WORLD, banner, form_data, messages

world = WORLD

PURPOSE = "/manage/entries/AIR-00001/purpose"
SIGN_IN_AGAIN = f"/sign-in?next={PURPOSE}"
SAME_SITE = {"Sec-Fetch-Site": "same-origin"}
TYPED = {
    "purpose": "Sorting pothole reports by how urgent they are",
    "benefits": "Repairs reach the worst roads first",
}


def typed_into_purpose(browser: ClientRequest) -> dict:
    """The Purpose form as the browser shows it, with the person's new answers typed in."""
    return {**form_data(browser.get(PURPOSE)), **TYPED, "save_as_draft": "Save as draft"}


def send(browser: ClientRequest, data: dict, url: str = PURPOSE, headers: dict | None = None):
    return browser.client.post(url, data=data, headers=SAME_SITE if headers is None else headers)


def idle_too_long(browser: ClientRequest) -> None:
    """What the browser does once the session cookie's time is up: it stops sending it."""
    browser.client.delete_cookie("session")


def sign_in_through(browser: ClientRequest, who: str, url: str = "/sign-in") -> str:
    """Sign in on `browser` through the real form; where it goes next."""
    response = browser.post(url, {"email": PEOPLE[who][0], "password": TEST_PASSWORD}, 302)
    return response.headers["Location"]


def kept_rows(world) -> int:
    with world.app.app_context():
        return db.session.scalar(select(func.count()).select_from(KeptAnswers))


def test_answers_sent_after_the_session_went_idle_come_back_after_signing_in(world):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)

    response = send(editor, typed)
    assert response.status_code == 302
    assert response.headers["Location"] == SIGN_IN_AGAIN
    page = editor.get(SIGN_IN_AGAIN)
    assert KEPT in banner(page)
    assert world.draft_values("AIR-00001")["purpose"] is None  # nothing saved

    assert sign_in_through(editor, "editor", SIGN_IN_AGAIN) == PURPOSE
    page = editor.get(PURPOSE)
    assert GIVEN_BACK in banner(page)
    assert page.select_one("#purpose").get_text() == TYPED["purpose"]
    assert page.select_one("#benefits").get_text() == TYPED["benefits"]
    # Put back into the form, not saved: the person checks them and saves.
    assert world.draft_values("AIR-00001")["purpose"] is None

    editor.post(PURPOSE, {**form_data(page), "save_as_draft": "y"}, 302)
    assert world.draft_values("AIR-00001")["purpose"] == TYPED["purpose"]
    # Handed back once: opening the form again shows what is saved, without the banner.
    page = editor.get(PURPOSE)
    assert GIVEN_BACK not in banner(page)
    assert kept_rows(world) == 0


def test_answers_kept_on_a_welsh_page_come_back_to_the_welsh_page(world):
    world.entry()
    editor = world.client("editor")
    welsh_form = "/cy" + PURPOSE
    typed = {**form_data(editor.get(welsh_form)), **TYPED, "save_as_draft": "y"}
    idle_too_long(editor)

    response = send(editor, typed, url=welsh_form)
    assert response.headers["Location"] == f"/cy/sign-in?next={welsh_form}"
    assert sign_in_through(editor, "editor", response.headers["Location"]) == welsh_form
    page = editor.get(welsh_form)
    assert page.select_one("html")["lang"] == "cy"
    assert page.select_one("#purpose").get_text() == TYPED["purpose"]


def test_answers_sent_after_signing_out_in_another_tab_come_back_after_signing_in(world):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    editor.post("/sign-out", {}, 302)  # the other tab shares the browser's cookies

    response = send(editor, typed)
    assert response.headers["Location"] == SIGN_IN_AGAIN
    assert world.draft_values("AIR-00001")["purpose"] is None

    assert sign_in_through(editor, "editor", SIGN_IN_AGAIN) == PURPOSE
    page = editor.get(PURPOSE)
    assert GIVEN_BACK in banner(page)
    assert page.select_one("#purpose").get_text() == TYPED["purpose"]


def test_answers_sent_after_signing_out_on_another_device_come_back(world):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    elsewhere = ClientRequest(world.app.test_client())
    sign_in_through(elsewhere, "editor")
    elsewhere.post("/sign-out", {}, 302)  # which ends every session of the person

    assert send(editor, typed).headers["Location"] == SIGN_IN_AGAIN
    sign_in_through(editor, "editor")
    page = editor.get(PURPOSE)
    assert page.select_one("#purpose").get_text() == TYPED["purpose"]


def test_signing_in_without_the_forms_address_still_leads_back_to_the_kept_answers(world):
    """Someone who pressed Back, or opened the sign-in page afresh, lands on the form."""
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    send(editor, typed)
    assert sign_in_through(editor, "editor") == PURPOSE
    assert editor.get(PURPOSE).select_one("#purpose").get_text() == TYPED["purpose"]


def test_a_row_form_sent_after_the_session_ended_comes_back_too(world):
    world.entry()
    editor = world.client("editor")
    add_risk = "/manage/entries/AIR-00001/risks/add"
    typed = {**form_data(editor.get(add_risk)), "name": "Unfair triage"}
    idle_too_long(editor)
    assert send(editor, typed, add_risk).status_code == 302
    assert sign_in_through(editor, "editor") == add_risk
    page = editor.get(add_risk)
    assert GIVEN_BACK in banner(page)
    assert page.select_one("#name")["value"] == "Unfair triage"
    assert world.draft_rows("AIR-00001")["risks"] == []


def test_someone_else_signing_in_on_that_browser_never_sees_the_kept_answers(world):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    send(editor, typed)

    assert sign_in_through(editor, "publisher") == "/manage"
    page = editor.get(PURPOSE)
    assert GIVEN_BACK not in banner(page)
    assert TYPED["purpose"] not in page.get_text()
    # The editor elsewhere does not get them either: they were kept for that browser.
    other_browser = ClientRequest(world.app.test_client())
    sign_in_through(other_browser, "editor")
    assert TYPED["purpose"] not in other_browser.get(PURPOSE).get_text()


def test_kept_answers_are_forgotten_when_their_time_is_up(world, monkeypatch):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    monkeypatch.setitem(world.app.config, "KEPT_ANSWERS_HOURS", 0)
    send(editor, typed)
    sign_in_through(editor, "editor")
    page = editor.get(PURPOSE)
    assert GIVEN_BACK not in banner(page)
    assert TYPED["purpose"] not in page.get_text()


def test_expired_answers_are_deleted_when_anything_is_kept_or_handed_back(app_context, world):
    editor = world.user("editor")
    long_ago = datetime.now(UTC) - timedelta(days=2)
    kept_answers.keep(
        editor.id, "browser", "/old", [("a", "b")], now=long_ago, hours=24, most_characters=99
    )
    now = datetime.now(UTC)
    assert kept_answers.take_back(editor.id, "browser", "/old", now=now) is None
    kept_answers.keep(
        editor.id, "browser", "/new", [("a", "b")], now=now, hours=24, most_characters=99
    )
    assert db.session.scalars(select(KeptAnswers.path)).all() == ["/new"]
    assert kept_answers.take_back(editor.id, "browser", "/new", now=now) == [("a", "b")]
    assert db.session.scalar(select(func.count()).select_from(KeptAnswers)) == 0


def test_kept_answers_are_stored_encrypted(app_context, world):
    editor = world.user("editor")
    secret = "The supplier's name, not yet public"
    now = datetime.now(UTC)
    kept_answers.keep(
        editor.id, "browser", "/form", [("x", secret)], now=now, hours=1, most_characters=999
    )
    row = db.session.scalar(select(KeptAnswers))
    assert secret not in row.sealed_answers
    assert row.browser != "browser"


def test_a_person_has_a_limited_number_of_forms_kept(app_context, world):
    editor = world.user("editor")
    now = datetime.now(UTC)
    for number in range(kept_answers.MOST_PER_PERSON + 3):
        kept_answers.keep(
            editor.id,
            "browser",
            f"/form/{number}",
            [("a", "b")],
            now=now + timedelta(seconds=number),
            hours=1,
            most_characters=99,
        )
    assert db.session.scalar(select(func.count()).select_from(KeptAnswers)) == (
        kept_answers.MOST_PER_PERSON
    )
    assert kept_answers.take_back(editor.id, "browser", "/form/0", now=now) is None


def test_answers_too_long_to_keep_are_refused_with_a_reason_and_nothing_kept(world):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    limit = world.app.config["KEPT_ANSWERS_MAX_CHARACTERS"]
    response = send(editor, {**typed, "purpose": "x" * limit})
    assert response.headers["Location"] == "/sign-in"
    assert "Your answers were too long to keep." in banner(editor.get("/sign-in"))
    assert kept_rows(world) == 0


@pytest.mark.parametrize(
    "garbage",
    [
        {f"field-{number}": "x" for number in range(kept_answers.MOST_FIELDS + 1)},
        {"purpose": "nul\x00character"},
    ],
    ids=["too many fields", "a NUL character"],
)
def test_a_garbage_form_is_refused_cleanly_and_nothing_kept(world, garbage):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    response = send(editor, {**typed, **garbage})
    assert response.status_code in (302, 400)
    assert kept_rows(world) == 0


def test_a_form_larger_than_any_page_sends_is_refused_and_nothing_kept(world):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    response = send(editor, {**typed, "purpose": "x" * 600_000})
    assert response.status_code in (302, 413)
    assert kept_rows(world) == 0


@pytest.mark.parametrize(
    "change",
    ["sent from another site", "no cookie naming the person", "a forged cookie"],
)
def test_a_form_the_register_cannot_trace_to_its_sender_is_refused_and_kept_nowhere(world, change):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    headers = SAME_SITE
    if change == "sent from another site":
        headers = {"Sec-Fetch-Site": "cross-site"}
    elif change == "no cookie naming the person":
        editor.client.delete_cookie(PERSON_COOKIE)
    else:
        editor.client.set_cookie(PERSON_COOKIE, "gAAAAABforged")
    response = send(editor, typed, headers=headers)
    assert response.status_code == 400  # the CSRF check, as for any forged form
    assert kept_rows(world) == 0


def test_a_form_of_another_kind_sent_after_the_session_ended_changes_nothing(world):
    world.entry()
    editor = world.client("editor")
    token = editor.csrf_token()
    editor.post("/sign-out", {}, 302)
    response = send(editor, {"csrf_token": token}, "/manage/entries/AIR-00001/submit")
    assert response.status_code == 302
    assert world.state("AIR-00001") == "draft"
    assert kept_rows(world) == 0


def test_a_form_sent_with_a_stale_token_after_signing_in_again_comes_back_to_its_page(world):
    """Signed out in one tab and in again in another, the first tab's form carries the old
    session's CSRF token: refused by the check, its answers go back into the form."""
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    editor.post("/sign-out", {}, 302)
    sign_in_through(editor, "editor")
    response = send(editor, typed)
    assert response.headers["Location"] == PURPOSE
    page = editor.get(PURPOSE)
    assert GIVEN_BACK in banner(page)
    assert page.select_one("#purpose").get_text() == TYPED["purpose"]
    assert world.draft_values("AIR-00001")["purpose"] is None


def test_kept_answers_meet_the_usual_lock_rules_when_saved(world):
    """Someone else saved the section meanwhile: saving the kept answers shows the clash
    rather than overwriting their change."""
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    send(editor, typed)
    world.client("publisher").post(
        PURPOSE,
        {
            "lock_version": world.lock_version("AIR-00001"),
            "purpose": "Theirs",
            "save_as_draft": "y",
        },
        302,
    )
    sign_in_through(editor, "editor")
    page = editor.get(PURPOSE)
    page = editor.post_page(PURPOSE, {**form_data(page), "save_as_draft": "y"})
    assert messages(page)
    assert world.draft_values("AIR-00001")["purpose"] == "Theirs"


def test_answers_come_back_after_the_second_factor_step(world):
    world.entry(author="second_publisher")
    browser = ClientRequest(world.app.test_client())
    sign_in_through(browser, "second_publisher")
    with world.app.app_context():
        secret = second_factor.new_secret()
        second_factor.turn_on(world.user("second_publisher"), secret, pyotp.TOTP(secret).now())
    typed = typed_into_purpose(browser)
    idle_too_long(browser)
    assert send(browser, typed).headers["Location"] == SIGN_IN_AGAIN

    code_step = sign_in_through(browser, "second_publisher", SIGN_IN_AGAIN)
    assert code_step.startswith("/sign-in/code")
    response = browser.post(code_step, {"code": _next_code(world, secret)}, 302)
    assert response.headers["Location"] == PURPOSE
    page = browser.get(PURPOSE)
    assert GIVEN_BACK in banner(page)
    assert page.select_one("#purpose").get_text() == TYPED["purpose"]


def _next_code(world, secret: str) -> str:
    """A code the authenticator app shows, one not used yet."""
    with world.app.app_context():
        used = world.user("second_publisher").totp_last_step or 0
    totp = pyotp.TOTP(secret)
    return totp.generate_otp(max(totp.timecode(datetime.now(UTC)), used + 1))


# The session's end, announced ---------------------------------------------------------------


def test_every_signed_in_page_says_when_the_session_ends_and_offers_to_stay(world):
    world.entry()
    editor = world.client("editor")
    page = editor.get(PURPOSE)
    notice = page.select_one("#session-end")
    idle = int(world.app.permanent_session_lifetime.total_seconds())
    assert idle - 5 <= int(notice["data-seconds-left"]) <= idle
    assert notice["data-warn-before"] == str(world.app.config["SESSION_WARNING_SECONDS"])
    assert "you will be signed out after 30 minutes without using the register" in (
        notice.get_text(" ", strip=True)
    )
    form = notice.select_one("form[data-stay-signed-in]")
    assert form["action"] == "/stay-signed-in"
    assert form.select_one("input[name=next]")["value"] == PURPOSE
    assert form.select_one("button").get_text(strip=True) == "Stay signed in"
    # The dialog the script opens: named by its heading, described by what is read out.
    dialog = notice.select_one("dialog")
    assert dialog.select_one(f"#{dialog['aria-labelledby']}").get_text() == (
        "You’re about to be signed out"
    )
    assert dialog.select_one(f"#{dialog['aria-describedby']}")["aria-live"] == "polite"
    assert [b.get_text(strip=True) for b in dialog.select("button")] == [
        "Stay signed in",
        "Go back to the page",
        "Sign out",
    ]
    script = page.select_one("script[src$='js/session-timeout.js']")
    assert script["type"] == "module"


def test_visitors_pages_say_nothing_about_a_session(world):
    page = world.client(None).get("/")
    assert page.select_one("#session-end") is None
    assert page.select_one("script[src$='js/session-timeout.js']") is None


def test_stay_signed_in_without_javascript_returns_to_the_page(world):
    world.entry()
    editor = world.client("editor")
    page = editor.get(PURPOSE)
    form = page.select_one("form[data-stay-signed-in]")
    data = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
    response = editor.post("/stay-signed-in", data, 302)
    assert response.headers["Location"] == PURPOSE
    assert "You are still signed in." in banner(editor.get(PURPOSE))


def test_stay_signed_in_goes_only_to_a_page_of_this_site(world):
    editor = world.client("editor")
    response = editor.post("/stay-signed-in", {"next": "//evil.example/"}, 302)
    assert response.headers["Location"] == "/manage"


def test_stay_signed_in_from_the_dialog_answers_with_the_sessions_new_end(world):
    editor = world.client("editor")
    response = editor.client.post(
        "/stay-signed-in",
        data={"csrf_token": editor.csrf_token()},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["signedIn"] is True
    assert answer["canStay"] is True
    assert answer["secondsLeft"] > 60
    assert answer["endsAt"].endswith("UTC")


def test_stay_signed_in_needs_the_sessions_csrf_token(world):
    editor = world.client("editor")
    response = editor.client.post(
        "/stay-signed-in", data={"csrf_token": "forged"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400


def test_stay_signed_in_after_the_session_ended_says_so(world):
    visitor = world.client(None)
    token = visitor.csrf_token("/sign-in")
    response = visitor.client.post(
        "/stay-signed-in", data={"csrf_token": token}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 401
    assert response.get_json() == {"signedIn": False}


def test_near_the_absolute_limit_the_page_says_staying_active_will_not_help(world):
    editor = world.client("editor")
    with editor.client.session_transaction() as session:
        session["signed_in_at"] = int(datetime.now(UTC).timestamp()) - 12 * 3600 + 600
    notice = editor.get("/manage").select_one("#session-end")
    assert notice["data-can-stay"] == "false"
    assert 500 < int(notice["data-seconds-left"]) <= 600
    assert "12 hours after you signed in" in notice.get_text()
    assert notice.select_one("form[data-stay-signed-in]") is None


def test_the_daily_command_deletes_kept_answers_past_their_time(app, world, runner):
    with app.app_context():
        editor = world.user("editor")
        now = datetime.now(UTC)
        kept_answers.keep(editor.id, "b", "/new", [("a", "b")], now=now, hours=1, most_characters=9)
        for path in ("/old", "/older"):
            kept_answers.keep(
                editor.id,
                "b",
                path,
                [("a", "b")],
                now=now - timedelta(days=2),
                hours=1,
                most_characters=9,
            )
    result = runner.invoke(args=["register", "send-reminders"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 forms' answers kept after sessions ended" in result.output
    assert kept_rows(world) == 1


def test_the_privacy_notice_names_the_cookie_that_keeps_answers_for_their_sender(world):
    text = world.client(None).get("/privacy").main.get_text(" ", strip=True)
    assert "We use two cookies" in text
    assert f"{PERSON_COOKIE} Remembers who signed in on this browser" in text


def test_a_cookie_naming_an_account_that_is_gone_keeps_nothing_and_fails_cleanly(world):
    world.entry()
    editor = world.client("editor")
    typed = typed_into_purpose(editor)
    idle_too_long(editor)
    with world.app.app_context():
        gone = seal(json.dumps({"user": 9999, "browser": "token"}), PERSON_COOKIE_PURPOSE)
    editor.client.set_cookie(PERSON_COOKIE, gone)
    response = send(editor, typed)
    assert response.headers["Location"] == "/sign-in"
    assert "Your account can no longer sign in." in banner(editor.get("/sign-in"))
    assert kept_rows(world) == 0
