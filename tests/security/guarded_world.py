"""A register with something to protect, for the attack tests: drafts with titles nobody
outside their organisation may read, a published entry, a reported problem with the
reporter's email address, an API token and uploaded imports, plus helpers that say
whether anything in the database changed and whether a response carries the headers.

Builds on the management tests' `World` (two organisations and their people).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.test import TestResponse

from register import api_tokens, mail
from register.extensions import db
from register.importing import column_mapping
from register.models import (
    EntryProvenance,
    Feedback,
    ImportBatch,
    ImportProgress,
    Invitation,
    PendingImport,
)

from ..factories import publishable_values
from ..feedback_world import report
from ..manage_world import World
from ..public_entries import revise
from ..snapshots import built_once

# Titles that must never appear anywhere but to the entry's own organisation.
DRAFT_TITLE = "Unannounced draft QZXWV"
REVIEW_TITLE = "Submission awaiting review QZXWV"
REVISION_TITLE = "Unpublished revision QZXWV"
SECRET = b"QZXWV"
REPORTER_EMAIL = "reader@public.example"

# Everyone the tests act as: None is a visitor who is not signed in.
PEOPLE: tuple[str | None, ...] = (
    None,
    "editor",
    "publisher",
    "outside_editor",
    "outside_publisher",
    "admin",
)


@dataclass
class Guarded:
    """The world, and the names its example addresses are written with."""

    world: World
    names: dict[str, Any]

    @property
    def app(self) -> Flask:
        return self.world.app

    def url(self, template: str) -> str:
        return template.format(**self.names)


def build(world: World) -> Guarded:
    """Entries in every state (AIR-00001 draft with a risk, AIR-00002 in review, AIR-00003
    published, AIR-00004 published with a revision being drafted), all of Northshire."""
    draft = world.entry(values={"title": DRAFT_TITLE}, rows={"risks": [{"name": "Bias"}]})
    in_review = world.entry("in_review", values=publishable_values(title=REVIEW_TITLE))
    published = world.entry("published")
    revised = world.entry("published")
    revise(world, revised, {"title": REVISION_TITLE}, publish=False)
    report(world, published, email=REPORTER_EMAIL)
    app = world.app
    with app.app_context():
        organisation = world.organisation()
        publisher = world.user("publisher")
        token, _secret = api_tokens.create(organisation, "Case system", publisher)
        upload = PendingImport(
            key="k" * 43,
            user_id=publisher.id,
            organisation_id=organisation.id,
            format="native",
            filename="entries.json",
            content=b"[]",
        )
        db.session.add(upload)
        # An upload being mapped column by column, by the same publisher.
        mapped_upload = PendingImport(
            key="m" * 43,
            user_id=publisher.id,
            organisation_id=organisation.id,
            format=column_mapping.MAPPED,
            filename="tools.csv",
            content=b"name,team\nChatbot,Housing\n",
        )
        db.session.add(mapped_upload)
        # A file of the same publisher's being checked, 250 rows in.
        db.session.add(ImportProgress(token="p" * 43, user_id=publisher.id, rows_checked=250))
        db.session.flush()
        column_mapping.keep_with_upload(
            mapped_upload,
            column_mapping.read_columns(mapped_upload.content),
            {},
            column_mapping.ColumnMapping(
                {"name": "title", "team": "team"}, organisation=organisation.slug
            ),
            None,
        )
        # The entry in review came from an import, whose entries a publisher reviews at once.
        batch = ImportBatch(
            source="US federal AI use case inventory 2025",
            format="us-2025",
            filename="inventory.csv",
            file_sha256="0" * 64,
            row_count=1,
        )
        db.session.add(batch)
        db.session.add(
            EntryProvenance(
                entry=world.load(in_review), batch=batch, row_number=2, action="created"
            )
        )
        # An email the mail server refused, for the administrators' email pages.
        refused = mail.queue("nobody@ns.example", "Your invitation", "A one-time link QZXWV")
        refused.state, refused.last_error = "failed", "550 No such user"
        # An invitation not yet accepted, which administrators may resend or cancel.
        invitation = Invitation(
            token_hash="1" * 64,
            email="invited@ns.example",
            organisation_id=organisation.id,
            role="editor",
            expires_at=datetime.now(UTC) + timedelta(days=7),
        )
        db.session.add(invitation)
        db.session.commit()
        names = {
            "draft": draft,
            "in_review": in_review,
            "published": published,
            "revised": revised,
            "slug": organisation.slug,
            "other_slug": world.organisation("Southvale Police").slug,
            "editor_id": world.user("editor").id,
            "feedback_id": db.session.scalar(select(Feedback.id)),
            "token_id": token.id,
            "import_key": upload.key,
            "mapped_key": mapped_upload.key,
            "batch_id": batch.id,
            "progress_token": "p" * 43,
            "email_id": refused.id,
            "invitation_id": invitation.id,
        }
    return Guarded(world, names)


def built(world: World) -> Guarded:
    """`build`, done once per process and copied back for each later test."""
    return Guarded(world, built_once(world.app, "guarded world", lambda: build(world).names))


def fingerprint(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table, so a test can say that a refused request wrote nothing."""
    with app.app_context():
        db.session.remove()
        found = {}
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                rows = connection.execute(select(table)).all()
                found[table.name] = sorted(tuple(map(repr, row)) for row in rows)
        return found


def changed_tables(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


# Security headers ------------------------------------------------------------------------

REQUIRED_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def header_problems(response: TestResponse) -> list[str]:
    """What is missing from the security headers every response must carry."""
    problems = []
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    if "frame-ancestors 'none'" not in policy:
        problems.append("CSP without frame-ancestors 'none'")
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append("CSP allows inline or eval")
    if "style-src 'self'" not in policy:
        problems.append("CSP style-src is not 'self' alone")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("Referrer-Policy") != "no-referrer":
        problems.append("no Referrer-Policy: no-referrer")
    if "camera=()" not in headers.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy")
    if headers.get("X-Frame-Options") != "DENY":
        problems.append("no X-Frame-Options: DENY")
    return problems
