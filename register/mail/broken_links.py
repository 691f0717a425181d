"""Telling an organisation's publishers that links in its published entries stopped working:
one email per publisher per run of the link check, listing every new breakage of the
organisation, for those who have not turned this kind of email off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..addresses import absolute_url
from . import queue, signed_off
from .workflow import BROKEN_LINKS, LISTED, publishers_to_tell

SUBJECT = "Links that stopped working"


@dataclass(frozen=True)
class Breakage:
    """A link newly found broken, as the email names it."""

    reference: str
    organisation: str
    question: str  # the question's label
    url: str
    detail: str


def queue_emails(news: Mapping[int, Sequence[Breakage]]) -> int:
    """Queue the emails about `news` (broken links by organisation id); how many."""
    sent = 0
    for organisation_id, people in publishers_to_tell(set(news), BROKEN_LINKS).items():
        rows = news[organisation_id]
        subject, body = compose(rows)
        for person in people:
            queue(person.email, subject, body)
            sent += 1
    return sent


def compose(rows: Sequence[Breakage]) -> tuple[str, str]:
    """The subject and body of the email listing `rows`, broken links of one organisation."""
    organisation = rows[0].organisation
    count = len(rows)
    lines = [
        f"- {row.reference}, {row.question}: {row.url} ({row.detail})\n"
        f"  {absolute_url('manage.task_list', reference=row.reference)}"
        for row in rows[:LISTED]
    ]
    if count > LISTED:
        lines.append(f"- and {count - LISTED} more, listed on your dashboard")
    paragraphs = [
        f"{count} link{' has' if count == 1 else 's have'} stopped working in published "
        f"entries of {organisation}. The public sees {'it' if count == 1 else 'them'} on "
        "the entries’ pages:",
        "\n".join(lines),
        "Correct each link in a revision of its entry, or remove it. Your dashboard lists "
        "every broken link:\n" + absolute_url("manage.dashboard", _anchor="broken-links"),
        "You can choose which emails you get about entries on your account page:\n"
        + absolute_url("account.emails"),
    ]
    return f"{SUBJECT}: {organisation}", signed_off(paragraphs)
