"""Helpers for the tests of public feedback: the forms as an entry page shows them, and the
feedback as stored. Builds on the management tests' `World`."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from register.extensions import db
from register.models import EntryVersion, Feedback

from .conftest import ClientRequest
from .manage_world import World, form_data


def useful_form(visitor: ClientRequest, path: str) -> dict[str, Any]:
    """What the "Was this entry useful?" form on the page at `path` sends (no button)."""
    page = visitor.get(path)
    return form_data(page, "#feedback form[method=post]")


def report_form(visitor: ClientRequest, reference: str, version: int | None = None) -> dict:
    """What the report form sends as the page shows it, before anything is typed."""
    path = f"/entries/{reference}/report-a-problem"
    if version is not None:
        path += f"?version={version}"
    return form_data(visitor.get(path))


def stored(app: Flask) -> list[dict[str, Any]]:
    """Every feedback item, oldest first, with the number of the version it is about."""
    with app.app_context():
        rows = db.session.execute(
            select(Feedback, EntryVersion.number)
            .join(EntryVersion, EntryVersion.id == Feedback.version_id)
            .order_by(Feedback.id)
        ).all()
        return [
            {
                "id": item.id,
                "entry_id": item.entry_id,
                "version": number,
                "kind": item.kind,
                "text": item.text,
                "email": item.email,
                "response": item.response,
                "resolved": item.resolved_at is not None,
                "hidden": item.hidden_at is not None,
            }
            for item, number in rows
        ]


def report(world: World, reference: str = "AIR-00001", **fields: str) -> None:
    """Report a problem with the entry's current version as an anonymous visitor would."""
    visitor = world.client(None)
    data = {**report_form(visitor, reference), "text": "The contact address bounces."}
    data.update(fields)
    response = visitor.client.post(f"/entries/{reference}/report-a-problem", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
