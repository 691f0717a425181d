"""The register at scale, side by side with Datasette: `make bench` runs this.

    .venv/bin/python bench/run.py                          # 100,000 entries on SQLite
    .venv/bin/python bench/run.py --entries 10000 --seconds 5
    .venv/bin/python bench/run.py --postgres postgresql://postgres@127.0.0.1/register_bench

1. builds fresh databases with `flask register demo-data` (timed);
2. serves the register as the README's deployment does (gunicorn, 4 workers) and Datasette
   on a copy of the SQLite file, both on loopback ports;
3. drives each page with wrk, downloads everything once, times a database shell writing
   the same rows (the floor), and times a dry run and an import of a US inventory built
   from real rows;
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
    return {
        "engine": database_url.split(":", 1)[0],
        "entries": entries,
        "seconds": round(seconds, 1),
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


def pages(register_reference: str, version_id: int) -> list[tuple[str, str, str]]:
    """(measurement, register's address, Datasette's equivalent address)."""
    from register.search import FILTERS

    table = datasette_side.table_url
    found = []
    for name, words in SEARCHES.items():
        found.append(
            (
                f"search page, {name} ({words})",
                f"/entries?q={quote(words)}",
                table(_search=words, is_current=1, _size=PAGE_SIZE),
            )
        )
    facets = [item.name for item in FILTERS if item.kind == "column"] + ["organisation_id"]
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
            table(".json", _search=words, is_current=1, _size=PAGE_SIZE),
        )
    )
    return found


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
            env=register_env(database_url),
            cwd=ROOT,
            log=work / "gunicorn.log",
        )
        other = datasette_side.server(datasette, copy, work, free_port())
        try:
            register.start("/entries")
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
    print("  floor: a database shell writing the same rows as CSV", flush=True)
    measured["floor"] = asdict(shell_floor(database_url, sqlite_path))
    return measured


if __name__ == "__main__":
    sys.exit(main())
