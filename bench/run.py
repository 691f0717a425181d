"""The register at scale, side by side with Datasette: `make bench` runs this.

    .venv/bin/python bench/run.py                          # 100,000 entries on SQLite
    .venv/bin/python bench/run.py --entries 10000 --seconds 5
    .venv/bin/python bench/run.py --postgres postgresql://postgres@127.0.0.1/register_bench

1. builds fresh databases with `flask register demo-data` (timed);
2. serves the register as the README's deployment does (gunicorn, 4 workers) and Datasette
   on a copy of the SQLite file, both on loopback ports;
3. drives each page with wrk, then the search page with searches never asked before (cold)
   and with a few asked over and over (warm); downloads everything once and the zip three
   times (built, kept, a range); times a database shell writing the same rows (the floor),
   and a dry run and an import of a US inventory built from real rows;
4. prints one table and writes it as JSON to bench/results/.

With --postgres (an empty database, migrated first) the register runs on PostgreSQL, and
Datasette on a SQLite database filled by the same command with the same seed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import cold_search
import datasette_side
import load
import summary
import us_import
from servers import Server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VENV_BIN = ROOT / ".venv" / "bin"
FLASK = [str(VENV_BIN / "flask"), "--app", "wsgi"]
# As the README's "Deploying with gunicorn" says, with the longer timeout it asks for
# full downloads of a large register.
WORKERS = 4
GUNICORN = [str(VENV_BIN / "gunicorn"), "--workers", str(WORKERS), "--timeout", "300"]
# wrk's connections: one per core, so that latency is the time a request takes to serve
# rather than time queued behind others (on 2 cores, more connections only wait longer).
CONNECTIONS = os.cpu_count() or 2
# Searches of different selectivity (words of the demo data), and the listing's filters.
SEARCHES = {"narrow": "assessor", "medium": "pothole", "phrase": '"social care"', "broad": "data"}
LISTING_FILTERS = {"status": "in_use", "policy_area": "health"}
PAGE_SIZE = 20
# Searches for the cold run: more than wrk asks for in any run, so each request's is new.
COLD_SEARCHES = 20_000
WARM_SEARCHES = 5  # the warm run's searches, asked over and over
ZIP = "/download/register.zip"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def register_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "REGISTER_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "REGISTER_BASE_URL": "http://127.0.0.1",
        "FLASK_APP": "wsgi",
        # The bench measures speed, not the rate limits that protect a public register.
        "API_RATE_LIMIT": "10000000 per minute",
        "DOWNLOAD_RATE_LIMIT": "10000000 per minute",
        "SIGN_IN_RATE_LIMIT": "10000000 per minute",
    }


def demo_data(database_url: str, entries: int, seed: int) -> dict[str, object]:
    """Migrate, then time `flask register demo-data` in a process of its own."""
    env = register_env(database_url)
    subprocess.run([*FLASK, "db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    command = [*FLASK, "register", "demo-data", "--entries", str(entries), "--seed", str(seed)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE)  # noqa: S603
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise RuntimeError(f"demo-data failed: {output}")
    # As a deployment does after loading in bulk: each version's downloadable text, written
    # once here rather than by the first download timed below.
    started = time.perf_counter()
    documents = [*FLASK, "register", "build-documents"]
    subprocess.run(documents, env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    return {
        "engine": database_url.split(":", 1)[0],
        "entries": entries,
        "seconds": round(seconds, 1),
        "documents_seconds": round(time.perf_counter() - started, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "output": output.strip(),
    }


def floor_sql(database_url: str) -> str:
    """The floor's statement: every entry's cells as the CSV download has them (the same
    subqueries), for the shell to write as CSV itself."""
    from register import create_app
    from register.extensions import db
    from register.models import EntryVersion
    from register.opendata.columns import entry_columns
    from register.opendata.csv_lines import value_statement
    from register.search import SearchQuery, matching

    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        versions = matching(SearchQuery()).with_only_columns(EntryVersion.id)
        statement = value_statement(entry_columns(), versions, db.engine.dialect.name)
        compiled = statement.compile(db.engine, compile_kwargs={"literal_binds": True})
        return str(compiled)


def shell_floor(database_url: str, sqlite_path: Path) -> load.Floor:
    sql = floor_sql(database_url)
    if database_url.startswith("sqlite"):
        return load.shell_floor(["sqlite3", "-csv", "-header", str(sqlite_path)], sql + ";")
    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    return load.shell_floor(["psql", "-q", url], f"COPY ({sql}) TO STDOUT WITH CSV HEADER;")


def as_indexed(words: str) -> str:
    """A search as the register's index holds its words (their stems, a phrase kept in
    quotes), since Datasette looks for the words it is given as they are."""
    from register.models.search_words import indexed

    return f'"{indexed(words)}"' if words.startswith('"') else indexed(words)


def facet_columns() -> list[str]:
    """Datasette's facets for the counts the register's listing shows: each filter held in
    a column of the version, and its organisation."""
    from register.search import FILTERS

    return [item.name for item in FILTERS if item.kind == "column"] + ["organisation_id"]


def pages(register_reference: str, version_id: int) -> list[tuple[str, str, str]]:
    """(measurement, register's address, Datasette's equivalent address)."""
    table = datasette_side.table_url
    facets = facet_columns()
    # First, so that its first request finds its worker's caches empty; Datasette's nearest
    # page counts every filter column's codes over the current versions.
    found = [("statistics page", "/stats", table(is_current=1, _facet=facets, _size=1))]
    for name, words in SEARCHES.items():
        found.append(
            (
                f"search page, {name} ({words})",
                f"/entries?q={quote(words)}",
                table(_search=as_indexed(words), is_current=1, _size=PAGE_SIZE),
            )
        )
    filters = "&".join(f"{name}={code}" for name, code in LISTING_FILTERS.items())
    found.append(
        (
            "listing, 2 filters + facets",
            f"/entries?{filters}",
            table(is_current=1, **LISTING_FILTERS, _facet=facets, _size=PAGE_SIZE),
        )
    )
    found.append(
        ("entry page", f"/entries/{register_reference}", datasette_side.row_url(version_id))
    )
    found.append(
        (
            "API list, newest first",
            f"/api/v1/entries?page_size={PAGE_SIZE}",
            table(".json", is_current=1, _sort_desc="published_at", _size=PAGE_SIZE),
        )
    )
    words = SEARCHES["medium"]
    found.append(
        (
            f"API list, search ({words})",
            f"/api/v1/entries?q={quote(words)}&page_size={PAGE_SIZE}",
            table(".json", _search=as_indexed(words), is_current=1, _size=PAGE_SIZE),
        )
    )
    return found


def write_searches(searches: list[str], folder: Path, name: str) -> tuple[Path, Path]:
    """Files of addresses for `fresh.lua`, one a search: the register's search page (which
    counts every filter) and Datasette's table searched, with a facet on each filter."""
    facets = facet_columns()
    ours, theirs = folder / f"{name}-register.txt", folder / f"{name}-datasette.txt"
    ours.write_text("".join(f"/entries?q={quote(words)}\n" for words in searches))
    theirs.write_text(
        "".join(
            datasette_side.table_url(
                _search=as_indexed(words), is_current=1, _facet=facets, _size=PAGE_SIZE
            )
            + "\n"
            for words in searches
        )
    )
    return ours, theirs


