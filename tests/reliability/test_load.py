"""Many people at once against gunicorn with several workers: editors writing entries,
publishers publishing them, readers reading, and people racing each other on one entry
(two publishers pressing Publish together, a double click on Submit). Afterwards every
change the register acknowledged is there exactly once, and nothing else is."""

from __future__ import annotations

import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from register.extensions import db
from register.models import AuditEvent, Entry

from . import visitors
from .consistency import VERSION_DETAIL, engine_problems, problems_in
from .servers import Database, fresh_database, serving
from .visitors import Visitor
from .writers import signed_in, stored_references, stored_versions

pytestmark = pytest.mark.reliability

SECONDS = 10  # of load: hundreds of requests and several rounds of races
ORGANISATION = "Northshire County Council"
EDITORS, PUBLISHERS, READERS, RACERS = 3, 2, 2, 3


@dataclass
class Ledger:
    """What the register acknowledged to the people using it, as they saw it."""

    created: set[str] = field(default_factory=set)
    actions: Counter = field(default_factory=Counter)  # (reference, audit action) -> count
    # (reference, number) -> the marker on the answers that version was published with.
    versions: dict[tuple[str, int], str] = field(default_factory=dict)
    by: dict[tuple[str, int], str] = field(default_factory=dict)  # "published" or "retired"
    about: dict[str, str] = field(default_factory=dict)  # the last "About" answers saved
    failures: list[str] = field(default_factory=list)
    races: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, reference: str, action: str, count: int = 1) -> None:
        with self.lock:
            self.actions[reference, action] += count

    def created_entry(self, reference: str) -> None:
        with self.lock:
            if reference in self.created:
                self.failures.append(f"{reference} was handed out twice")
            self.created.add(reference)
            self.actions[reference, "created"] += 1

    def saved_about(self, reference: str, marker: str) -> None:
        with self.lock:
            self.about[reference] = marker

    def published(self, reference: str, number: int, action: str = "published") -> None:
        with self.lock:
            if (reference, number) in self.versions:
                self.failures.append(f"version {number} of {reference} was published twice")
            self.versions[reference, number] = self.about[reference]
            self.by[reference, number] = action
            self.actions[reference, action] += 1

    def public(self) -> dict[str, int]:
        """Each entry acknowledged as published, with its latest acknowledged version."""
        with self.lock:
            latest: dict[str, int] = {}
            for reference, number in self.versions:
                latest[reference] = max(number, latest.get(reference, 0))
            return latest

    def fail(self, message: str) -> None:
        with self.lock:
            self.failures.append(message)


def _until(deadline: float, ledger: Ledger, name: str, step: Callable[[int], None]) -> None:
    """Run `step` (given a round number) until the deadline or the first failure."""
    round_number = 0
    try:
        while time.monotonic() < deadline and not ledger.failures:
            step(round_number)
            round_number += 1
    except Exception as error:  # reported with the others at the end
        ledger.fail(f"{name}: {error!r}")


def _write_entry(editor: Visitor, ledger: Ledger, marker: str) -> str:
    reference = visitors.create_entry(editor)
    ledger.created_entry(reference)
    ledger.record(reference, "saved", visitors.fill_in(editor, reference, marker))
    ledger.saved_about(reference, marker)
    return reference


def _editor(editor: Visitor, name: str, ledger: Ledger, submitted: queue.Queue) -> Callable:
    def step(round_number: int) -> None:
        reference = _write_entry(editor, ledger, f"{name}.{round_number}")
        if not visitors.submit(editor, reference):
            raise AssertionError(f"{reference} was not submitted")
        ledger.record(reference, "submitted")
        submitted.put(reference)

    return step


def _publisher(publisher: Visitor, ledger: Ledger, submitted: queue.Queue) -> Callable:
    def step(round_number: int) -> None:
        try:
            reference = submitted.get(timeout=1)
        except queue.Empty:
            return
        number = visitors.publish(publisher, reference)
        if number != 1:
            raise AssertionError(f"publishing {reference} gave version {number}")
        ledger.published(reference, number)

    return step


def _reader(reader: Visitor, ledger: Ledger) -> Callable:
    """Reads what was acknowledged as published, from whichever worker answers: it must be
    there at once, at least as new as acknowledged, in the counts as in the entry."""

    def step(round_number: int) -> None:
        public = ledger.public()
        counted = reader.page("/api/v1/entries").json()["count"]
        if counted < len(public):
            raise AssertionError(f"the API counts {counted} entries; {len(public)} are published")
        reader.page("/entries?q=pothole")
        if not public:
            return
        reference = random.choice(sorted(public))
        shown = reader.page(f"/entries/{reference}.json").json()["version"]
        if shown < public[reference]:
            raise AssertionError(f"{reference} shows version {shown}, not {public[reference]}")
        reader.page(f"/entries/{reference}")

    return step


def race(people: list[Visitor], prepare: Callable, act: Callable) -> list[Any]:
    """Everyone opens their page, then everyone sends at the same moment."""
    start = threading.Barrier(len(people))

    def one(visitor: Visitor) -> Any:
        try:
            page = prepare(visitor)
        except Exception:
            start.abort()  # rather than keep the others waiting
            raise
        start.wait(timeout=60)
        return act(visitor, page)

    with ThreadPoolExecutor(len(people)) as pool:
        return list(pool.map(one, people))


