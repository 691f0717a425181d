"""A US federal AI use case inventory (the 2025 columns), scaled up, and timing its import.

The rows are built like those of the import tests (`tests/test_import.py`): the same
columns, varied across agencies and use cases, so each row is a new entry.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

# The 2025 inventory's short column names, as the import tests write them.
COLUMNS = [
    "agency",
    "agency_name",
    "id",
    "use_case_name",
    "agency_bureau",
    "contact_email",
    "development_stage",
    "classification",
    "problem_solved",
    "benefits",
    "operational_date",
    "vendor_name",
    "has_pii",
    "hi_independent_review",
]
ROWS_PER_SCALE = 3600  # about one year's inventory (3,611 use cases in 2025)
AGENCIES = [
    ("DOT", "Department of Transportation"),
    ("DHS", "Department of Homeland Security"),
    ("HHS", "Department of Health and Human Services"),
    ("VA", "Department of Veterans Affairs"),
    ("DOE", "Department of Energy"),
    ("USDA", "Department of Agriculture"),
    ("DOL", "Department of Labor"),
    ("ED", "Department of Education"),
    ("DOI", "Department of the Interior"),
    ("SSA", "Social Security Administration"),
]
USES = [
    ("Pavement crack finder", "Inspectors cannot drive every road each year.", "Computer Vision"),
    ("Claims triage", "Claims wait weeks before anyone reads them.", "Classical ML"),
    ("Call summariser", "Call notes are incomplete.", "Natural Language Processing (NLP)"),
    ("Benefit letter drafting", "Letters are slow to write.", "GenAI"),
    ("Fraud pattern search", "Fraud is found too late.", "Classical ML; NLP"),
]
STAGES = ["Deployed", "Pre-deployment", "Pilot", "Operational"]


def write_file(path: Path, scale: int, seed: int = 2025) -> int:
    """Write `scale` × 3,600 rows to `path`; how many rows were written."""
    rng = random.Random(seed)  # noqa: S311 - repeatable test content
    count = ROWS_PER_SCALE * scale
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for number in range(1, count + 1):
            agency, agency_name = AGENCIES[number % len(AGENCIES)]
            name, problem, classification = rng.choice(USES)
            writer.writerow(
                {
                    "agency": agency,
                    "agency_name": agency_name,
                    "id": f"{agency}-{number:06d}",
                    "use_case_name": f"{name} {number}",
                    "agency_bureau": "Office of the Chief AI Officer",
                    "contact_email": f"ai@{agency.lower()}.example",
                    "development_stage": rng.choice(STAGES),
                    "classification": classification,
                    "problem_solved": problem,
                    "benefits": "Work is done sooner and more consistently.",
                    "operational_date": f"{rng.randint(1, 12)}/1/{rng.randint(2019, 2025)}",
                    "vendor_name": rng.choice(["", "Roadsight Ltd", "Acme Analytics"]),
                    "has_pii": rng.choice(["Yes", "No"]),
                    "hi_independent_review": "Reviewed by the agency's AI board",
                }
            )
    return count


@dataclass(frozen=True)
class ImportRun:
    rows: int
    seconds: float
    peak_mb: float
    available: bool
    succeeded: bool
    summary: str  # the command's last lines, or why it could not run

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.succeeded and self.seconds else 0.0


def run_import(
    flask: list[str], env: dict[str, str], path: Path, rows: int, *, publish: bool = True
) -> ImportRun:
    """Time `flask register import --format us-2025 FILE --create-organisations --publish`
    (without --publish if `publish` is false); reports "not available" if the command does
    not take that format."""
    help_text = subprocess.run(  # noqa: S603 - our own command line
        [*flask, "register", "import", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    if "us-2025" not in help_text:
        return ImportRun(rows, 0.0, 0.0, False, False, "not available: no --format us-2025")
    command = [*flask, "register", "import", "--format", "us-2025"]
    command += ["--create-organisations", *(["--publish"] if publish else []), str(path)]
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read().decode("utf-8", errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    succeeded = os.waitstatus_to_exitcode(status) == 0
    summary = " / ".join(line.strip() for line in output.strip().splitlines()[-3:])
    return ImportRun(rows, seconds, usage.ru_maxrss / 1024, True, succeeded, summary[:400])
