"""Email alerts without an account: asking, confirming (double opt-in), and leaving."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from register.extensions import db, limiter
from register.models import AlertSubscription

from .alerts_world import (
    ORGANISATION,
    ask,
    confirm_link,
    links_in,
    now,
    path_of,
    press_button,
    subscriptions,
)
from .emails import emptied_outbox, outbox_rows
from .manage_world import WORLD, form_data, messages
from .pages import check_page

world = WORLD


def test_the_listing_and_organisation_pages_link_to_alerts_about_what_they_show(world):
    world.entry("published")
    visitor = world.client(None)
    page = visitor.get("/entries?status=in_use")
    link = page.find("a", string="Get emails about these entries")
    assert link["href"] == "/alerts/subscribe?status=in_use"
    page = visitor.get(f"/organisations/{ORGANISATION}")
    link = page.find("a", string="Get emails about these entries")
    assert link["href"] == f"/alerts/subscribe?organisation={ORGANISATION}"


def test_the_subscribe_page_says_what_the_search_covers_and_sets_no_cookie(world):
    world.entry("published")
    response = world.client(None).client.get(
        f"/alerts/subscribe?organisation={ORGANISATION}&q=benefit+fraud&page=3"
    )
    assert "Set-Cookie" not in response.headers
    page = check_page(response)
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    assert rows == {"Words": "benefit fraud", "Organisation": "Northshire County Council"}
    legend = page.select_one("fieldset legend").get_text(strip=True)
    assert legend == "How often do you want emails?"


def test_a_wrong_email_or_no_frequency_is_shown_next_to_the_field_and_nothing_is_kept(world):
    emails = emptied_outbox(world.app)
    response = ask(world, f"organisation={ORGANISATION}", email="not an address", frequency="")
    assert response.status_code == 200
    page = check_page(response)
    assert messages(page) == [
        "Enter an email address in the correct format, like name@example.com",
        "Select how often you want emails",
    ]
    assert page.title.get_text().startswith("Error: ")
    assert "correct format" in page.select_one("#email-error").get_text()
    assert "how often" in page.select_one("#frequency-error").get_text()
    response = ask(world, f"organisation={ORGANISATION}", email="", frequency="hourly")
    assert messages(check_page(response)) == [
        "Enter your email address",
        "Select how often you want emails",
    ]
    assert subscriptions(world) == []
    assert list(emails) == []


def test_asking_sends_a_confirmation_through_the_outbox_and_keeps_nothing_confirmed(world):
    emails = emptied_outbox(world.app)
    response = ask(world, f"organisation={ORGANISATION}&sort=title", email="Reader@Example.com")
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers
    page = world.client(None).get(response.headers["Location"])
    assert page.h1.get_text(strip=True) == "Check your email"
    [row] = outbox_rows(world.app)
    assert row.recipient == "reader@example.com"
    assert "reader" not in (row.sealed_body or "")  # the body is sealed
    [message] = emails
    assert message.subject == "Confirm your email alerts"
    assert "Organisation: Northshire County Council" in message.body
    assert "/alerts/confirm/" in confirm_link(message)
    assert subscriptions(world) == [
        {
            "email": "reader@example.com",
            "search": f"organisation={ORGANISATION}",
            "frequency": "daily",
            "confirmed": False,
        }
    ]


def test_the_confirmation_link_shows_a_button_and_works_once(world):
    emails = emptied_outbox(world.app)
    ask(world, f"organisation={ORGANISATION}")
    path = path_of(confirm_link(emails[0]))
    page = world.client(None).get(path)
    assert page.h1.get_text(strip=True) == "Confirm your email alerts"
    assert subscriptions(world)[0]["confirmed"] is False  # fetching confirms nothing
    response = press_button(world, path)
    assert response.status_code == 200
    assert check_page(response).h1.get_text(strip=True) == "Your email alerts are confirmed"
    assert subscriptions(world)[0]["confirmed"] is True
    again = world.client(None).get(path, 404)
    assert again.h1.get_text(strip=True) == "This link has already been used"


def test_asking_again_sends_a_fresh_link_not_a_second_subscription(world):
    emails = emptied_outbox(world.app)
    ask(world, f"organisation={ORGANISATION}", frequency="daily")
    ask(world, f"organisation={ORGANISATION}", frequency="weekly")
    first, second = emails
    assert len(subscriptions(world)) == 1
    assert world.client(None).get(path_of(confirm_link(first)), 404).h1.get_text(strip=True) == (
        "This link has already been used"
    )
    press_button(world, path_of(confirm_link(second)))
    assert subscriptions(world)[0]["frequency"] == "weekly"
    # Asked again once confirmed: the same page, and a link; still one subscription.
    response = ask(world, f"organisation={ORGANISATION}", frequency="daily")
    assert response.headers["Location"] == "/alerts/check-your-email"
    assert len(emails) == 3
    assert [row["frequency"] for row in subscriptions(world)] == ["weekly"]


def test_an_expired_or_forged_confirmation_link_gets_a_clear_page(world, monkeypatch):
    emails = emptied_outbox(world.app)
    ask(world, f"organisation={ORGANISATION}")
    path = path_of(confirm_link(emails[0]))
    forged = path[:-6] + ("AAAAAA" if not path.endswith("AAAAAA") else "BBBBBB")
    page = world.client(None).get(forged, 404)
    assert page.h1.get_text(strip=True) == "This link is not working"
    # Eight days later, as the register's clock and the link's signature see it.
    later = now() + timedelta(days=8)
    monkeypatch.setattr("register.views.alerts._now", lambda: later)
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later.timestamp())
    page = world.client(None).get(path, 404)
    assert page.h1.get_text(strip=True) == "This link has expired"
    assert subscriptions(world)[0]["confirmed"] is False


def test_unconfirmed_requests_are_deleted_after_a_week(world, runner):
    ask(world, f"organisation={ORGANISATION}", email="old@example.com")
    with world.app.app_context():
        db.session.execute(update(AlertSubscription).values(requested_at=now() - timedelta(days=8)))
        db.session.commit()
    ask(world, f"organisation={ORGANISATION}", email="new@example.com")
    result = runner.invoke(args=["register", "send-alerts"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 never confirmed" in result.output
    assert [row["email"] for row in subscriptions(world)] == ["new@example.com"]


def test_a_forged_subscribe_form_is_refused_and_keeps_nothing(world):
    visitor = world.client(None)
    page = visitor.get(f"/alerts/subscribe?organisation={ORGANISATION}")
    data = {**form_data(page), "email": "a@example.com", "frequency": "daily"}
    for changed in (
        {"csrf_token": "forged"},
        {"search": "q=other"},
    ):
        assert visitor.client.post("/alerts/subscribe", data={**data, **changed}).status_code == 400
    cross_site = {"Sec-Fetch-Site": "cross-site"}
    assert (
        visitor.client.post("/alerts/subscribe", data=data, headers=cross_site).status_code == 400
    )
    assert subscriptions(world) == []


def test_asking_is_rate_limited_per_address(world):
    with world.app.app_context():
        limiter.reset()
    statuses = [
        ask(world, f"organisation={ORGANISATION}", email=f"r{n}@example.com").status_code
        for n in range(6)
    ]
    with world.app.app_context():
        limiter.reset()
    assert statuses == [303] * 5 + [429]


def test_links_in_the_confirmation_come_from_the_registers_own_address(world, monkeypatch):
    monkeypatch.setitem(world.app.config, "REGISTER_BASE_URL", "https://register.example")
    emails = emptied_outbox(world.app)
    visitor = world.client(None)
    page = visitor.get(f"/alerts/subscribe?organisation={ORGANISATION}")
    data = {**form_data(page), "email": "a@example.com", "frequency": "daily"}
    response = visitor.client.post("/alerts/subscribe", data=data, base_url="http://evil.example")
    assert response.status_code == 303
    [message] = emails
    assert links_in(message.body)
    assert all(link.startswith("https://register.example/") for link in links_in(message.body))


def test_the_privacy_notice_says_what_alerts_keep_and_how_to_leave(world):
    page = world.client(None).get("/privacy")
    part = page.select_one("#email-alerts").find_parent("div")
    text = part.get_text(" ", strip=True)
    assert "your email address" in text
    assert "the search you follow" in text
    assert "If you do not follow it within 7 days, we delete your address" in text
    assert "when you use it, we delete your address and the search straight away" in text


def _confirmed(world, email: str = "reader@example.com") -> str:
    """Ask for and confirm alerts about Northshire's entries; the unsubscribe link's path."""
    emails = emptied_outbox(world.app)
    ask(world, f"organisation={ORGANISATION}", email=email)
    [message] = [m for m in emails if m.to == email]
    page = check_page(press_button(world, path_of(confirm_link(message))))
    return page.find("a", string="unsubscribe now")["href"]


def test_one_click_unsubscribe_needs_no_cookie_nor_token_and_can_be_repeated(world, app):
    kept = _confirmed(world, "stays@example.com")
    path = _confirmed(world)
    mail_program = app.test_client(use_cookies=False)
    one_click = {"List-Unsubscribe": "One-Click"}
    response = mail_program.post(path, data=one_click)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert [row["email"] for row in subscriptions(world)] == ["stays@example.com"]
    assert mail_program.post(path, data=one_click).status_code == 200
    assert [row["email"] for row in subscriptions(world)] == ["stays@example.com"]
    assert kept != path


def test_a_post_without_the_one_click_body_or_with_a_forged_link_changes_nothing(world, app):
    path = _confirmed(world)
    mail_program = app.test_client(use_cookies=False)
    assert mail_program.post(path, data={}).status_code == 400
    assert mail_program.post(path, data={"List-Unsubscribe": "Yes"}).status_code == 400
    forged = path[:-4] + ("AAAA" if not path.endswith("AAAA") else "BBBB")
    response = mail_program.post(forged, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 404
    assert len(subscriptions(world)) == 1


def test_fetching_the_unsubscribe_link_shows_a_button_and_unsubscribes_nobody(world):
    path = _confirmed(world)
    page = world.client(None).get(path)
    assert page.h1.get_text(strip=True) == "Your email alerts"
    assert page.select_one("main form button").get_text(strip=True) == "Unsubscribe"
    assert len(subscriptions(world)) == 1
    response = press_button(world, path)
    assert response.status_code == 303
    done = world.client(None).get(response.headers["Location"])
    assert done.h1.get_text(strip=True) == "You have unsubscribed"
    assert subscriptions(world) == []
    # The link again, once gone: the same answer, not an error.
    assert world.client(None).get(path).h1.get_text(strip=True) == "You have unsubscribed"


def test_the_unsubscribe_button_refuses_a_form_from_another_site(world):
    path = _confirmed(world)
    visitor = world.client(None)
    page = visitor.get(path)
    form = page.select_one("main form[method=post]")
    data = form_data(page)
    response = visitor.client.post(
        form["action"], data=data, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 400
    response = visitor.client.post(form["action"], data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert len(subscriptions(world)) == 1


def test_asking_on_a_welsh_page_sends_the_confirmation_in_welsh(world):
    emails = emptied_outbox(world.app)
    visitor = world.client(None)
    page = visitor.get("/cy/alerts/subscribe?published=2026-03")
    assert page.find("html")["lang"] == "cy"
    assert "Mawrth 2026" in page.get_text()
    data = {**form_data(page), "email": "reader@example.com", "frequency": "daily"}
    assert visitor.client.post("/cy/alerts/subscribe", data=data).status_code == 303
    [message] = emails
    assert message.subject == "Cadarnhewch eich hysbysiadau e-bost"
    assert "Mawrth 2026" in message.body
    assert "March" not in message.body
    assert "/cy/alerts/confirm/" in message.body
