"""The emails that tell people an entry moved: one person's letter about one kind of step,
listing the entries it was taken for (see `workflow.py`, which decides who is told)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext, ngettext

from ..addresses import absolute_url
from ..formatting import entry_title
from ..models import Entry, User
from . import signed_off

SUBMITTED, SENT_BACK, PUBLISHED, WITHDRAWN = "submitted", "sent_back", "published", "withdrawn"
# The most entries one email lists; a longer list ends with how many more there are.
LISTED = 50


@dataclass(frozen=True)
class Moved:
    """One entry's step: what happened, who did it, and their words (the reviewer's comment
    for a send back, the public reason for a withdrawal)."""

    kind: str
    entry: Entry
    actor: User | None
    words: str = ""


def _name(person: User | None) -> str:
    return (person.name or person.email) if person else gettext("The register")


def letter(kind: str, items: list[Moved], actor: User | None) -> tuple[str, str]:
    """The subject and body of the email telling one person about `items`, taken by `actor`."""
    return compose(kind, items, _name(actor))


def _title(item: Moved) -> str:
    entry = item.entry
    if item.kind == WITHDRAWN and entry.published_versions:
        version = entry.published_versions[-1]
    else:
        version = entry.draft or entry.current_version
    # The Welsh title in a Welsh email where the entry has one.
    return entry_title(version) if version else gettext("Untitled entry")


def _named(item: Moved) -> str:
    return f"{item.entry.reference}: {_title(item)}"


def _with_link(text: str, endpoint: str, **values: str) -> str:
    """A paragraph ending with a link to one of the register's pages."""
    return f"{text}\n{absolute_url(endpoint, **values)}"


def _listed(items: list[Moved], endpoint: str) -> str:
    """One line per entry with its link, at most `LISTED` of them."""
    lines = [
        f"- {_named(item)}\n  {absolute_url(endpoint, reference=item.entry.reference)}"
        for item in items[:LISTED]
    ]
    if len(items) > LISTED:
        more = len(items) - LISTED
        lines.append("- " + gettext("and %(count)s more, listed on your dashboard", count=more))
    return "\n".join(lines)


def compose(kind: str, items: list[Moved], actor: str) -> tuple[str, str]:
    """The subject and body of the email telling one person about `items`, all of `kind`
    and taken by the person named `actor`, in the language being written in."""
    paragraphs = _PARAGRAPHS[kind](items, actor)
    one = items[0]
    if len(items) == 1:
        subject = _subject(kind, f"{one.entry.reference} {_title(one)}")
    else:
        subject = _many_subject(kind, len(items))
    paragraphs.append(
        _with_link(
            gettext("You can choose which emails you get about entries on your account page:"),
            "account.emails",
        )
    )
    return subject, signed_off(paragraphs)


def _subject(kind: str, entry: str) -> str:
    if kind == SUBMITTED:
        return gettext("Waiting for your review: %(entry)s", entry=entry)
    if kind == SENT_BACK:
        return gettext("Changes requested: %(entry)s", entry=entry)
    if kind == PUBLISHED:
        return gettext("Published: %(entry)s", entry=entry)
    return gettext("Withdrawn: %(entry)s", entry=entry)


def _many_subject(kind: str, count: int) -> str:
    if kind == SUBMITTED:
        return ngettext(
            "%(num)s entry waiting for your review",
            "%(num)s entries waiting for your review",
            count,
        )
    if kind == SENT_BACK:
        return ngettext(
            "%(num)s entry sent back with changes requested",
            "%(num)s entries sent back with changes requested",
            count,
        )
    if kind == PUBLISHED:
        return ngettext("%(num)s entry published", "%(num)s entries published", count)
    return ngettext("%(num)s entry withdrawn", "%(num)s entries withdrawn", count)


def _submitted(items: list[Moved], actor: str) -> list[str]:
    if len(items) == 1:
        entry = items[0].entry
        return [
            gettext(
                "%(actor)s has submitted this entry of %(organisation)s for review:",
                actor=actor,
                organisation=entry.organisation.name,
            )
            + "\n"
            + _named(items[0]),
            _with_link(
                gettext("Check it, then publish it or send it back with a comment:"),
                "manage.review",
                reference=entry.reference,
            ),
        ]
    return [
        ngettext(
            "%(actor)s has submitted %(num)s entry for review. Check each one, then publish it "
            "or send it back with a comment:",
            "%(actor)s has submitted %(num)s entries for review. Check each one, then publish "
            "it or send it back with a comment:",
            len(items),
            actor=actor,
        ),
        _listed(items, "manage.review"),
    ]


def _sent_back(items: list[Moved], actor: str) -> list[str]:
    return _each_with_words(
        items,
        gettext("%(actor)s has sent this entry back to you with changes requested:", actor=actor),
        gettext("Their comment:"),
        gettext("Make the changes, then submit the entry for review again:"),
    )


def _published(items: list[Moved], actor: str) -> list[str]:
    if len(items) == 1:
        version = items[0].entry.current_version
        if version and version.number:
            said = gettext(
                "%(actor)s has published version %(number)s of this entry:",
                actor=actor,
                number=version.number,
            )
        else:
            said = gettext("%(actor)s has published this entry:", actor=actor)
        return [
            said + "\n" + _named(items[0]),
            _with_link(
                gettext("The public can read it now:"),
                "entry_pages.entry",
                reference=items[0].entry.reference,
            ),
        ]
    return [
        ngettext(
            "%(actor)s has published %(num)s entry. The public can read it now:",
            "%(actor)s has published %(num)s entries. The public can read them now:",
            len(items),
            actor=actor,
        ),
        _listed(items, "entry_pages.entry"),
    ]


def _withdrawn(items: list[Moved], actor: str) -> list[str]:
    return _each_with_words(
        items,
        gettext(
            "%(actor)s, a register administrator, has withdrawn this entry from the public "
            "register:",
            actor=actor,
        ),
        gettext("The reason shown to the public:"),
        gettext("The entry’s page, with its history:"),
    )


def _each_with_words(items: list[Moved], said: str, heading: str, link: str) -> list[str]:
    """For each entry: what was done to it, the words given with it under `heading`, and a
    link to its task list introduced by `link`."""
    paragraphs = []
    for item in items:
        paragraphs += [
            said + "\n" + _named(item),
            heading + "\n" + item.words,
            _with_link(link, "manage.task_list", reference=item.entry.reference),
        ]
    return paragraphs


_PARAGRAPHS = {
    SUBMITTED: _submitted,
    SENT_BACK: _sent_back,
    PUBLISHED: _published,
    WITHDRAWN: _withdrawn,
}
