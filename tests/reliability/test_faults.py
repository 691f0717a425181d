"""Faults: the server killed in the middle of writing, and the database going away.

Killed with SIGKILL (master and workers at once, as a power cut would), the register comes
back with a sound database where every entry is wholly as it was before a save or wholly as
after it, and every acknowledged save is there. Without its database it answers 503 with a
page that says so, never a stack trace, and it recovers by itself when the database returns.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from . import visitors, writers
from .consistency import engine_problems, problems_in
from .servers import Database, fresh_database, serving
from .visitors import Visitor
from .writers import MARKED, Writes, signed_in, stored_drafts

pytestmark = pytest.mark.reliability

ORGANISATION = "Northshire County Council"
SAVERS = 3
ACKNOWLEDGED_BEFORE_KILL = 20
UNAVAILABLE = "Sorry, the service is unavailable"


def _assert_whole(writes: Writes, drafts: dict) -> None:
    """Each saver's entry is wholly as one save left it: the last acknowledged, or the one in
    flight when the server died; never some answers from one and some from another."""
    for reference, acknowledged_risks in writes.risks.items():
        markers, risks = drafts[reference]
        assert len(set(markers)) == 1, f"{reference} is half saved: {markers}"
        what, sending = writes.in_flight.get(reference, ("", ""))
        possible = {writes.about.get(reference, f"{reference}.start")}
        possible |= {sending} if what == "about" else set()
        assert markers[0] in possible, (reference, markers[0], possible)
        possible_risks = [acknowledged_risks]
        possible_risks += [acknowledged_risks + [sending]] if what == "risk" else []
        assert risks in possible_risks, (reference, risks, possible_risks)


def test_a_server_killed_while_writing_leaves_every_entry_whole(tmp_path):
    people = {f"saver{n}@ns.example": (ORGANISATION, "editor") for n in range(SAVERS)}
    people |= {
        "creator@ns.example": (ORGANISATION, "editor"),
        "cycler@ns.example": (ORGANISATION, "editor"),
        "publisher@ns.example": (ORGANISATION, "publisher"),
    }
    writes = Writes()
    with fresh_database(tmp_path) as database:
        database.add_people(people)
        with serving(database, tmp_path) as server:
            everyone = {email: signed_in(server.url, email) for email in people}
            savers = [everyone[f"saver{n}@ns.example"] for n in range(SAVERS)]
            saved = []
            for saver in savers:
                saved.append(visitors.create_entry(saver))
                visitors.fill_in(saver, saved[-1], f"{saved[-1]}.start")
            cycler, publisher = everyone["cycler@ns.example"], everyone["publisher@ns.example"]
            cycled = writers.published_entry(cycler, publisher, writes)
            threads = writers.start(
                writes,
                [
                    *[
                        (f"saver {n}", writers.saver(savers[n], reference, writes))
                        for n, reference in enumerate(saved)
                    ],
                    ("creator", writers.creator(everyone["creator@ns.example"], writes)),
                    ("cycler", writers.cycler(cycler, publisher, cycled, writes)),
                ],
            )
            deadline = time.monotonic() + 60
            while writes.acknowledged < ACKNOWLEDGED_BEFORE_KILL and not writes.failures:
                assert time.monotonic() < deadline, f"only {writes.acknowledged} writes in 60s"
                time.sleep(0.02)
            writes.stop.set()
            server.kill()
            for thread in threads:
                thread.join(timeout=60)
            assert not any(thread.is_alive() for thread in threads)
            assert not writes.failures, writes.failures

            # The database as the kill left it, before any server opens it again.
            assert engine_problems(database.app) == []
            assert problems_in(database.app) == []
            _assert_whole(writes, stored_drafts(database))
            versions = writers.stored_versions(database)
            assert {version: versions.get(version) for version in writes.versions} == (
                writes.versions
            )
            stored = writers.stored_references(database)
            assert writes.created <= stored
            # Besides those, only the entries set up first and the one in flight, if any.
            assert len(stored - writes.created - {*saved, cycled}) <= 1

            # Restarted, it serves everyone as before, sessions and all, and saves again.
            server.start()
            for visitor in everyone.values():
                visitor.server = server.url
            for saver, reference in zip(savers, saved, strict=True):
                page = visitors.open_section(saver, reference, "about")
                answers = visitors.answers_for("about", "after")
                assert visitors.save_section(saver, reference, "about", answers, page) == "saved"
            for reference in stored:
                everyone["creator@ns.example"].page(f"/manage/entries/{reference}")
            Visitor(server.url).page(f"/entries/{cycled}")
        assert problems_in(database.app) == []


@contextmanager
def postgres_refusing_connections(database: Database) -> Iterator[None]:
    """The database stops taking connections and drops those it has, until the block ends."""
    with psycopg.connect(database.admin_url, autocommit=True) as connection:
        connection.execute(f'ALTER DATABASE "{database.name}" ALLOW_CONNECTIONS false')
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
            (database.name,),
        )
    try:
        yield
    finally:
        with psycopg.connect(database.admin_url, autocommit=True) as connection:
            connection.execute(f'ALTER DATABASE "{database.name}" ALLOW_CONNECTIONS true')


def _says_unavailable(answer: visitors.Answer) -> None:
    assert answer.status == 503, str(answer)
    assert int(answer.headers["Retry-After"]) > 0
    assert "Traceback" not in answer.text and "sqlalchemy" not in answer.text.lower()
    if answer.headers.get_content_type() == "application/json":
        assert "cannot reach its database" in answer.json()["error"]["message"]
    else:
        assert answer.says(UNAVAILABLE)


def _editor_with_a_draft(server_url: str) -> tuple[Visitor, str]:
    editor = signed_in(server_url, "editor@ns.example")
    reference = visitors.create_entry(editor)
    visitors.fill_in(editor, reference, "before")
    return editor, reference


def test_without_its_database_the_register_says_so_and_recovers_when_it_returns(tmp_path):
    # PostgreSQL, whichever engine the suite runs on: it can be taken away and given back.
    with fresh_database(tmp_path, engine="postgresql") as database:
        database.add_people({"editor@ns.example": (ORGANISATION, "editor")})
        with serving(database, tmp_path, workers=2) as server:
            editor, reference = _editor_with_a_draft(server.url)
            anyone = Visitor(server.url)
            form = visitors.open_section(editor, reference, "about")
            public = ["/entries", "/api/v1/entries", "/entries.csv", "/organisations"]
            private = ["/manage", f"/manage/entries/{reference}"]

            with postgres_refusing_connections(database):
                for path in public:
                    _says_unavailable(anyone.get(path))
                for path in private:
                    _says_unavailable(editor.get(path))
                answers = visitors.answers_for("about", "during")
                saving = editor.send_form(form, f"/manage/entries/{reference}/about", answers)
                _says_unavailable(saving)

            # Back: every page answers again, the person is still signed in, and the form
            # they had open saves (nothing was half-saved while the database was away).
            for path in public:
                anyone.page(path)
            for path in private:
                editor.page(path)
            assert visitors.save_section(editor, reference, "about", answers, form) == "saved"
        assert problems_in(database.app) == []
        assert stored_drafts(database)[reference][0] == ["during"] * len(MARKED)


def test_while_sqlite_is_locked_saving_says_so_reading_goes_on_and_saving_resumes(tmp_path):
    # SQLite's way of being unavailable: another process holds the write lock (a long
    # maintenance job, say) for longer than the register waits for it.
    with fresh_database(tmp_path, engine="sqlite") as database:
        database.add_people({"editor@ns.example": (ORGANISATION, "editor")})
        with serving(database, tmp_path, workers=2) as server:
            editor, reference = _editor_with_a_draft(server.url)
            form = visitors.open_section(editor, reference, "about")
            answers = visitors.answers_for("about", "during")
            holder = sqlite3.connect(database.url.removeprefix("sqlite:///"), isolation_level=None)
            try:
                holder.execute("BEGIN IMMEDIATE")
                editor.page(f"/manage/entries/{reference}")
                Visitor(server.url).page("/entries")
                _says_unavailable(
                    editor.send_form(form, f"/manage/entries/{reference}/about", answers)
                )
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            assert visitors.save_section(editor, reference, "about", answers, form) == "saved"
        assert engine_problems(database.app) == []
        assert stored_drafts(database)[reference][0] == ["during"] * len(MARKED)