def search_runs(args, wrk, register, other, copy: Path, work: Path) -> dict[str, object]:
    """Searches with every filter's counts: cold (a search never asked before with each
    request) and warm (a few searches over and over, after a run of them that is not
    counted), on the register and on Datasette."""
    entries = cold_search.entry_words(copy)
    found = cold_search.searches(
        entries, COLD_SEARCHES + WARM_SEARCHES, seed=args.seed, asked=tuple(SEARCHES.values())
    )
    # The warm run's searches are the first few, single words as the cold run's first are.
    warm, cold = found[:WARM_SEARCHES], found[WARM_SEARCHES:]
    runs = []
    for name, searches in (("cold", cold), ("warm", warm)):
        print(f"  search page with every filter's counts, {name}", flush=True)
        seconds = args.cold_seconds if name == "cold" else args.seconds
        options = {"seconds": seconds, "connections": args.connections, "threads": args.threads}
        row: dict[str, object] = {"name": name}
        files = write_searches(searches, work, name)
        for side, server, paths in zip(
            ("register", "datasette"), (register, other), files, strict=True
        ):
            if name == "warm":  # fill each worker's caches, as long as a cold run
                load.drive_each(wrk, server, paths, **{**options, "seconds": args.cold_seconds})
            row[side] = asdict(load.drive_each(wrk, server, paths, **options))
        runs.append(row)
    return {"cold_searches": len(cold), "warm_searches": warm, "runs": runs}


def zip_downloads(register: Server, entries: int) -> dict[str, object]:
    """The whole register's zip: the first request (built as it is sent, then kept), the
    second (sent from the kept file) and a range of its second half."""
    first = load.download(register, ZIP, entries)
    second = load.download(register, ZIP, entries)
    start = int(second.megabytes * 2**20) // 2
    ranged = load.download(register, ZIP, entries, {"Range": f"bytes={start}-"})
    return {
        "first": asdict(first),
        "second": asdict(second),
        "range": {**asdict(ranged), "from_byte": start},
    }


def matches(server: Server, words: str) -> int:
    url = f"{server.base_url}/api/v1/entries?q={quote(words)}&page_size=1"
    import urllib.request

    with urllib.request.urlopen(url, timeout=120) as answer:  # noqa: S310 - loopback only
        return json.load(answer)["count"]


