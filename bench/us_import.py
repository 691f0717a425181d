"""A US federal AI use case inventory (2025) of real rows, scaled up, and timing its import.

The file is built from the real sample in `tests/data/real/us/` (see that folder's README
for where its rows come from): the published header, every one of its 36 columns, and its
rows repeated until the file has as many as wanted. Each copy of a row gets its identifier
and title varied (`DHS-2389` becomes `DHS-2389-007`, a title gains " (7)"), so every copy
is a new entry, while the awkward cases stay as they are in each copy: titles over 120
characters, contact pages where an email belongs, blank identifiers, one title in several
bureaus, rows repeated word for word, one identifier with different answers, no title.

The dry run and the import are timed separately, each as a command of its own:

    flask register import --format us-2025 --create-organisations --publish --dry-run FILE
    flask register import --format us-2025 --create-organisations --publish FILE

A real file always has rows that cannot be imported (the sample's own: no title, one
identifier with two sets of answers), which the command leaves out and lists. If
publishing is refused outright, the same file is imported again as drafts. `bench/run.py`
does this as the import step of `make bench`; on its own this script builds a fresh SQLite
register, or times a whole published file instead:

    .venv/bin/python bench/us_import.py                      # 3,600 rows built from the sample
    .venv/bin/python bench/us_import.py --rows 7200
    .venv/bin/python bench/us_import.py --file 2025_individually_reported_AI_use_cases.csv
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import summary

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "real" / "us" / "us-2025-inventory-sample.csv"
ROWS = 3600  # about one year's inventory (3,611 use cases in 2025)
FORMAT = ["--format", "us-2025", "--create-organisations"]


def write_file(path: Path, rows: int = ROWS, sample: Path = SAMPLE) -> int:
    """Write a file of `rows` rows made from the sample's, in its encoding and line ends;
    how many rows were written."""
    with sample.open(encoding="utf-8-sig", newline="") as file:
        reader = csv.DictReader(file)
        header = list(reader.fieldnames or [])
        real = list(reader)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for number in range(rows):
            copy, row = divmod(number, len(real))
            writer.writerow(_copy(real[row], copy + 1))
    return rows


def _copy(row: dict[str, str], copy: int) -> dict[str, str]:
    """The row as a new entry: its identifier and title made this copy's own, a blank one
    left blank (the row is then known by its title and bureau)."""
    varied = dict(row)
    if row["id"].strip():
        varied["id"] = f"{row['id']}-{copy:03d}"
    if row["use_case_name"].strip():
        varied["use_case_name"] = f"{row['use_case_name']} ({copy})"
    return varied


@dataclass(frozen=True)
class ImportRun:
    step: str  # "dry run" or "import"
    publish: bool
    rows: int
    seconds: float
    cpu_seconds: float  # the command's own, which a busy machine disturbs less than time
    peak_mb: float
    available: bool
    succeeded: bool
    summary: str  # the command's last lines, or why it could not run

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.succeeded and self.seconds else 0.0


def run_import(
    flask: list[str],
    env: dict[str, str],
    path: Path,
    rows: int,
    *,
    dry_run: bool = False,
    publish: bool = True,
) -> ImportRun:
    """Time `flask register import --format us-2025 --create-organisations FILE`, with
    --publish if `publish`, and --dry-run if `dry_run`; reports "not available" if
    the command does not take that format."""
    step = "dry run" if dry_run else "import"
    help_text = subprocess.run(  # noqa: S603 - our own command line
        [*flask, "register", "import", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    if "us-2025" not in help_text:
        return ImportRun(
            step, publish, rows, 0.0, 0.0, 0.0, False, False, "not available: no --format us-2025"
        )
    command = [*flask, "register", "import", *FORMAT, *(["--publish"] if publish else [])]
    command += [*(["--dry-run"] if dry_run else []), str(path)]
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    output = process.stdout.read().decode("utf-8", errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    succeeded = os.waitstatus_to_exitcode(status) == 0
    cpu = usage.ru_utime + usage.ru_stime
    return ImportRun(
        step, publish, rows, seconds, cpu, usage.ru_maxrss / 1024, True, succeeded, _said(output)
    )


def _said(output: str) -> str:
    """What the command said that tells how it went: its first line (the report's headline)
    and its last, without the notes and problems between."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("[")]  # the log's, not the command's
    said = [lines[0], lines[-1]] if len(lines) > 1 else lines
    return " / ".join(said)[:400]


def measure(flask: list[str], env: dict[str, str], path: Path, rows: int) -> list[ImportRun]:
    """The dry run, then the import (publishing; as drafts if publishing is refused)."""
    runs = [run_import(flask, env, path, rows, dry_run=True)]
    runs.append(run_import(flask, env, path, rows))
    if runs[-1].available and not runs[-1].succeeded:
        runs.append(run_import(flask, env, path, rows, publish=False))
    return runs


def as_results(runs: list[ImportRun]) -> list[dict[str, object]]:
    return [{**asdict(run), "rows_per_second": round(run.rows_per_second)} for run in runs]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS, help="rows to build from the sample")
    parser.add_argument("--file", type=Path, help="time this whole 2025 file instead")
    parser.add_argument(
        "--database-url", help="an empty database to use (default: a temporary SQLite file)"
    )
    args = parser.parse_args()

    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
    with tempfile.TemporaryDirectory(prefix="register-import-bench-") as folder:
        work = Path(folder)
        env = {
            **os.environ,
            "REGISTER_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": args.database_url or f"sqlite:///{work / 'register.db'}",
            "REGISTER_BASE_URL": "http://127.0.0.1",
        }
        subprocess.run(  # noqa: S603 - our own command line
            [*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True
        )
        if args.file:
            path = args.file.resolve()
            with path.open(encoding="utf-8-sig", errors="replace", newline="") as file:
                rows = sum(1 for _ in csv.reader(file)) - 1  # less the header
        else:
            path = work / "us-2025.csv"
            rows = write_file(path, args.rows)
        load_before = [round(x, 2) for x in os.getloadavg()]
        runs = measure(flask, env, path, rows)
        results = {"import": as_results(runs)}
    print(f"{path.name}, {rows:,} rows; load average before {load_before}, after "
          f"{[round(x, 2) for x in os.getloadavg()]}")  # fmt: skip
    for line in summary.import_lines(results):
        print(line)
    missed = 0
    for target in summary.import_targets(results):
        missed += not target["met"]
        mark = "met   " if target["met"] else "MISSED"
        print(f"  {mark} {target['target']}: {target['measured']}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
