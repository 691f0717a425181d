"""Files in other registers' formats, built in memory for import tests.

The column lists are the published ones: the US 2025 inventory's data dictionary, the
header of the US 2024 consolidated inventory, and the attributes of version 1.1 of the UK
Algorithmic Transparency Recording Standard. Rows are dicts keyed by column name (or, for
2024, by the short names in `US_2024_QUESTIONS`); columns a row leaves out are blank.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Mapping, Sequence

from register.importing.formats import Format
from register.importing.mapping import ImportedEntry
from register.standards.us import INVENTORY_COLUMNS

# The 2025 inventory's columns, in its order (checked against the real file in
# tests/data/real/us/ by tests/test_standards_us.py).
US_2025_COLUMNS = list(INVENTORY_COLUMNS)

_EXPLAIN = "If Other, please explain."

# The 2024 header, in order. It asks "If Other, please explain." after several questions.
US_2024_COLUMNS = [
    "Use Case Name",
    "Agency",
    "Agency Abbreviation",
    "Bureau",
    "Use Case Topic Area",
    "Other (Use Case Topic Area)",
    "Is the AI use case found in the below list of general commercial AI products and services?",
    "What is the intended purpose and expected benefits of the AI?",
    "Describe the AI system’s outputs.",
    "Stage of Development",
    "Is the AI use case rights-impacting, safety-impacting, both, or neither?",
    "Date Initiated",
    "Date when Acquisition and/or Development began",
    "Date Implemented",
    "Date Retired",
    "Was the AI system involved in this use case developed (or is it to be developed) under "
    "contract(s) or in-house? ",
    "Provide the Procurement Instrument Identifier(s) (PIID) of the contract(s) used.",
    "Is this AI use case supporting a High-Impact Service Provider (HISP) public-facing service?",
    "Which HISP is the AI use case supporting?",
    "Which public-facing service is the AI use case supporting?",
    "Does this AI use case disseminate information to the public?",
    "How is the agency ensuring compliance with Information Quality Act guidelines, if applicable?",
    "Does this AI use case involve personally identifiable information (PII) that is "
    "maintained by the agency?",
    "Has the Senior Agency Official for Privacy (SAOP) assessed the privacy risks associated "
    "with this AI use case?",
    "Do you have access to an enterprise data catalog or agency-wide data repository that "
    "enables you to identify whether or not the necessary datasets exist and are ready to "
    "develop your use case?",
    _EXPLAIN,
    "Describe any agency-owned data used to train, fine-tune, and/or evaluate performance of "
    "the model(s) used in this use case.",
    "Is there available documentation for the model training and evaluation data that "
    "demonstrates the degree to which it is appropriate to be used in analysis or for making "
    "predictions?",
    "Which, if any, demographic variables does the AI use case explicitly use as model features?",
    _EXPLAIN,
    "Does this project include custom-developed code?",
    "Does the agency have access to the code associated with the AI use case?",
    "If the code is open-source, provide the link for the publicly available source code.",
    "Does this AI use case have an associated Authority to Operate (ATO) for an AI system?",
    "System Name",
    "How long have you waited for the necessary developer tools to implement the AI use case? ",
    "For this AI use case, is the required IT infrastructure provisioned via a centralized "
    "intake form or process inside the agency?",
    _EXPLAIN,
    "Do you have a process in place to request access to computing resources for model "
    "training and development of the AI involved in this use case?",
    _EXPLAIN,
    "Has communication regarding the provisioning of your requested resources been timely?",
    _EXPLAIN,
    "How are existing data science tools, libraries, data products, and internally-developed "
    "AI infrastructure being re-used for the current AI use case?",
    "Has information regarding the AI use case, including performance metrics and intended "
    "use of the model, been made available for review and feedback within the agency?",
    "Has your agency requested an extension to implement the minimum risk management "
    "practices for this AI use case?",
    "Has an AI impact assessment been conducted for this AI use case?",
    "Has the AI use case been tested in operational or real-world environments to "
    "understand the performance and impact it may have on affected individuals or "
    "communities?",
    "What are the key risks from using the AI for this particular use case and how were they "
    "identified?",
    "Has an independent evaluation of the AI use case been conducted?",
    "Is there a process to monitor performance of the AI system’s functionality and changes "
    "to its impact on rights or safety as part of the post-deployment plan for the AI use "
    "case?",
    "For this particular use case, can the AI carry out a decision or action without direct "
    "human involvement that could result in a significant impact on rights or safety?",
    _EXPLAIN,
    "How is the agency providing reasonable and timely notice regarding the use of AI when "
    "people interact with an AI-enabled service as a result of this AI use case?",
    _EXPLAIN,
    "Is the AI used to significantly influence or inform decisions or actions that could "
    "have an adverse or negative impact on specific individuals or groups?",
    "What steps has the agency taken to detect and mitigate significant disparities in the "
    "model’s performance across demographic groups for this AI use case?",
    "What steps has the agency taken to consult and incorporate feedback from groups "
    "affected by this AI use case?",
    _EXPLAIN,
    "Is there an established fallback and escalation process for this AI use case in the "
    "event that an impacted individual or group would like to appeal or contest the AI "
    "system’s outcome?",
    "If No, please explain.",
    "Where practicable and consistent with applicable law and governmentwide policy, is "
    "there an established mechanism for individuals to opt-out from the AI functionality in "
    "favor of a human alternative?",
    _EXPLAIN,
]

# The 2024 header with each repeated question asked once: what a reader that refuses
# repeated column names accepts.
US_2024_DISTINCT_COLUMNS = list(dict.fromkeys(US_2024_COLUMNS))


def _asking(start: str) -> str:
    return next(column for column in US_2024_COLUMNS if column.startswith(start))


# Short names for the 2024 questions tests use most.
US_2024_QUESTIONS = {
    "name": "Use Case Name",
    "agency": "Agency",
    "abbreviation": "Agency Abbreviation",
    "bureau": "Bureau",
    "topic": "Use Case Topic Area",
    "purpose": "What is the intended purpose and expected benefits of the AI?",
    "outputs": "Describe the AI system’s outputs.",
    "stage": "Stage of Development",
    "impact": "Is the AI use case rights-impacting, safety-impacting, both, or neither?",
    "initiated": "Date Initiated",
    "implemented": "Date Implemented",
    "retired": "Date Retired",
    "built_by": _asking("Was the AI system"),
    "pii": _asking("Does this AI use case involve personally"),
    "data": _asking("Describe any agency-owned data"),
    "demographics": _asking("Which, if any, demographic"),
    "code": _asking("If the code is open-source"),
    "risks": _asking("What are the key risks"),
    "appeal": _asking("Is there an established fallback"),
    "appeal_why_not": "If No, please explain.",
}

# Version 1.1 of the standard, tier 1 then tier 2 (owner, description, decisions, model,
# data, impact assessments, risks).
ATRS_COLUMNS = [
    "name",
    "description",
    "website",
    "contact_email",
    "organisation",
    "team",
    "senior_responsible_owner",
    "external_supplier",
    "external_supplier_identifier",
    "external_supplier_role",
    "scope",
    "benefit",
    "alternatives_considered",
    "phase",
    "date_deployment",
    "decision_making_process",
    "human_decisions",
    "required_training",
    "appeals_and_review",
    "model_name",
    "model_version",
    "model_task",
    "model_input",
    "model_output",
    "model_architecture",
    "model_performance",
    "datasets",
    "dataset_purpose",
    "source_data_name",
    "source_data_description",
    "source_data_url",
    "data_collection",
    "data_sharing",
    "data_access_storage",
    "impact_assessment_name",
    "impact_assessment_description",
    "impact_assessment_date",
    "impact_assessment_link",
    "risk_name",
    "risk_description",
    "risk_mitigation",
]


def csv_file(
    columns: Sequence[str],
    rows: Iterable[Mapping[str, str]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    delimiter: str = ",",
) -> bytes:
    """A CSV file as a spreadsheet saves it (CRLF line ends, quoted where needed). A row
    naming a column the header lacks is a mistake in the test, so it raises."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise KeyError(f"not a column of this file: {', '.join(sorted(unknown))}")
        writer.writerow([row.get(column, "") for column in columns])
    data = buffer.getvalue().encode(encoding)
    return codecs.BOM_UTF8 + data if bom else data