def conditions() -> dict[str, object]:
    return {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "datasette": datasette_side.VERSION,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--postgres", metavar="URL", help="run the register on PostgreSQL")
    parser.add_argument("--seconds", type=int, default=10, help="wrk's time on each page")
    parser.add_argument(
        "--cold-seconds",
        type=int,
        default=30,
        help="wrk's time on searches never asked before (longer: slow requests are few)",
    )
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--import-scale", type=int, default=1, help="3,600 × this many rows")
    parser.add_argument("--results", type=Path, default=Path(__file__).with_name("results"))
    args = parser.parse_args()

    wrk = load.ensure_wrk()
    datasette = datasette_side.ensure_installed()
    started = time.perf_counter()
    results: dict[str, object] = {"conditions": conditions(), "entries": args.entries}
    with tempfile.TemporaryDirectory(prefix="register-bench-") as folder:
        work = Path(folder)
        sqlite_path = work / "register.db"
        sqlite_url = f"sqlite:///{sqlite_path}"
        print(f"Building {args.entries:,} entries on SQLite ...", flush=True)
        results["demo_data"] = [demo_data(sqlite_url, args.entries, args.seed)]
        database_url = sqlite_url
        if args.postgres:
            print(f"Building {args.entries:,} entries on PostgreSQL ...", flush=True)
            results["demo_data"].append(demo_data(args.postgres, args.entries, args.seed))
            database_url = args.postgres
        results["engine"] = database_url.split(":", 1)[0]

        copy = datasette_side.copy_database(sqlite_path, work)
        register = Server(
            "register",
            [*GUNICORN, "--bind", f"127.0.0.1:{(port := free_port())}", "wsgi:app"],
            port,
            # The zip it keeps between changes goes with the rest of the bench's files.
            env={**register_env(database_url), "BUILT_FILES_DIR": str(work / "built")},
            cwd=ROOT,
            log=work / "gunicorn.log",
        )
        other = datasette_side.server(datasette, copy, work, free_port())
        try:
            # Ready once a page answers that counts nothing, so no worker's counts are
            # cached before each page's first request.
            register.start("/accessibility")
            other.start(datasette_side.table_url(_size=1))
            results.update(measure(args, wrk, register, other, database_url, sqlite_path, copy))
        finally:
            register.stop()
            other.stop()

        print("Importing a US inventory (a dry run, then the import) ...", flush=True)
        path = work / "us-2025.csv"
        rows = us_import.write_file(path, us_import.ROWS * args.import_scale)
        runs = us_import.measure(FLASK, register_env(database_url), path, rows)
        results["import"] = us_import.as_results(runs)
    results["conditions"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["seconds"] = round(time.perf_counter() - started)

    table = summary.table(results)
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = args.results / f"{stamp}-{results['engine']}-{args.entries}.json"
    results["table"] = table.splitlines()
    target.write_text(json.dumps(results, indent=1) + "\n")
    print(f"Written to {os.path.relpath(target, ROOT)}")
    return 0


def measure(args, wrk, register, other, database_url, sqlite_path, copy) -> dict[str, object]:
    from register.models.entry import reference_for

    reference = reference_for(max(1, args.entries // 2))
    version_id = datasette_side.current_version_of(copy, reference)
    measured: dict[str, object] = {"pages": [], "downloads": []}
    options = {"seconds": args.seconds, "connections": args.connections, "threads": args.threads}
    for name, ours, theirs in pages(reference, version_id):
        print(f"  {name}", flush=True)
        row = {"name": name, "register": asdict(load.drive(wrk, register, ours, **options))}
        row["datasette"] = asdict(load.drive(wrk, other, theirs, **options))
        measured["pages"].append(row)
    measured["matches"] = {words: matches(register, words) for words in SEARCHES.values()}
    measured["searches"] = search_runs(args, wrk, register, other, copy, copy.parent)

    print("  downloads", flush=True)
    csv_theirs = datasette_side.table_url(".csv", is_current=1, _stream="on", _size="max")
    measured["downloads"] = [
        {
            "name": "full CSV download",
            "register": asdict(load.download(register, "/entries.csv", args.entries)),
            "datasette": asdict(load.download(other, csv_theirs, args.entries)),
        },
        {
            "name": "full JSON download",
            "register": asdict(load.download(register, "/entries.json", args.entries)),
            "datasette": None,  # Datasette streams CSV only; its JSON stops at 1,000 rows
        },
    ]
    print("  the whole register's zip: first and second request, and a range", flush=True)
    measured["zip"] = zip_downloads(register, args.entries)
    print("  floor: a database shell writing the same rows as CSV", flush=True)
    measured["floor"] = asdict(shell_floor(database_url, sqlite_path))
    return measured


if __name__ == "__main__":
    sys.exit(main())
