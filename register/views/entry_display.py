"""How a published entry reads on the public pages, derived from the record definition.

Every answer becomes a `Shown`: the words a person reads, and where they may link to. The
templates only lay these out, so a field added to the schema reaches the page without a
template change, and a blank answer is said plainly rather than left out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import url_for
from flask_babel import gettext

from .. import languages, published, schema, withholding
from ..formatting import day, partial_date
from ..languages import DEFAULT_LANGUAGE
from ..models import Entry, EntryVersion, Organisation
from ..publishing import rows_of, values_of
from ..schema import Kind
from ..schema.texts import N_, answer_label, choice_label, shown
from ..validation import is_blank, is_required
from .entry_summary import row_title

_FIELDS = {f.name: f for f in schema.all_fields()}
CHANGE_NOTE = schema.CHANGE_NOTE
SOURCE_LABEL = N_("Source")
RETIRED = "retired"  # the status code of a tool no longer in use
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Shown:
    """One answer as a person reads it: a line, paragraphs or a list, perhaps a link."""

    text: str = ""
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    href: str = ""
    external: bool = False  # a link to another site
    # For a required question an imported entry leaves unanswered: the source that did not
    # record it, and where to read the source.
    not_recorded_in: str = ""
    source_href: str = ""
    # For an answer given only in the language the page is not in: that language (for the
    # `lang` attribute), and the note saying so.
    lang: str = ""
    language_note: str = ""

    @property
    def blank(self) -> bool:
        return not (self.text or self.paragraphs or self.items)


@dataclass(frozen=True)
class Answer:
    label: str
    shown: Shown


@dataclass(frozen=True)
class RowCard:
    title: str
    answers: list[Answer]


@dataclass(frozen=True)
class GroupRows:
    group: schema.Group
    rows: list[RowCard]
    # For a group withheld as a whole (it has no rows), what the page says instead.
    withheld: str = ""


@dataclass(frozen=True)
class SectionCard:
    section: schema.Section
    answers: list[Answer]
    groups: list[GroupRows] = field(default_factory=list)


# Pages served by the public listing: the entries and each organisation's page.
def listing_url() -> str:
    return url_for("listing.entries")


def organisation_url(organisation: Organisation) -> str:
    return url_for("organisations.organisation", slug=organisation.slug)


def page_links() -> dict[str, Any]:
    """What every public page about an entry links to: the listing and the organisation."""
    return {"listing_url": listing_url(), "organisation_url": organisation_url}


def safe_link(url: str) -> str:
    """`url` if it is a web address that is safe to link to (http or https), else ""."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def show(item: schema.Field, value: Any, organisation: Organisation | None = None) -> Shown:
    """How the answer `value` to `item` reads on a public page."""
    if item.kind is Kind.ORGANISATION:
        if organisation is None:
            return Shown()
        return Shown(organisation.name, href=organisation_url(organisation))
    if is_blank(value):
        return Shown()
    if item.kind is Kind.CHOICES:
        return Shown(items=tuple(choice_label(item.vocabulary, code) for code in value))
    if item.kind is Kind.LONG_TEXT:
        paragraphs = (p.strip() for p in PARAGRAPH_BREAK.split(str(value)))
        return Shown(paragraphs=tuple(p for p in paragraphs if p))
    if item.kind is Kind.URL:
        link = safe_link(str(value))
        return Shown(str(value), href=link, external=bool(link))
    if item.kind is Kind.EMAIL:
        return Shown(str(value), href=f"mailto:{value}")
    if item.kind is Kind.PARTIAL_DATE:
        return Shown(partial_date(str(value)))
    if item.kind in (Kind.DATE, Kind.DATETIME):
        return Shown(day(value))
    return Shown(answer_label(item, value))


def in_page_language(
    item: schema.Field, values: Mapping[str, Any], organisation: Organisation | None = None
) -> Shown:
    """The answer to `item` in the page's language: for a question answered in English and
    Welsh, the answer in the page's language when it was given in it, else the other one,
    marked with its language and a note that it is only in that language."""
    if not item.welsh:
        return show(item, values.get(item.name), organisation)
    said = languages.in_page_language(values.get(item.name), values.get(item.welsh_name))
    answer = show(item, said)
    if not said.lang or answer.blank:
        return answer
    note = gettext("Only in English") if said.lang == DEFAULT_LANGUAGE else gettext("Only in Welsh")
    return replace(answer, lang=said.lang, language_note=note)


def _asked(fields: Sequence[schema.Field]) -> list[schema.Field]:
    """The questions a page shows: a Welsh answer is shown in its English one's place."""
    return [f for f in fields if not f.welsh_of]


def row_cards(
    group: schema.Group, rows: Sequence[Mapping[str, Any]], source: ImportedFrom | None = None
) -> list[RowCard]:
    """One card per row; with the `source` of an imported entry, a required question a row
    leaves unanswered says the source did not record it, as the entry's own questions do."""
    return [
        RowCard(
            row_title(group, row, number),
            [Answer(shown(f.label), _answer(f, row, None, source)) for f in _asked(group.fields)],
        )
        for number, row in enumerate(rows, start=1)
    ]


@dataclass(frozen=True)
class ImportedFrom:
    """Where an imported entry came from: its latest import's source, when, and the link to
    the entry in the source (or to the source, where the entry has no address of its own)."""

    source: str
    imported_at: datetime
    href: str

    @property
    def shown(self) -> Shown:
        href = safe_link(self.href)
        text = gettext(
            "Imported from %(source)s on %(day)s", source=self.source, day=day(self.imported_at)
        )
        return Shown(text, href=href, external=bool(href))


