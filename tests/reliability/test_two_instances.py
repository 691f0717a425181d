"""Two machines: two gunicorn servers, as behind a load balancer, sharing one PostgreSQL
database and one Redis, with the same SECRET_KEY, each behind a proxy that terminates HTTPS
(PROXY_COUNT=1). Whichever one answers, people see one register: a session and a form from
one are good on the other, rate limits count on both together, and a change made through
one is on the other at once, cached counts and download validators included."""

from __future__ import annotations

import pytest

from . import visitors
from .servers import (
    PASSWORD,
    fresh_database,
    redis_database,
    run_flask,
    server_environment,
    serving_together,
)
from .visitors import Answer, Visitor

pytestmark = pytest.mark.reliability

REDIS_DATABASE = 13  # the reliability tests' own; emptied before and after
ORGANISATION = "Northshire County Council"
PEOPLE = {
    "editor@ns.example": (ORGANISATION, "editor"),
    "publisher@ns.example": (ORGANISATION, "publisher"),
    "target@ns.example": (ORGANISATION, "editor"),
}
SIGN_IN_LIMIT = 6
ACCOUNT_FAILURES_LIMIT = 5  # failed sign-ins for one address from one client (views/auth.py)


def through_proxy(server: str, client: str) -> Visitor:
    """A browser at address `client`, reaching `server` through the HTTPS proxy in front."""
    return Visitor(server, {"X-Forwarded-For": client, "X-Forwarded-Proto": "https"})


def failed_sign_in(visitor: Visitor, email: str) -> Answer:
    return visitor.send_form("/sign-in", "/sign-in", {"email": email, "password": "wrong" * 4})


def signed_in(visitor: Visitor) -> bool:
    answer = visitor.get("/manage")
    assert answer.status in (200, 302), str(answer)
    return answer.status == 200


def counted(visitor: Visitor) -> int:
    return visitor.page("/api/v1/entries").json()["count"]


def test_two_servers_sharing_postgresql_and_redis_behave_as_one(tmp_path):
    with (
        fresh_database(tmp_path, engine="postgresql", migrate=False) as database,
        redis_database(REDIS_DATABASE) as redis_url,
    ):
        environment = server_environment(
            database,
            {
                "RATELIMIT_STORAGE_URI": redis_url,
                "PROXY_COUNT": "1",
                "SESSION_COOKIE_SECURE": "true",
                "SIGN_IN_RATE_LIMIT": f"{SIGN_IN_LIMIT} per hour",
            },
        )
        run_flask(environment, "db", "upgrade")  # once, before either server starts
        database.add_people(PEOPLE)
        with serving_together(
            database, tmp_path, ["first", "second"], workers=2, environment=environment
        ) as (first, second):
            # Signed in on one, signed in on the other; a form from one is sent to the other.
            editor = through_proxy(first.url, "198.51.100.10")
            page = editor.page("/sign-in")
            # HTTPS, as the proxy said: so the session cookie is for HTTPS only.
            assert "Strict-Transport-Security" in page.headers
            assert "Secure" in page.headers["Set-Cookie"]
            editor.sign_in("editor@ns.example", PASSWORD)
            editor.server = second.url
            assert signed_in(editor)
            reference = visitors.create_entry(editor)
            editor.server = first.url
            visitors.fill_in(editor, reference, "shared")
            assert visitors.submit(editor, reference)

            # Downloads are validated alike by both; a publisher publishes on the second.
            publisher = through_proxy(second.url, "198.51.100.11")
            publisher.sign_in("publisher@ns.example", PASSWORD)
            before = counted(publisher)
            download = publisher.page("/download/datapackage.json").headers["ETag"]
            assert editor.page("/download/datapackage.json").headers["ETag"] == download
            assert visitors.publish(publisher, reference) == 1

            # Published through the second, it is on the first at once, in every worker's
            # cached counts and in the downloads' validator.
            reader = Visitor(first.url)
            assert {counted(reader) for _ in range(6)} == {before + 1}
            reader.page(f"/entries/{reference}")
            changed = reader.page("/download/datapackage.json").headers["ETag"]
            assert changed != download
            assert publisher.page("/download/datapackage.json").headers["ETag"] == changed

            # Two people change the same draft, each through another server: the one who
            # saves second is told, and overwrites nothing.
            assert visitors.start_revision(publisher, reference)
            stale = visitors.open_section(editor, reference, "about")
            fresh = visitors.open_section(publisher, reference, "about")
            theirs, mine = (
                visitors.answers_for("about", "theirs"),
                visitors.answers_for("about", "mine"),
            )
            assert visitors.save_section(publisher, reference, "about", theirs, fresh) == "saved"
            assert visitors.save_section(editor, reference, "about", mine, stale) == "conflict"

            # Sign-in attempts from one client count on both servers together ...
            attacker = through_proxy(first.url, "203.0.113.7")
            for attempt in range(SIGN_IN_LIMIT):
                attacker.server = (first, second)[attempt % 2].url
                assert failed_sign_in(attacker, f"nobody{attempt}@ns.example").status == 200
            for server in (first, second):
                attacker.server = server.url
                assert failed_sign_in(attacker, "nobody@ns.example").status == 429
            # ... per client, as the proxy names it, not for everyone behind the proxy.
            neighbour = through_proxy(second.url, "203.0.113.8")
            assert failed_sign_in(neighbour, "nobody@ns.example").status == 200

            # Failures for one account from one client stop that client on both servers ...
            guesser = through_proxy(first.url, "192.0.2.1")
            for attempt in range(ACCOUNT_FAILURES_LIMIT):
                guesser.server = (first, second)[attempt % 2].url
                assert failed_sign_in(guesser, "target@ns.example").status == 200
            for server in (first, second):
                guesser.server = server.url
                assert failed_sign_in(guesser, "target@ns.example").status == 429
            # ... without locking the account's owner out: from their own address, on
            # either server, the right password still signs them in.
            for number, server in enumerate((first, second)):
                owner = through_proxy(server.url, f"198.51.100.{20 + number}")
                owner.sign_in("target@ns.example", PASSWORD)
                assert signed_in(owner)
