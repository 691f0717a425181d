"""Time `flask register demo-data` on a fresh database and report its peak memory.

    .venv/bin/python bench/demo_data.py                      # 100,000 entries, temporary SQLite
    .venv/bin/python bench/demo_data.py --entries 10000 \\
        --database-url postgresql://postgres@127.0.0.1/register_bench

A PostgreSQL database given with --database-url must be empty (or hold only an earlier
bench run): the migrations are run on it first. The command runs in this process, as
`flask register demo-data` would, so the peak memory is the command's own.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from register import create_app  # noqa: E402
from register.config import normalise_database_url  # noqa: E402
from register.extensions import db  # noqa: E402
from register.models import Entry, EntryVersion  # noqa: E402


def run(entries: int, database_url: str, seed: int) -> int:
    url = normalise_database_url(database_url)
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        before = db.session.scalar(select(func.count()).select_from(Entry))
        db.session.remove()
    runner = app.test_cli_runner()
    started = time.perf_counter()
    result = runner.invoke(
        args=["register", "demo-data", "--entries", str(entries), "--seed", str(seed)]
    )
    elapsed = time.perf_counter() - started
    print(result.output.strip())
    if result.exit_code != 0:
        print(result.exception, file=sys.stderr)
        return result.exit_code or 1
    with app.app_context():
        total = db.session.scalar(select(func.count()).select_from(Entry))
        versions = db.session.scalar(select(func.count()).select_from(EntryVersion))
        engine = db.engine.dialect.name
    # ru_maxrss is in kilobytes on Linux.
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"engine:        {engine}")
    print(f"entries added: {total - before:,} (now {total:,}, with {versions:,} versions)")
    print(f"elapsed:       {elapsed:.1f} s ({entries / elapsed:,.0f} entries a second)")
    print(f"peak memory:   {peak_mb:.0f} MB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--database-url", help="default: a new SQLite file, deleted afterwards")
    args = parser.parse_args()
    if args.database_url:
        return run(args.entries, args.database_url, args.seed)
    with tempfile.TemporaryDirectory() as folder:
        return run(args.entries, f"sqlite:///{Path(folder) / 'bench.db'}", args.seed)


if __name__ == "__main__":
    sys.exit(main())