def imported_from(entry: Entry) -> ImportedFrom | None:
    """The latest import that created or updated the entry, if it was imported."""
    if not entry.source or not entry.provenance:
        return None
    latest = entry.provenance[-1]
    batch = latest.batch
    return ImportedFrom(
        batch.source, batch.imported_at, latest.source_link or batch.source_url or ""
    )


def _answer(
    item: schema.Field,
    values: Mapping[str, Any],
    organisation: Organisation | None,
    source: ImportedFrom | None,
    withheld: Mapping[str, withholding.Withholding] | None = None,
) -> Shown:
    """An answer; for one withheld, that it is withheld and why; for a required question an
    imported entry leaves unanswered, that its source did not record it."""
    if withheld and item.name in withheld:
        return Shown(withheld[item.name].shown)
    shown = in_page_language(item, values, organisation)
    if source is not None and shown.blank and is_required(item, values):
        return Shown(not_recorded_in=source.source, source_href=safe_link(source.href))
    return shown


def section_cards(
    entry: Entry, version: EntryVersion, source: ImportedFrom | None = None
) -> list[SectionCard]:
    """One card per section of the record, with every question; then each repeating group's
    rows, one card per row. With the `source` of an imported entry, each required question
    left unanswered says the source did not record it."""
    values, rows = values_of(version), rows_of(version)
    withheld = withholding.withheld_of(version)
    return [
        SectionCard(
            section,
            [
                Answer(shown(f.label), _answer(f, values, entry.organisation, source, withheld))
                for f in _asked(section.fields)
                if applies(f, values) or f.name in withheld
            ],
            [
                GroupRows(
                    g,
                    row_cards(g, rows.get(g.name, []), source),
                    withheld[g.name].shown if g.name in withheld else "",
                )
                for g in section.groups
            ],
        )
        for section in schema.SECTIONS
    ]


# What a reader comes for first: what the tool is, whether it is in use, what it decides
# and who oversees it. These open the page; each is in its own section below too, so a
# section still reads whole.
AT_A_GLANCE = ("summary", "status", "decision_role", "oversight_model")


def at_a_glance(
    entry: Entry, version: EntryVersion, source: ImportedFrom | None = None
) -> list[Answer]:
    """The answers that open the entry's page, in `AT_A_GLANCE` order."""
    values, withheld = values_of(version), withholding.withheld_of(version)
    return [
        Answer(
            shown(_FIELDS[name].label),
            _answer(_FIELDS[name], values, entry.organisation, source, withheld),
        )
        for name in AT_A_GLANCE
    ]


def applies(item: schema.Field, values: Mapping[str, Any]) -> bool:
    """Whether a question applies to the entry: one asked only for some answers to another
    (the retirement date, for a retired tool) is left off the page for the rest, unless it
    was answered anyway."""
    if item.required_if is None:
        return True
    return is_required(item, values) or not is_blank(values.get(item.name))


# What the register keeps for people who process its files, not for a reader of the page.
_NOT_ON_THE_PAGE = frozenset({"schema_version"})


def register_details(
    entry: Entry, version: EntryVersion, *, current: bool, source: ImportedFrom | None = None
) -> list[Answer]:
    """What the register keeps about the entry (its reference, version, dates), with the
    organisation and the contact address, and for an imported entry where it came from. An
    earlier version shows its own publication date and change note; review dates belong to
    the entry as it is now, so only the current version shows them."""
    values: dict[str, Any] = {
        "reference": entry.reference,
        "version": version.number,
        "first_published_at": entry.first_published_at,
        "last_published_at": version.published_at,
        "change_note": version.change_note,
    }
    if current:
        values["last_reviewed_on"] = entry.last_reviewed_on
        if version.status != RETIRED:
            values["next_review_due"] = entry.next_review_due
    organisation, contact = _FIELDS["organisation"], _FIELDS["contact_email"]
    return [
        Answer(shown(organisation.label), show(organisation, None, entry.organisation)),
        *(
            Answer(shown(f.label), show(f, values[f.name]))
            for f in schema.REGISTER_FIELDS
            if f.name in values and f.name not in _NOT_ON_THE_PAGE
        ),
        Answer(
            shown(contact.label),
            _answer(contact, {"contact_email": version.contact_email}, entry.organisation, source),
        ),
        *([Answer(shown(SOURCE_LABEL), source.shown)] if source is not None else []),
    ]


def review_overdue(entry: Entry, version: EntryVersion) -> date | None:
    """The review date the entry has passed, on its current version's page; else None."""
    if version.is_current and published.is_overdue(entry, date.today()):
        return entry.next_review_due
    return None


@dataclass(frozen=True)
class Retirement:
    when: str  # "in March 2025", "on 7 March 2025", or "" if no date was given
    reason: Shown


def retirement(version: EntryVersion) -> Retirement | None:
    """When and why the tool was retired, if this version says it was."""
    if version.status != RETIRED:
        return None
    retired_on = version.retired_on or ""
    when = partial_date(retired_on)
    if when:
        # A day, a month or a year each takes its own words in Welsh ("ym mis Mawrth 2025").
        precision = min(retired_on.count("-"), 2)
        if precision == 2:
            when = gettext("on %(day)s", day=when)
        else:
            when = (
                gettext("in %(month)s", month=when)
                if precision
                else gettext("in %(year)s", year=when)
            )
    asked = _FIELDS["retirement_reason"]
    # Read one by one: a preview of the retirement is not a stored version.
    answers = {name: getattr(version, name, None) for name in (asked.name, asked.welsh_name)}
    return Retirement(when, in_page_language(asked, answers))
