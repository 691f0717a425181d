"""Whole algorithmic transparency records, as GOV.UK publishes them: one heading per field.

GOV.UK's content API serves a record (`/api/content/algorithmic-transparency-records/...`)
as JSON whose `details.body` is HTML: a heading for each tier and section ("Tier 1
Information", "Tier 2 - Owner and Responsibility"), then a heading for each field with its
answer under it ("1.1 - Organisation or department"). The headings changed over the
standard's versions (version 2.1's "Method" and "Risks", version 3's "Risks and
mitigations", version 4's "Third party" and "Human review"), so a field is known by its
name, whatever its number, as `FIELD_NAMES` lists them from the standard's field tables.
The JSON's `details.metadata` holds the finder's fields (see `atrs_finder`). This reads one
record's JSON, a JSON list of them, or a record's body or page saved as HTML.

Each field becomes a cell named as its heading names it ("Organisation or department"),
which reads as the standard's attribute (`organisation_or_department`): the answers map
onto the record as the ATRS format's do (`atrs.map_answers`). A field named twice (a
second model's "Model name") is named with its section. A heading with no answer under it
was left blank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from ...schema import all_fields, groups
from ...schema.texts import N_, Composed, Given
from ..files import (
    DEFAULT_LIMITS,
    NOT_DECODED,
    FileRefused,
    ReadLimits,
    SourceRecord,
    check_kind,
    json_records,
    text_of,
    too_long,
)
from ..html_pages import PageSection, read_page
from ..mapping import Mapper
from ..values import squeeze
from . import Format
from . import atrs_finder as finder
from .atrs import ALIASES as ATRS_ALIASES
from .atrs import map_answers

GOVUK = finder.GOVUK

# The fields of the standard's versions 2.1, 3.0 and 4.0, as its field tables name them (and
# the metadata GOV.UK or the template adds); with the attribute names of version 1.1, these
# are the headings a record is recognised by.
FIELD_NAMES = (
    # Metadata and title information (versions 2.1 and 3.0)
    "ID",
    "Standard version",
    "Organisation type",
    "Function",
    "Capability",
    "Task",
    "Tags",
    "Date of completion",
    "Date updated",
    "Date archived",
    "Title",
    "Organisation name",
    "Phase",
    "Region",
    "One sentence description",
    # Tier 1
    "Name",
    "Description",
    "URL of the website",
    "Website URL",
    "Contact email",
    # Owner and responsibility
    "Organisation/ department",
    "Organisation or department",
    "Team",
    "Senior responsible owner",
    "External supplier involvement",
    "Supplier or developer of the algorithmic tool",
    "External supplier",
    "Companies House Number",
    "External supplier role",
    "Procurement procedure type",
    "Terms of access to data for external supplier",
    "Data access terms",
    "Third party involvement",
    "Third party",
    "Third party role",
    "Third party data access terms",
    # Description and rationale
    "Detailed description",
    "Scope",
    "Benefit",
    "Benefits",
    "Previous process",
    "Alternatives considered",
    # Decision-making process (version 4: deployment context)
    "Process integration",
    "Provided information",
    "Integration into broader operational process",
    "Frequency and scale of usage",
    "Human decisions and review",
    "Human review",
    "Required training",
    "Appeals and review",
    # Tool, model and data specification
    "Method",
    "System architecture",
    "System-level input",
    "System-level output",
    "Maintenance",
    "Models",
    "Model name",
    "Model version",
    "Model task",
    "Model input",
    "Model output",
    "Model architecture",
    "Model performance",
    "Datasets",
    "Dataset purposes",
    "Datasets and their purposes",
    "Source data name",
    "Source data",
    "Development data description",
    "Data modality",
    "Data description",
    "Data quantities",
    "Sensitive attributes",
    "Data completeness and representativeness",
    "Source data URL",
    "Data collection",
    "Data cleaning",
    "Data sharing agreements",
    "Data access and storage",
    # Risks, mitigations and impact assessments
    "Impact assessments",
    "Impact assessment",
    "Risks",
    "Risks and mitigations",
)

# A field's number before its name: "1.4.1 - ", "2.4.2.6. ", "1 - ", "3) ".
_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s*(?:[-–—:)]\s*)?")
# A tier before a section's name: "Tier 2 - Owner and Responsibility".
_TIER = re.compile(r"^\s*tier\s*\d+\s*(?:[-–—:]\s*)?", re.IGNORECASE)
_BEFORE_HEADINGS = "Text before the first heading"


def merged(*tables: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Aliases of several formats, each field's columns in order, without repeats."""
    found: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for name, columns in table.items():
            found[name] = tuple(dict.fromkeys((*found.get(name, ()), *columns)))
    return found


