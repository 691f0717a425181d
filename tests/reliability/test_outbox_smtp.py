"""Email is never lost, against a real SMTP server on the machine (aiosmtpd on loopback).

- With the server down, a reset, an invitation and a reminder all arrive once it is back,
  each exactly once.
- A server that hangs does not slow any page.
- One refused recipient fails alone, with its reason on the administrators' email page.
- A sender killed (SIGKILL) in the middle of a batch, then run again, repeats at most the
  message it was handing over; `send-email --watch` stops cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from register import create_app, mail
from register.extensions import db
from register.mail.sender import deliver_waiting, retry_delay
from register.mail.transports import SmtpTransport
from register.models import Entry, OutboxMessage

from ..manage_world import WORLD
from .servers import ROOT, free_port, fresh_database, server_environment
from .smtp import Mailbox, silent_server, smtp_server

pytestmark = pytest.mark.reliability
world = WORLD


@pytest.fixture
def mail_settings(app, monkeypatch):
    """The register's mail settings, pointing at a loopback port nothing listens on yet."""
    port = free_port()
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_USERNAME": "",
        "MAIL_TIMEOUT_SECONDS": 5,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return port


def _deliver(app, at: datetime | None = None):
    with app.app_context():
        delivery = deliver_waiting(SmtpTransport(app.config), now=(lambda: at) if at else None)
        db.session.remove()
    return delivery


def _states(app) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.recipient, OutboxMessage.state)).all()
        db.session.remove()
    return dict(rows)


def test_with_the_server_down_every_email_arrives_once_it_is_back(
    app, world, mail_settings, runner
):
    # A reset, an invitation and a review reminder, while the mail server is down.
    world.client(None).post("/forgot-password", {"email": "editor@ns.example"}, 302)
    with app.app_context():
        slug = world.organisation().slug
    world.client("admin").post(
        f"/admin/organisations/{slug}/people/invite",
        {"email": "new.person@ns.example", "role": "editor"},
        302,
    )
    world.entry("published")
    with app.app_context():
        db.session.execute(update(Entry).values(next_review_due=date.today() + timedelta(days=3)))
        db.session.commit()
    assert runner.invoke(args=["register", "send-reminders"]).exit_code == 0
    expected = {"editor@ns.example", "new.person@ns.example", "publisher@ns.example"}
    assert expected <= set(_states(app))
    # Publishing the entry told its author and publishers too: count what each was sent.
    with app.app_context():
        queued = dict(
            db.session.execute(
                select(OutboxMessage.recipient, func.count()).group_by(OutboxMessage.recipient)
            ).all()
        )
        db.session.remove()

    assert _deliver(app).sent == 0  # the server is down: each waits for a retry
    assert set(_states(app).values()) == {"waiting"}

    with smtp_server(mail_settings, Mailbox()) as mailbox:
        later = datetime.now(UTC) + retry_delay(1) + timedelta(seconds=1)
        _deliver(app, at=later)
        _deliver(app, at=later + timedelta(hours=2))  # running again sends nothing twice
    for to, count in queued.items():
        assert mailbox.count(to) == count, to
    by_person: dict[str, list] = {}
    for message in mailbox.received:
        by_person.setdefault(message.to, []).append(message)
    assert any("/reset-password/" in m.body for m in by_person["editor@ns.example"])
    assert any("/invitations/" in m.body for m in by_person["new.person@ns.example"])
    assert any("review" in m.subject for m in by_person["publisher@ns.example"])
    assert set(_states(app).values()) == {"sent"}


def test_a_mail_server_that_hangs_slows_no_page(app, world, mail_settings, monkeypatch):
    with silent_server() as port:
        monkeypatch.setitem(app.config, "MAIL_PORT", port)
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 2)
        with app.app_context():
            slug = world.organisation().slug
        started = time.monotonic()
        world.client(None).post("/forgot-password", {"email": "editor@ns.example"}, 302)
        world.client("admin").post(
            f"/admin/organisations/{slug}/people/invite",
            {"email": "new.person@ns.example", "role": "editor"},
            302,
        )
        # Both pages answered without waiting for the server's 2-second timeout.
        assert time.monotonic() - started < 2
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT_SECONDS", 0.3)
        assert _deliver(app).retrying == 2
    with app.app_context():
        reasons = set(db.session.scalars(select(OutboxMessage.last_error)))
        db.session.remove()
    assert len(reasons) == 1 and "timed out" in reasons.pop()


