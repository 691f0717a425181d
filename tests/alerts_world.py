"""Email alerts as a visitor meets them: asking through the page, the emails that arrive,
and the links in them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select, update

from register.extensions import db
from register.models import AlertSubscription

from .manage_world import World, form_data

ORGANISATION = "northshire-county-council"


def ask(world: World, search: str, email: str = "reader@example.com", frequency="daily"):
    """Fill in and send the subscribe form for `search` (a query string), as a visitor's
    browser would; the response."""
    visitor = world.client(None)
    page = visitor.get(f"/alerts/subscribe?{search}")
    data = form_data(page)
    data["email"] = email
    if frequency:
        data["frequency"] = frequency
    return visitor.client.post("/alerts/subscribe", data=data)


def links_in(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def path_of(link: str) -> str:
    return urlsplit(link).path


def confirm_link(message) -> str:
    [link] = [link for link in links_in(message.body) if "/alerts/confirm/" in link]
    return link


def press_button(world: World, path: str):
    """Open the page at `path` and press its button, as a visitor would; the response."""
    visitor = world.client(None)
    page = visitor.get(path)
    form = page.select_one("main form[method=post]")
    return visitor.client.post(form["action"], data=form_data(page))


def subscriptions(world: World) -> list[dict]:
    with world.app.app_context():
        rows = db.session.scalars(select(AlertSubscription).order_by(AlertSubscription.id))
        found = [
            {
                "email": row.email,
                "search": row.search,
                "frequency": row.frequency,
                "confirmed": row.confirmed_at is not None,
            }
            for row in rows
        ]
        db.session.remove()
        return found


def told_since(world: World, moment: datetime) -> None:
    """As if every subscription had last been told at `moment`."""
    with world.app.app_context():
        db.session.execute(update(AlertSubscription).values(told_until=moment))
        db.session.commit()


def now() -> datetime:
    return datetime.now(UTC)