ALIASES = merged(ATRS_ALIASES, finder.ALIASES)


def label_of(heading: str) -> str:
    """A heading's field name, without its number."""
    return " ".join(_NUMBER.sub("", heading, count=1).split())


def known_names() -> frozenset[str]:
    """Every field name a record is recognised by (squeezed): the standard's, and every
    column the format reads."""
    names = {squeeze(name) for name in FIELD_NAMES}
    for item in (*all_fields(), *(f for group in groups() for f in group.fields)):
        if "atrs" in item.crosswalk:
            names.add(squeeze(item.crosswalk["atrs"]))
    names.update(squeeze(column) for columns in ALIASES.values() for column in columns)
    return frozenset(names)


KNOWN = known_names()


def cells_of_sections(sections: Iterable[PageSection]) -> dict[str, Any]:
    """Each answered field's text, named by its heading (a repeated one with its section)."""
    cells: dict[str, Any] = {}
    section = ""
    for part in sections:
        label = label_of(part.heading) or _BEFORE_HEADINGS
        if not part.text:
            if part.level <= 2 or _TIER.match(part.heading):
                section = label_of(_TIER.sub("", part.heading))
            continue
        add_cell(cells, label, _answer(part), section)
        if len(part.links) == 1 and (words := _link_words(part)):
            add_cell(cells, f"{label} (the link’s words)", words, section)
    return cells


def _answer(part: PageSection) -> str:
    """The text under a heading; a lone link, as its address (an email link's, without
    "mailto:")."""
    if len(part.links) == 1 and _link_words(part) is not None:
        return part.links[0].removeprefix("mailto:")
    return part.text


def _link_words(part: PageSection) -> str | None:
    """If the text under a heading is one link, its words ("" if they are the address);
    None if the text is more than a link."""
    address = part.links[0].removeprefix("mailto:") if part.links else ""
    if part.text == address:
        return ""
    match = re.fullmatch(r"(.+) \((\S+)\)", part.text)
    return match[1] if match and match[2] == address and "\n" not in part.text else None


def add_cell(cells: dict[str, Any], label: str, value: Any, section: str = "") -> None:
    """Add a cell, named so that it is told apart (in any case or spacing) from the others."""
    taken = {squeeze(name) for name in cells}
    name = label
    if squeeze(name) in taken and section:
        name = f"{label} ({section})"
    number = 2
    while squeeze(name) in taken:
        name = f"{label} ({number})"
        number += 1
    cells[name] = value


def recognised(cells: Mapping[str, Any]) -> bool:
    """Whether the cells are a record of the standard: two or more of its fields."""
    return sum(1 for name in cells if squeeze(name) in KNOWN) >= 2