def test_one_refused_recipient_fails_alone_with_its_reason_shown(app, world, mail_settings):
    refused = "no.such.person@ns.example"
    with app.test_request_context():
        for to in ("first@ns.example", refused, "last@ns.example"):
            mail.queue(to, f"Hello {to}", "Body\n")
        db.session.commit()
    with smtp_server(mail_settings, Mailbox(refuse=(refused,))) as mailbox:
        assert _deliver(app).failed == 1
    assert [message.to for message in mailbox.received] == ["first@ns.example", "last@ns.example"]
    assert _states(app) == {
        "first@ns.example": "sent",
        refused: "failed",
        "last@ns.example": "sent",
    }
    page = world.client("admin").get("/admin/email?state=failed")
    (row,) = page.select("table tbody tr")
    assert row.select_one("td").get_text(strip=True) == refused
    assert "550 5.1.1" in row.get_text() and "Recipient address rejected" in row.get_text()


# A sender in a process of its own ----------------------------------------------------------

MESSAGES = 6
HANDING_OVER = 3


def _sender(environment: dict[str, str], *arguments: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "register", "send-email", *arguments],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.fixture
def outbox_database(tmp_path):
    """A database of its own, and the environment of a sender for it (production settings,
    a mail server on a free loopback port), with MESSAGES emails waiting."""
    port = free_port()
    with fresh_database(tmp_path) as database:
        environment = server_environment(
            database,
            {
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": str(port),
                "MAIL_USE_TLS": "false",
                "MAIL_SENDING_TIMEOUT_SECONDS": "1",
                "MAIL_POLL_SECONDS": "0.2",
            },
        )
        # Queued with the sender's SECRET_KEY, as the register's web pages would.
        app = create_app(
            "testing",
            {"SQLALCHEMY_DATABASE_URI": database.url, "SECRET_KEY": environment["SECRET_KEY"]},
        )
        with app.test_request_context():
            for number in range(1, MESSAGES + 1):
                mail.queue(f"person{number}@ns.example", f"Message {number}", "Body\n")
            db.session.commit()
        yield app, environment, port
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_a_sender_killed_mid_batch_repeats_at_most_the_message_it_was_handing_over(
    outbox_database,
):
    app, environment, port = outbox_database
    with smtp_server(port, Mailbox(stall_at=HANDING_OVER)) as mailbox:
        sender = _sender(environment)
        try:
            assert mailbox.stalled.wait(60), "the sender never reached the stalled message"
        finally:
            os.kill(sender.pid, signal.SIGKILL)
            sender.wait(10)
        mailbox.release.set()
        # The messages it had claimed are taken again once MAIL_SENDING_TIMEOUT_SECONDS pass.
        time.sleep(1.2)
        again = _sender(environment)
        output, _ = again.communicate(timeout=60)
        assert again.returncode == 0, output
    counts = {f"person{n}@ns.example": mailbox.count(f"person{n}@ns.example") for n in range(1, 7)}
    handed_over = f"person{HANDING_OVER}@ns.example"
    assert counts.pop(handed_over) in (1, 2)
    assert set(counts.values()) == {1}, counts
    # A repeat carries the same Message-ID, so a mail client can recognise it.
    assert len({m.message_id for m in mailbox.received if m.to == handed_over}) == 1
    with app.app_context():
        assert set(db.session.scalars(select(OutboxMessage.state))) == {"sent"}


def test_a_watching_sender_sends_as_email_is_queued_and_stops_on_sigterm(outbox_database):
    app, environment, port = outbox_database
    with smtp_server(port, Mailbox()) as mailbox:
        sender = _sender(environment, "--watch")
        try:
            deadline = time.monotonic() + 60
            while len(mailbox.received) < MESSAGES and time.monotonic() < deadline:
                time.sleep(0.05)
            with app.test_request_context():
                mail.queue("late@ns.example", "Queued later", "Body\n")
                db.session.commit()
            while not mailbox.count("late@ns.example") and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            sender.send_signal(signal.SIGTERM)
            output, _ = sender.communicate(timeout=30)
    assert sender.returncode == 0, output
    assert "Stopped." in output
    assert len(mailbox.received) == MESSAGES + 1


def test_two_senders_at_once_never_send_the_same_message(outbox_database):
    app, environment, port = outbox_database
    with app.test_request_context():
        for number in range(MESSAGES + 1, 41):
            mail.queue(f"person{number}@ns.example", f"Message {number}", "Body\n")
        db.session.commit()
    with smtp_server(port, Mailbox()) as mailbox:
        senders = [_sender(environment), _sender(environment)]
        outputs = [sender.communicate(timeout=60)[0] for sender in senders]
    assert [sender.returncode for sender in senders] == [0, 0], outputs
    recipients = [message.to for message in mailbox.received]
    assert len(recipients) == 40 and len(set(recipients)) == 40
