"""The EU database of high-risk AI systems: what a public body registers of its use of a tool
(EU AI Act, Regulation (EU) 2024/1689, Article 49(3) and Annex VIII, section C).

The database publishes no schema and accepts no files, so this shape is the register's own
JSON: each point of section C with its value from the record, or null with the reason, and
`missing`, what the organisation still has to answer on the register before it registers,
each naming the question and its page. Whether the tool must be registered at all follows
from its category under the Act and its area of Annex III (Article 49(3) to (5)). Which
field answers which point is the fields' "eu" crosswalk in the schema; the Annex III point
is each area's "eu" crosswalk.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from .. import schema
from ..opendata.writers import json_array_chunks
from ..schema.eu_act import (
    HIGH_RISK,
    NATIONAL_POINT,
    PUBLIC_SECTION,
    SECURE_POINTS,
    SECURE_SECTION,
    annex_point,
)
from .shape import Record, Shape, Writing

STANDARD = "EU AI Act (Regulation (EU) 2024/1689), Annex VIII, section C"
# The crosswalk names of the questions saying which area of Annex III applies, and of the
# impact assessments that answer points C.4 and C.5.
ANNEX_AREA = "ai_system.annex_iii_point"
ASSESSMENTS = "C.4/C.5"


@functools.cache
def _by_crosswalk() -> dict[str, schema.Field | schema.Group]:
    """The record's fields and groups by their name in this shape (their "eu" crosswalk)."""
    items = [*schema.all_fields(), *schema.groups()]
    return {item.crosswalk["eu"]: item for item in items if "eu" in item.crosswalk}


def _field(key: str) -> schema.Field | schema.Group:
    return _by_crosswalk()[key]


def _value(record: Record, key: str) -> Any:
    """The record's answer to the question this shape calls `key`; None if unanswered."""
    value = record.get(_field(key).name)
    return None if value in ("", []) else value


@functools.cache
def _section_of(name: str) -> schema.Section:
    return next(sec for sec in schema.SECTIONS if any(item.name == name for item in sec.items))


def _answer(key: str, why: str) -> str:
    """What to do on the register to fill a gap: the question, and the page that asks it."""
    item = _field(key)
    page = _section_of(item.name).title
    if isinstance(item, schema.Group):
        return f"{why}, under “{item.label}” on the “{page}” page."
    return f"{why}: answer “{item.label}” on the “{page}” page."


def _assessments(record: Record, kind: str) -> list[dict[str, Any]]:
    rows = record.get(_field(ASSESSMENTS).name) or []
    return [
        {name: row.get(name) for name in ("title", "date", "summary", "link")}
        for row in rows
        if row.get("kind") == kind
    ]


