"""People writing to the register without pause, each in a thread, until told to stop, and
what they were told was saved; and what the database holds afterwards, to compare.

Every save puts a marker (such as `AIR-00002.7`) at the start of each free-text answer it
sends, so the stored answers show which save they came from, and whether from only one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from register import schema
from register.extensions import db
from register.models import Entry
from register.schema import Kind

from . import visitors
from .servers import PASSWORD, Database
from .visitors import Visitor, marker_of

# The answers in "About" that carry a save's marker.
MARKED = tuple(
    f.name
    for f in schema.section("about").fields
    if f.kind in (Kind.TEXT, Kind.LONG_TEXT) and f.max_length
)


@dataclass
class Writes:
    """What was acknowledged so far, and the write each writer has in flight."""

    stop: threading.Event = field(default_factory=threading.Event)
    acknowledged: int = 0
    about: dict[str, str] = field(default_factory=dict)  # the last "About" marker saved
    risks: dict[str, list[str]] = field(default_factory=dict)
    in_flight: dict[str, tuple[str, str]] = field(default_factory=dict)  # (what, marker)
    created: set[str] = field(default_factory=set)
    versions: dict[tuple[str, int], str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def done(self) -> None:
        with self.lock:
            self.acknowledged += 1

    def snapshot(self) -> tuple[set[str], dict[tuple[str, int], str]]:
        """The entries and versions acknowledged until now."""
        with self.lock:
            return set(self.created), dict(self.versions)


def keep_writing(writes: Writes, name: str, write: Callable[[int], None]) -> None:
    """Call `write` with 0, 1, 2, ... until told to stop. Failing before then is the test's
    failure; after, it is the server going away, as the test meant."""
    number = 0
    try:
        while not writes.stop.is_set():
            write(number)
            number += 1
    except Exception as error:  # a dropped connection, once the server is killed
        if not writes.stop.is_set():
            writes.failures.append(f"{name}: {error!r}")


def start(writes: Writes, writers: list[tuple[str, Callable[[int], None]]]) -> list:
    threads = [
        threading.Thread(target=keep_writing, args=(writes, name, write), daemon=True)
        for name, write in writers
    ]
    for thread in threads:
        thread.start()
    return threads


def saver(editor: Visitor, reference: str, writes: Writes) -> Callable[[int], None]:
    """Alternately saves "About" with a new marker and adds a risk named by one."""
    writes.risks[reference] = []

    def write(number: int) -> None:
        marker = f"{reference}.{number}"
        if number % 2 == 0:
            page = visitors.open_section(editor, reference, "about")
            writes.in_flight[reference] = ("about", marker)
            answers = visitors.answers_for("about", marker)
            outcome = visitors.save_section(editor, reference, "about", answers, page)
        else:
            writes.in_flight[reference] = ("risk", marker)
            outcome = visitors.add_risk(editor, reference, marker)
        if outcome != "saved":
            raise AssertionError(f"{marker}: {outcome}")
        if number % 2 == 0:
            writes.about[reference] = marker
        else:
            writes.risks[reference].append(marker)
        writes.in_flight.pop(reference)
        writes.done()

    return write


def creator(editor: Visitor, writes: Writes) -> Callable[[int], None]:
    """Starts new entries."""

    def write(number: int) -> None:
        reference = visitors.create_entry(editor)
        with writes.lock:
            writes.created.add(reference)
        writes.done()

    return write


def cycler(editor: Visitor, publisher: Visitor, reference: str, writes: Writes) -> Callable:
    """Revises a published entry and publishes it again, over and over."""

    def write(number: int) -> None:
        marker = f"{reference}.{number}"
        assert visitors.start_revision(editor, reference)
        page = visitors.open_section(editor, reference, "about")
        answers = visitors.answers_for("about", marker)
        assert visitors.save_section(editor, reference, "about", answers, page) == "saved"
        assert visitors.submit(editor, reference)
        published = visitors.publish(publisher, reference, f"Change {number}.")
        assert published is not None
        with writes.lock:
            writes.versions[reference, published] = marker
        writes.done()

    return write


def published_entry(editor: Visitor, publisher: Visitor, writes: Writes) -> str:
    """A new entry, published as version 1 (its answers marked `<reference>.start`)."""
    reference = visitors.create_entry(editor)
    visitors.fill_in(editor, reference, f"{reference}.start")
    assert visitors.submit(editor, reference)
    assert visitors.publish(publisher, reference) == 1
    writes.versions[reference, 1] = f"{reference}.start"
    return reference


def signed_in(server_url: str, email: str) -> Visitor:
    visitor = Visitor(server_url)
    visitor.sign_in(email, PASSWORD)
    return visitor


def stored_drafts(database: Database) -> dict[str, tuple[list[str], list[str]]]:
    """Each entry's working copy: the markers on its "About" answers, and its risks."""
    with database.app.app_context():
        found = {
            entry.reference: (
                [marker_of(getattr(entry.draft, name)) for name in MARKED],
                [risk.name for risk in entry.draft.risks],
            )
            for entry in db.session.scalars(select(Entry))
            if entry.draft is not None
        }
        db.session.remove()
    return found


def stored_versions(database: Database) -> dict[tuple[str, int], str]:
    """Each published version, by reference and number, with the marker on its title."""
    with database.app.app_context():
        found = {
            (entry.reference, version.number): marker_of(version.title)
            for entry in db.session.scalars(select(Entry))
            for version in entry.versions
            if version.number is not None
        }
        db.session.remove()
    return found


def stored_references(database: Database) -> set[str]:
    with database.app.app_context():
        found = set(db.session.scalars(select(Entry.reference)))
        db.session.remove()
    return found
