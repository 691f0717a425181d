"""Telling an organisation's publishers that links in its published entries stopped working:
one email per publisher per run of the link check, listing every new breakage of the
organisation, for those who have not turned this kind of email off."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from flask_babel import gettext, ngettext

from ..addresses import absolute_url
from . import send, signed_off
from .workflow import BROKEN_LINKS, publishers_to_tell
from .workflow_letters import LISTED


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
        for person in people:
            send(person.email, person.language, partial(compose, rows))
            sent += 1
    return sent


def compose(rows: Sequence[Breakage]) -> tuple[str, str]:
    """The subject and body of the email listing `rows`, broken links of one organisation,
    in the language being written in."""
    organisation = rows[0].organisation
    count = len(rows)
    lines = [
        f"- {row.reference}, {row.question}: {row.url} ({row.detail})\n"
        f"  {absolute_url('manage.task_list', reference=row.reference)}"
        for row in rows[:LISTED]
    ]
    if count > LISTED:
        more = count - LISTED
        lines.append("- " + gettext("and %(count)s more, listed on your dashboard", count=more))
    paragraphs = [
        ngettext(
            "%(num)s link has stopped working in published entries of %(organisation)s. The "
            "public sees it on the entries’ pages:",
            "%(num)s links have stopped working in published entries of %(organisation)s. The "
            "public sees them on the entries’ pages:",
            count,
            organisation=organisation,
        ),
        "\n".join(lines),
        gettext(
            "Correct each link in a revision of its entry, or remove it. Your dashboard lists "
            "every broken link:"
        )
        + "\n"
        + absolute_url("manage.dashboard", _anchor="broken-links"),
        gettext("You can choose which emails you get about entries on your account page:")
        + "\n"
        + absolute_url("account.emails"),
    ]
    subject = gettext("Links that stopped working: %(organisation)s", organisation=organisation)
    return subject, signed_off(paragraphs)
