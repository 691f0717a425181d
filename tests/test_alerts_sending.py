"""`flask register send-alerts`: what each subscription's email tells, when, and how it
leaves (through the outbox, with RFC 8058 one-click unsubscribe headers)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from register import publishing

from .alerts_world import (
    ORGANISATION,
    ask,
    confirm_link,
    links_in,
    path_of,
    press_button,
    subscriptions,
)
from .emails import emptied_outbox
from .factories import publishable_values
from .manage_world import WORLD
from .public_entries import retire, revise, withdraw

world = WORLD


class _Clock:
    """Moves the command's clock on from now, as cron running later would."""

    def __init__(self, monkeypatch) -> None:
        self.ahead = timedelta(0)
        outer = self

        class Later(datetime):
            @classmethod
            def now(cls, tz=None):
                return datetime.now(tz) + outer.ahead

        monkeypatch.setattr("register.cli.datetime", Later)


@pytest.fixture
def clock(monkeypatch):
    return _Clock(monkeypatch)


def _send(runner) -> str:
    result = runner.invoke(args=["register", "send-alerts"])
    assert result.exit_code == 0, result.output
    return result.output


def _follow(world, search: str, email: str, frequency: str = "daily") -> None:
    emails = emptied_outbox(world.app)
    assert ask(world, search, email=email, frequency=frequency).status_code == 303
    [message] = [m for m in emails if m.to == email]
    press_button(world, path_of(confirm_link(message)))


@pytest.fixture
def register(world):
    """Two entries of Northshire and one of Southvale published before anyone follows."""
    kept = world.entry("published", values=publishable_values(title="Kept triage"))
    revised = world.entry("published", values=publishable_values(title="Revised triage"))
    gone = world.entry("published", values=publishable_values(title="Gone triage"))
    retired = world.entry("published", values=publishable_values(title="Retired triage"))
    elsewhere = world.entry(
        "published",
        values=publishable_values(title="Patrol planner"),
        organisation="Southvale Police",
        author="outside_editor",
    )
    return {
        "kept": kept,
        "revised": revised,
        "gone": gone,
        "retired": retired,
        "elsewhere": elsewhere,
    }


def _revise_elsewhere(world, reference: str) -> None:
    """Publish a second version of Southvale's entry, as its own people would."""
    with world.app.app_context():
        entry = world.load(reference)
        editor = world.user("outside_editor")
        publishing.start_revision(entry, editor)
        values = {"summary": "Plans patrols by reported crime."}
        publishing.save_draft(entry, editor, values, based_on=entry.draft.lock_version)
        publishing.submit(entry, editor)
        publishing.publish(entry, world.user("outside_publisher"), "Updated.")


def _changes(world, entries) -> str:
    """Changes after the subscriptions were confirmed: publish, revise, retire, withdraw in
    Northshire, and a revision in Southvale; the new entry's reference."""
    new = world.entry("published", values=publishable_values(title="New triage"))
    revise(world, entries["revised"], {"summary": "Sorts reports by urgency and cost."})
    retire(world, entries["retired"], "No longer used.")
    withdraw(world, entries["gone"], "Published in error.")
    _revise_elsewhere(world, entries["elsewhere"])
    return new


def test_an_alert_lists_what_changed_among_the_searchs_entries_only(world, register, runner, clock):
    _follow(world, f"organisation={ORGANISATION}", "reader@example.com")
    new = _changes(world, register)
    emails = emptied_outbox(world.app)
    clock.ahead = timedelta(days=1)
    output = _send(runner)
    assert "queued 1 emails" in output
    [message] = emails
    assert message.to == "reader@example.com"
    assert message.subject == "4 changes to entries you follow"
    body = message.body
    assert f"- {new} New triage: published (version 1)" in body
    assert f"- {register['revised']} Revised triage: revised (version 2)" in body
    assert f"- {register['retired']} Retired triage: retired (version 2)" in body
    assert f"- {register['gone']}: withdrawn. The reason: Published in error." in body
    assert "Gone triage" not in body  # a withdrawn entry's answers are no longer public
    assert register["kept"] not in body
    assert register["elsewhere"] not in body
    assert f"http://localhost/entries/{new}" in links_in(body)
    assert f"http://localhost/entries?organisation={ORGANISATION}" in links_in(body)


