"""Two organisations, their people and their entries, for the tests of the management pages.

Each `test_manage_*` module takes the `world` fixture with `world = WORLD` (an assignment, so
linters do not mistake the fixture for an unused import). Entries are set up through
`publishing`, as the code under test would leave them; pages are then fetched by people signed
in through the real sign-in form, each in a client of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from register import publishing
from register.extensions import db, limiter
from register.models import Entry, Organisation, User

from .conftest import TEST_PASSWORD, ClientRequest
from .factories import publishable_values
from .snapshots import built_once

PEOPLE = {
    "editor": ("editor@ns.example", "Northshire County Council", "editor"),
    "publisher": ("publisher@ns.example", "Northshire County Council", "publisher"),
    "second_publisher": ("second@ns.example", "Northshire County Council", "publisher"),
    "outside_editor": ("editor@sv.example", "Southvale Police", "editor"),
    "outside_publisher": ("publisher@sv.example", "Southvale Police", "publisher"),
    "admin": ("admin@register.example", None, None),
}


@dataclass
class World:
    app: Flask
    clients: dict[str, ClientRequest] = field(default_factory=dict)

    def client(self, who: str | None) -> ClientRequest:
        """A browser of its own for `who` (a key of PEOPLE), signed in; None is anonymous."""
        if who in self.clients:
            return self.clients[who]
        browser = ClientRequest(self.app.test_client())
        if who is not None:
            response = browser.post(
                "/sign-in", {"email": PEOPLE[who][0], "password": TEST_PASSWORD}, 302
            )
            assert response.headers["Location"] == "/manage"
        self.clients[who] = browser
        return browser

    def user(self, who: str) -> User:
        return db.session.scalar(select(User).where(User.email == PEOPLE[who][0]))

    def organisation(self, name: str = "Northshire County Council") -> Organisation:
        return db.session.scalar(select(Organisation).where(Organisation.name == name))

    def entry(
        self,
        state: str = "draft",
        *,
        values: dict[str, Any] | None = None,
        rows: dict[str, list[dict[str, Any]]] | None = None,
        organisation: str = "Northshire County Council",
        author: str = "editor",
    ) -> str:
        """An entry in `state` (draft, in_review, published, revision or withdrawn); its
        reference. Past the draft state its answers are publishable unless `values` says."""
        with self.app.app_context():
            editor = self.user(author)
            entry = publishing.create_entry(self.organisation(organisation), editor)
            if values is None:
                values = publishable_values() if state != "draft" else {"title": "Chatbot"}
            publishing.save_draft(
                entry, editor, values, based_on=entry.draft.lock_version, rows=rows
            )
            if state != "draft":
                publishing.submit(entry, editor)
            if state in ("published", "revision", "withdrawn"):
                reviewer = self.user(
                    "publisher" if organisation.startswith("North") else "outside_publisher"
                )
                publishing.publish(entry, reviewer)
            if state == "revision":
                publishing.start_revision(entry, editor)
            if state == "withdrawn":
                publishing.withdraw(entry, self.user("admin"), "Published in error.")
            return entry.reference

    def load(self, reference: str) -> Entry:
        """The entry as stored now; call inside `app.app_context()`."""
        db.session.expire_all()
        return db.session.scalar(select(Entry).where(Entry.reference == reference))

    def state(self, reference: str) -> str:
        with self.app.app_context():
            return self.load(reference).state

    def draft_values(self, reference: str) -> dict[str, Any]:
        with self.app.app_context():
            return publishing.values_of(self.load(reference).draft)

    def draft_rows(self, reference: str) -> dict[str, list[dict[str, Any]]]:
        with self.app.app_context():
            return publishing.rows_of(self.load(reference).draft)

    def lock_version(self, reference: str) -> int:
        with self.app.app_context():
            return self.load(reference).draft.lock_version


def _world(app: Flask, make_organisation, make_user) -> World:
    limiter.reset()  # every person signs in through the rate-limited form

    def build() -> None:
        make_organisation("Northshire County Council")
        make_organisation("Southvale Police", "police")
        for email, organisation, role in PEOPLE.values():
            if organisation:
                make_user(email, organisation=organisation, role=role)
            else:
                make_user(email, is_admin=True)

    built_once(app, "manage world", build)
    return World(app)


WORLD = pytest.fixture(name="world")(_world)


def messages(page) -> list[str]:
    """The error summary's messages, in order."""
    return [item.get_text(" ", strip=True) for item in page.select(".govuk-error-summary__list li")]


def banner(page) -> str:
    """The text of the notification banners on the page."""
    return " ".join(b.get_text(" ", strip=True) for b in page.select(".govuk-notification-banner"))


def form_data(page, form_selector: str = "main form[method=post]") -> dict[str, Any]:
    """What the browser would send for the form as the page shows it (no button pressed)."""
    form = page.select_one(form_selector)
    data: dict[str, Any] = {}
    for element in form.select("input, textarea"):
        name = element.get("name")
        kind = element.get("type", "text")
        if not name or kind in ("submit", "button"):
            continue
        if element.name == "textarea":
            data[name] = element.get_text()
        elif kind in ("radio", "checkbox"):
            if element.has_attr("checked"):
                data.setdefault(name, []).append(element["value"])
        else:
            data[name] = element.get("value", "")
    return data