def _racers(editors: list[Visitor], publishers: list[Visitor], ledger: Ledger) -> Callable:
    """One entry through its life with everyone pressing each button at once: exactly one
    press of each wins, and the others are told why not."""

    def exactly_one(what: str, reference: str, outcomes: list[Any], won: Callable) -> Any:
        winners = [outcome for outcome in outcomes if won(outcome)]
        ledger.races[what] += 1
        if len(winners) != 1:
            raise AssertionError(f"{what} {reference} at once: {outcomes}")
        return winners[0]

    def submit_twice(reference: str) -> None:
        # A double click: the same browser sends the form twice.
        outcomes = race(
            [editors[0], editors[0].twin()],
            lambda e: e.page(f"/manage/entries/{reference}/check"),
            lambda e, page: visitors.submit(e, reference, page),
        )
        exactly_one("submit", reference, outcomes, bool)
        ledger.record(reference, "submitted")

    def publish_together(reference: str, note: str) -> None:
        outcomes = race(
            publishers,
            lambda p: p.page(f"/manage/entries/{reference}/review"),
            lambda p, page: visitors.publish(p, reference, note, page),
        )
        ledger.published(
            reference, exactly_one("publish", reference, outcomes, lambda n: n is not None)
        )

    def save_together(reference: str, round_number: int) -> None:
        markers = {id(e): f"racer.{round_number}.{n}" for n, e in enumerate(editors)}
        outcomes = race(
            editors,
            lambda e: visitors.open_section(e, reference, "about"),
            lambda e, page: (
                markers[id(e)],
                visitors.save_section(
                    e, reference, "about", visitors.answers_for("about", markers[id(e)]), page
                ),
            ),
        )
        marker, _ = exactly_one("save", reference, outcomes, lambda o: o[1] == "saved")
        if {outcome for _, outcome in outcomes} != {"saved", "conflict"}:
            raise AssertionError(f"saving {reference} at once: {outcomes}")
        ledger.record(reference, "saved")
        ledger.saved_about(reference, marker)

    def step(round_number: int) -> None:
        reference = _write_entry(editors[0], ledger, f"racer.{round_number}")
        submit_twice(reference)
        publish_together(reference, "")
        outcomes = race(
            editors,
            lambda e: e.page(f"/manage/entries/{reference}"),
            lambda e, page: visitors.start_revision(e, reference, page),
        )
        exactly_one("start a revision of", reference, outcomes, bool)
        ledger.record(reference, "revision_started")
        save_together(reference, round_number)
        submit_twice(reference)
        publish_together(reference, "Renamed.")
        outcomes = race(
            publishers,
            lambda p: p.page(f"/manage/entries/{reference}/retire"),
            lambda p, page: visitors.retire(p, reference, "No longer used.", page),
        )
        exactly_one("retire", reference, outcomes, bool)
        ledger.published(reference, 3, "retired")

    return step


def _audit_log(database: Database) -> tuple[Counter, set[tuple[str, int]]]:
    """How many of each action the audit log has for each entry, and the versions it says
    were published."""
    with database.app.app_context():
        events = db.session.execute(
            select(Entry.reference, AuditEvent.action, AuditEvent.detail).join(
                Entry, Entry.id == AuditEvent.entry_id
            )
        ).all()
        db.session.remove()
    actions = Counter((reference, action) for reference, action, _ in events)
    published = {
        (reference, int(found.group(1)))
        for reference, action, detail in events
        if action == "published" and (found := VERSION_DETAIL.match(detail or ""))
    }
    return actions, published


def test_many_people_at_once_lose_nothing_and_duplicate_nothing(tmp_path):
    people = {f"editor{n}@ns.example": (ORGANISATION, "editor") for n in range(EDITORS + RACERS)}
    people |= {
        f"publisher{n}@ns.example": (ORGANISATION, "publisher") for n in range(PUBLISHERS + RACERS)
    }
    ledger, submitted = Ledger(), queue.Queue()
    with fresh_database(tmp_path) as database:
        database.add_people(people)
        with serving(database, tmp_path) as server:
            editors = [signed_in(server.url, email) for email in people if "editor" in email]
            publishers = [signed_in(server.url, email) for email in people if "publish" in email]
            readers = [Visitor(server.url) for _ in range(READERS)]
            work = [
                (f"editor {n}", _editor(editors[n], f"editor{n}", ledger, submitted))
                for n in range(EDITORS)
            ]
            work += [
                (f"publisher {n}", _publisher(publishers[n], ledger, submitted))
                for n in range(PUBLISHERS)
            ]
            work += [(f"reader {n}", _reader(reader, ledger)) for n, reader in enumerate(readers)]
            work.append(("racers", _racers(editors[EDITORS:], publishers[PUBLISHERS:], ledger)))
            deadline = time.monotonic() + SECONDS
            threads = [
                threading.Thread(target=_until, args=(deadline, ledger, name, step), daemon=True)
                for name, step in work
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=SECONDS + 120 - (time.monotonic() - started))
            everyone = editors + publishers + readers
            server_errors = [error for visitor in everyone for error in visitor.server_errors]
            summary = (
                f"{sum(v.requests for v in everyone)} requests in "
                f"{time.monotonic() - started:.0f}s, {len(ledger.created)} entries, "
                f"{len(ledger.versions)} versions, races: {dict(ledger.races)}"
            )
            assert not any(thread.is_alive() for thread in threads), f"still going: {summary}"
            assert not server_errors, "\n".join([summary, *server_errors[:5], server.log_text()])
            assert not ledger.failures, "\n".join([summary, *ledger.failures[:5]])
        # A round of races always finishes, however slow the machine; and more happened.
        assert ledger.races["retire"] >= 1 and len(ledger.created) > 1, summary

        assert problems_in(database.app) == []
        assert engine_problems(database.app) == []
        assert stored_references(database) == ledger.created
        # Every acknowledged version holds the answers acknowledged before it was published.
        assert stored_versions(database) == ledger.versions
        # And the audit log has each acknowledged change once, and nothing more.
        actions, published = _audit_log(database)
        assert actions == +ledger.actions
        assert published == {version for version, by in ledger.by.items() if by == "published"}