def test_a_search_with_filters_is_told_only_of_entries_it_finds(world, register, runner, clock):
    _follow(world, "q=patrol", "words@example.com")
    _changes(world, register)
    emails = emptied_outbox(world.app)
    clock.ahead = timedelta(days=1)
    _send(runner)
    [message] = emails
    assert message.subject == "1 change to entries you follow"
    assert f"- {register['elsewhere']} Patrol planner: revised (version 2)" in message.body


def test_the_delivered_alert_carries_one_click_unsubscribe_headers(world, register, runner, clock):
    _follow(world, f"organisation={ORGANISATION}", "reader@example.com")
    _changes(world, register)
    emails = emptied_outbox(world.app)
    clock.ahead = timedelta(days=1)
    _send(runner)
    [message] = emails
    unsubscribe = message.headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://localhost/alerts/unsubscribe/")
    assert unsubscribe.endswith(">")
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in links_in(message.body)


def test_daily_and_weekly_subscriptions_are_told_when_due_and_only_once(
    world, register, runner, clock
):
    _follow(world, f"organisation={ORGANISATION}", "daily@example.com", "daily")
    _follow(world, f"organisation={ORGANISATION}", "weekly@example.com", "weekly")
    _changes(world, register)
    emails = emptied_outbox(world.app)
    clock.ahead = timedelta(hours=12)
    _send(runner)
    assert [m.to for m in emails] == []  # nobody is due yet
    clock.ahead = timedelta(days=1)
    _send(runner)
    _send(runner)  # run twice: nobody is told twice
    assert [m.to for m in emails] == ["daily@example.com"]
    clock.ahead = timedelta(days=7)
    _send(runner)
    _send(runner)
    # The weekly one hears of the week's changes; the daily one had nothing new to hear.
    assert [m.to for m in emails] == ["daily@example.com", "weekly@example.com"]
    assert emails[1].subject == "4 changes to entries you follow"


def test_nothing_changed_sends_nothing_but_moves_the_mark(world, register, runner, clock):
    _follow(world, f"organisation={ORGANISATION}", "reader@example.com")
    emails = emptied_outbox(world.app)
    clock.ahead = timedelta(days=1)
    assert "1 had nothing new" in _send(runner)
    assert list(emails) == []
    assert "0 subscriptions were due" in _send(runner)


def test_unconfirmed_subscriptions_are_told_nothing(world, register, runner, clock):
    ask(world, f"organisation={ORGANISATION}", email="unsure@example.com")
    _changes(world, register)
    emails = emptied_outbox(world.app)
    clock.ahead = timedelta(days=1)
    assert "0 subscriptions were due" in _send(runner)
    assert list(emails) == []
    assert subscriptions(world)[0]["confirmed"] is False


def test_smtp_writes_the_alerts_headers_into_the_message(monkeypatch):
    from register.mail import Message
    from register.mail.transports import SmtpTransport

    sent = []

    class Server:
        def __init__(self, *args, **kwargs) -> None:
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc) -> None:
            return None

        def send_message(self, email) -> None:
            sent.append(email)

    monkeypatch.setattr("register.mail.transports.smtplib.SMTP", Server)
    transport = SmtpTransport(
        {
            "MAIL_SERVER": "mail.example",
            "MAIL_PORT": 25,
            "MAIL_USERNAME": "",
            "MAIL_PASSWORD": "",
            "MAIL_USE_TLS": False,
            "REGISTER_NAME": "Register",
            "MAIL_SENDER": "alerts@register.example",
        }
    )
    headers = {
        "List-Unsubscribe": "<https://register.example/alerts/unsubscribe/abc>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    transport.send(Message("a@example.com", "Subject", "Body\n", "<1@register.example>", headers))
    [email] = sent
    assert email["List-Unsubscribe"] == "<https://register.example/alerts/unsubscribe/abc>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_search_whose_organisation_is_gone_is_told_nothing(world, register, runner, clock):
    from register.extensions import db
    from register.models import AlertSubscription

    from .alerts_world import now

    with world.app.app_context():
        db.session.add(
            AlertSubscription(
                email="gone@example.com",
                search="organisation=no-longer-here",
                frequency="daily",
                confirmed_at=now(),
                told_until=now(),
            )
        )
        db.session.commit()
    _changes(world, register)
    emails = emptied_outbox(world.app)
    clock.ahead = timedelta(days=1)
    assert "1 had nothing new" in _send(runner)
    assert list(emails) == []
