"""API tokens and requests to the submission API, for its tests.

Builds on the management tests' `World`: tokens are made through `register.api_tokens`, as
the management pages make them, and the API is called by a client with no cookie at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from register import api_tokens
from register.extensions import db
from register.models import AuditEvent, Entry, Organisation

from .manage_world import World

SUBMISSIONS = "/api/v1/submissions"


def make_token(
    world: World,
    who: str = "publisher",
    organisation: str = "Northshire County Council",
    name: str = "Case management system",
) -> str:
    """A new token of `organisation` made by `who`; its secret."""
    with world.app.app_context():
        _, secret = api_tokens.create(world.organisation(organisation), name, world.user(who))
        return secret


class Api:
    """Calls the submission API with a token, as another system would: no cookie, JSON."""

    def __init__(self, world: World, token: str | None) -> None:
        self.client = world.app.test_client(use_cookies=False)
        self.token = token

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, url: str, **kw: Any):
        return self.client.get(url, headers=self.headers(kw.pop("headers", None)), **kw)

    def post(self, url: str, body: Any = None, **kw: Any):
        if body is not None:
            kw["json"] = body
        return self.client.post(url, headers=self.headers(kw.pop("headers", None)), **kw)

    def put(self, url: str, body: Any = None, **kw: Any):
        if body is not None:
            kw["json"] = body
        return self.client.put(url, headers=self.headers(kw.pop("headers", None)), **kw)


def error_fields(response, status: int) -> dict[str, str]:
    """The fields a JSON error names, and what it says of each, after checking its shape."""
    assert response.status_code == status, (response.status_code, response.get_data(True))
    assert response.mimetype == "application/json"
    error = response.json["error"]
    assert error["status"] == status and error["message"]
    assert set(error) <= {"status", "message", "parameter", "fields"}
    return {problem["field"]: problem["message"] for problem in error.get("fields", [])}


def entry_count(world: World) -> int:
    with world.app.app_context():
        return db.session.scalar(select(func.count()).select_from(Entry))


def events_of(world: World, reference: str) -> list[tuple[str, str | None]]:
    """The audit log of an entry: each action and its detail, oldest first."""
    with world.app.app_context():
        entry = world.load(reference)
        return [
            (event.action, event.detail)
            for event in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.entry_id == entry.id)
                .order_by(AuditEvent.at, AuditEvent.id)
            )
        ]


def allow_self_publishing(world: World, name: str = "Northshire County Council") -> None:
    with world.app.app_context():
        db.session.scalar(
            select(Organisation).where(Organisation.name == name)
        ).allows_self_publishing = True
        db.session.commit()