class Registration:
    """One entry's registration, worked out point by point; `missing` gathers the gaps."""

    def __init__(self, record: Record) -> None:
        self.record = record
        self.missing: list[str] = []
        self.annex_point = self._annex_point()

    def _annex_point(self) -> str | None:
        return annex_point(_value(self.record, ANNEX_AREA))

    def need(self, key: str, why: str) -> None:
        self.missing.append(_answer(key, why))

    def required(self) -> dict[str, Any]:
        """Whether the use must be registered, why, and in which part of the database."""
        category = self.record.get("eu_ai_act_category")
        area = _value(self.record, ANNEX_AREA)
        if category in (None, "", "not_assessed"):
            self.missing.append(
                "Assess the tool under the EU AI Act, then answer “EU AI Act category” on "
                f"the “{_section_of('eu_ai_act_category').title}” page: registration "
                "depends on it."
            )
            return _required(None, "The record does not say whether the tool is high-risk.")
        if category != HIGH_RISK:
            return _required(
                False,
                "Deployers register high-risk AI systems only (Article 49(3)); the record "
                f"gives the category “{_category_label(category)}”.",
            )
        if area is None:
            self.need(ANNEX_AREA, "Say which area of Annex III the tool’s use falls in")
            return _required(None, "The record does not say which area of Annex III applies.")
        if self.annex_point is None:
            return _required(
                False, "Deployers register only high-risk AI systems listed in Annex III."
            )
        if self.annex_point == NATIONAL_POINT:
            return _required(
                False,
                "Systems in Annex III point 2 are registered at national level "
                "(Article 49(5)), not in the EU database.",
            )
        if self.annex_point in SECURE_POINTS:
            return _required(
                True,
                f"A high-risk AI system of Annex III point {self.annex_point}: registered in "
                "the database's secure non-public section, with points C.1 to C.3 only "
                "(Article 49(4)).",
                SECURE_SECTION,
            )
        return _required(
            True,
            f"A high-risk AI system of Annex III point {self.annex_point} (Article 49(3)).",
            PUBLIC_SECTION,
        )

    def deployer(self) -> dict[str, Any]:
        organisation = self.record.get("organisation") or {}
        value = {
            "name": organisation.get("name"),
            "address": _value(self.record, "C.1.address"),
            "contact_email": _value(self.record, "C.1.contact_email"),
        }
        gaps = []
        if value["address"] is None:
            self.need("C.1.address", "Add the organisation’s postal address")
            gaps.append("postal address")
        if value["contact_email"] is None:
            self.need("C.1.contact_email", "Add a contact email address")
            gaps.append("contact email address")
        reason = f"The record has no {' or '.join(gaps)}." if gaps else None
        return _point("C.1", "The name, address and contact details of the deployer", value, reason)

    def submitter(self) -> dict[str, Any]:
        return _point(
            "C.2",
            "The name, address and contact details of the person submitting information on "
            "behalf of the deployer",
            None,
            "The register does not keep who registers the use for the organisation: that "
            "person gives their own name, address and contact details in the EU database.",
        )

    def provider_entry(self) -> dict[str, Any]:
        url = _value(self.record, "C.3")
        reason = None
        if url is None:
            self.need("C.3", "Add the address of the provider’s entry")
            reason = "The record has no address of the provider’s entry in the EU database."
        return _point(
            "C.3",
            "The URL of the entry of the AI system in the EU database by its provider",
            url,
            reason,
        )

    def fundamental_rights(self, secure: bool) -> dict[str, Any]:
        text = (
            "A summary of the findings of the fundamental rights impact assessment conducted "
            "in accordance with Article 27"
        )
        if secure:
            return _point("C.4", text, None, _NOT_IN_SECURE_SECTION)
        found = _assessments(self.record, "fundamental_rights")
        return _point("C.4", text, *self._summaries(found, "fundamental_rights"))

    def data_protection(self, secure: bool) -> dict[str, Any]:
        text = (
            "A summary of the data protection impact assessment carried out in accordance with "
            "Article 35 of Regulation (EU) 2016/679 or Article 27 of Directive (EU) 2016/680 as "
            "specified in Article 26(8) of this Regulation, where applicable"
        )
        if secure:
            return _point("C.5", text, None, _NOT_IN_SECURE_SECTION)
        personal = self.record.get("uses_personal_data")
        if personal is False:
            return _point("C.5", text, None, "Not applicable: the tool uses no personal data.")
        if personal is None:
            self.missing.append(
                "Say whether the tool uses personal data: answer “Does the tool use personal "
                f"data?” on the “{_section_of('uses_personal_data').title}” page."
            )
        found = _assessments(self.record, "data_protection")
        return _point("C.5", text, *self._summaries(found, "data_protection"))

    def _summaries(self, found: list[dict[str, Any]], kind: str) -> tuple[Any, str | None]:
        """The assessments of one kind as a point's value, and the reason if it falls short."""
        label = schema.VOCABULARIES["impact_assessment_kind"].label_for(kind)
        if not found:
            self.need(
                ASSESSMENTS,
                f"Add the tool’s {label.lower()}, of the kind “{label}” and with a summary of "
                "what it found",
            )
            return None, f"The record has no {label.lower()}."
        if not any(row["summary"] for row in found):
            self.need(
                ASSESSMENTS,
                f"Add a summary of what it found to the {label.lower()}",
            )
            return found, f"The record’s {label.lower()} has no summary."
        return found, None

    def registration_number(self, required: bool | None) -> str | None:
        number = _value(self.record, "registration_number")
        if number is None and required is not False:
            self.need(
                "registration_number",
                "Once the use is registered, add the number the EU database gave it",
            )
        return number


_NOT_IN_SECURE_SECTION = (
    "Not registered for this area of Annex III: Article 49(4) asks for points C.1 to C.3 only."
)


def _required(
    required: bool | None, reason: str, database_section: str | None = None
) -> dict[str, Any]:
    return {"required": required, "reason": reason, "database_section": database_section}


def _point(point: str, text: str, value: Any, reason: str | None) -> dict[str, Any]:
    return {"point": point, "text": text, "value": value, "reason": reason}


def _category_label(code: str) -> str:
    return schema.VOCABULARIES["eu_ai_act_category"].label_for(code)


def registration(record: Record) -> dict[str, Any]:
    """One entry's registration in the EU database, as this shape writes it."""
    found = Registration(record)
    required = found.required()
    secure = required["database_section"] == SECURE_SECTION
    points = [
        found.deployer(),
        found.submitter(),
        found.provider_entry(),
        found.fundamental_rights(secure),
        found.data_protection(secure),
    ]
    number = found.registration_number(required["required"])
    return {
        "standard": STANDARD,
        "register_schema_version": schema.SCHEMA_VERSION,
        "reference": record.get("reference"),
        "version": record.get("version"),
        "ai_system": {
            "title": record.get("title"),
            "annex_iii_point": found.annex_point,
        },
        "registration": required,
        "registration_number": number,
        "points": points,
        # A use that need not be registered leaves nothing to do.
        "missing": [] if required["required"] is False else found.missing,
    }


def one(record: Record) -> bytes:
    """One entry's registration as a JSON document."""
    return (json.dumps(registration(record), ensure_ascii=False, indent=2) + "\n").encode()


def many(records: Iterable[Record]) -> Iterator[bytes]:
    """Every entry's registration, as one JSON array streamed a record per line."""
    return json_array_chunks(registration(record) for record in records)


SHAPE = Shape(
    code="eu-ai-act",
    label="EU AI Act database (Annex VIII, section C)",
    summary="What a public body registers of a high-risk AI system’s use in the EU database: "
    "each point of Annex VIII section C, with what the entry still lacks.",
    writings=(Writing("json", "application/json", "JSON", one, many),),
    docs_anchor="eu-ai-act-database-annex-viii-section-c",
)