def us_2025_csv(
    rows: Iterable[Mapping[str, str]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    columns: Sequence[str] = US_2025_COLUMNS,
) -> bytes:
    """A 2025 US inventory (the published file is UTF-8 with a byte order mark)."""
    return csv_file(columns, rows, encoding=encoding, bom=bom)


def us_2024_csv(
    rows: Iterable[Mapping[str, str]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    columns: Sequence[str] = US_2024_COLUMNS,
) -> bytes:
    """A 2024 US inventory (the published file is Windows-1252). Rows may use the short
    names of `US_2024_QUESTIONS`."""
    rows = [{US_2024_QUESTIONS.get(key, key): value for key, value in row.items()} for row in rows]
    return csv_file(columns, rows, encoding=encoding, bom=bom)


def atrs_csv(
    rows: Iterable[Mapping[str, str]],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    columns: Sequence[str] = ATRS_COLUMNS,
) -> bytes:
    """ATRS records, one a row, with version 1.1's attribute names as the header."""
    return csv_file(columns, rows, encoding=encoding, bom=bom)


def entries_of(form: Format, data: bytes) -> list[ImportedEntry]:
    """Every entry `form` reads from the file `data`."""
    return list(form.entries(io.BytesIO(data)))


def entry_of(form: Format, data: bytes) -> ImportedEntry:
    """The one entry in the file `data`."""
    (entry,) = entries_of(form, data)
    return entry


def mapped(entry: ImportedEntry, column: str) -> list[str]:
    """How the entry's `column` was read, as the import report says it."""
    return [note.message for note in entry.mapped if note.column == column]


def warned(entry: ImportedEntry, column: str) -> list[str]:
    """What the person importing is told about `column`."""
    return [note.message for note in entry.warnings if note.column == column]


def hostile_files(size: int) -> list[tuple[str, bytes, str]]:
    """Files of `size` bytes built to cost as much as possible to read: (what, content,
    file name). Used by the import attack tests and by bench/hostile_imports.py."""
    half = size // 2
    tiny_rows = b"title\n" + b"x\n" * ((size - 6) // 2)
    return [
        ("nested arrays", b"[" * half + b"]" * half, "entries.json"),
        ("nested objects", b'{"a":' * (size // 6) + b"1" + b"}" * (size // 6), "entries.json"),
        ("columns", b",".join([b"c"] * half), "entries.csv"),
        ("semicolons", b";".join([b"c"] * half), "entries.csv"),
        ("one long cell", b"title\n" + b"x" * (size - 7) + b"\n", "entries.csv"),
        ("one long text", b'[{"title":"' + b"x" * (size - 16) + b'"}]', "entries.json"),
        ("blank lines", b"title\n" + b"\n" * (size - 6), "entries.csv"),
        ("tiny rows", tiny_rows, "entries.csv"),
        ("empty records", b"[" + b"{}," * ((size - 4) // 3) + b"{}]", "entries.json"),
        ("a long list", b'[{"title":[' + b"1," * ((size - 20) // 2) + b"1]}]", "entries.json"),
    ]