def record_files(stream: IO[bytes], limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[SourceRecord]:
    """The records of GOV.UK's JSON for one record or a list of them, or of one record's
    body or page as HTML."""
    check_kind(stream, expected=N_("JSON or HTML"))
    start = stream.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    stream.seek(0)
    if start in (b"{", b"["):
        for record in json_records(stream, limits):
            yield _content_item(record, limits)
        return
    if start != b"<":
        raise FileRefused(
            N_(
                "This is not an algorithmic transparency record: it is neither GOV.UK’s JSON "
                "for one nor a record’s page (HTML)."
            )
        )
    size = stream.seek(0, 2)
    stream.seek(0)
    if size > limits.cell * 4:
        raise too_long(N_("The page"), limits)
    text = text_of(stream, expected=N_("HTML"))
    try:
        page = read_page(text.read(), limits, base_url=GOVUK)
    except UnicodeDecodeError:
        raise FileRefused(NOT_DECODED) from None
    finally:
        text.detach()
    cells: dict[str, Any] = {}
    for name, value in (
        ("title", page.title),
        ("one_sentence_description", page.description),
        ("link", page.address if page.address.startswith(GOVUK + "/") else ""),
    ):
        if value:
            cells[name] = value
    fields = cells_of_sections(page.sections)
    _check(fields, "the page")
    for name, value in fields.items():
        add_cell(cells, name, value)
    yield SourceRecord(1, cells, N_("the page"))


def _content_item(record: SourceRecord, limits: ReadLimits) -> SourceRecord:
    """A record from GOV.UK's JSON for it: the finder's metadata, its title, summary,
    address and dates, and its body's fields."""
    item = record.cells
    details = item.get("details")
    body = details.get("body") if isinstance(details, dict) else None
    if not isinstance(body, str):
        raise FileRefused(
            Composed(
                N_(
                    "Record %(number)s of the file is not GOV.UK’s JSON for an algorithmic "
                    "transparency record: it has no body (“details.body”)."
                ),
                number=Given(str(record.number)),
            )
        )
    cells: dict[str, Any] = {}
    for name, key in (
        ("title", "title"),
        ("one_sentence_description", "description"),
        ("first_published_at", "first_published_at"),
        ("public_updated_at", "public_updated_at"),
    ):
        if item.get(key):
            cells[name] = item[key]
    base_path = item.get("base_path")
    if isinstance(base_path, str) and base_path.startswith("/"):
        cells["link"] = GOVUK + base_path
    metadata = details.get("metadata")
    if isinstance(metadata, dict):
        cells.update(metadata)
    fields = cells_of_sections(read_page(body, limits, base_url=GOVUK).sections)
    # GOV.UK's JSON says what it is; a body without the standard's headings (the first
    # records were written as prose) is still a record when it does.
    if item.get("document_type") != "algorithmic_transparency_record":
        _check(fields, record.where)
    for name, value in fields.items():
        add_cell(cells, name, value)
    return SourceRecord(record.number, cells, record.where)


def _check(fields: Mapping[str, Any], where: str) -> None:
    if not recognised(fields):
        raise FileRefused(
            Composed(
                N_(
                    "This is not an algorithmic transparency record: %(where)s has none of the "
                    "standard’s headings (such as “Name”, “Description”, “Organisation or "
                    "department”)."
                ),
                where=where,
            )
        )


def map_record(mapper: Mapper) -> None:
    """One whole record: where it comes from as the finder says, then its answers."""
    link = finder.source_link(mapper)
    finder.govuk_organisation_of(mapper, *mapper.columns_for("organisation"))
    map_answers(mapper)
    finder.without_organisation(mapper)
    finder.finder_choices(mapper)
    if link and "web_page" not in mapper.entry.values:
        mapper.text("web_page", link)


ATRS_RECORD = Format(
    name="atrs-record",
    label="Algorithmic transparency records: whole records from GOV.UK (HTML or JSON)",
    source="atrs",
    map=map_record,
    columns=(),
    day_first=True,
    reads="html or json",
    aliases=ALIASES,
    read=record_files,
    source_name="GOV.UK algorithmic transparency records",
    source_url="https://www.gov.uk/algorithmic-transparency-records",
)

FORMATS = (ATRS_RECORD,)
