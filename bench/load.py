"""Driving a server: wrk for pages, one streamed request for downloads.

wrk runs for a bounded time on a bounded number of connections and reports through
`report.lua` (one line of JSON). Downloads are read to the end by one client, timed, while
the serving process's memory is watched and its CPU time counted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from servers import MemoryWatch, Server, cpu_seconds

REPORT_SCRIPT = Path(__file__).with_name("report.lua")
FRESH_SCRIPT = Path(__file__).with_name("fresh.lua")
READ_SIZE = 1 << 20


def ensure_wrk() -> str:
    """The path of wrk, installed from the system's packages if it is missing."""
    found = shutil.which("wrk")
    if found:
        return found
    print("wrk is missing: installing it with apt-get", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, check=False, capture_output=True).returncode:  # noqa: S603
        subprocess.run(["apt-get", "update", "-q"], check=True, capture_output=True)  # noqa: S607
        subprocess.run(install, check=True, capture_output=True)  # noqa: S603
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed")
    return found


@dataclass(frozen=True)
class Load:
    """wrk's figures for one address, or for a file of addresses asked one a request."""

    url: str
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    failures: int  # non-2xx answers and socket errors
    first_ms: float | None  # the first request, before wrk: caches cold for this address
    server_cpu_ms_per_request: float
    repeats: int = 0  # requests for an address of the file asked already (it ran out)


def first_request_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as answer:  # noqa: S310 - loopback only
        answer.read()
    return (time.perf_counter() - started) * 1000


def drive(
    wrk: str, server: Server, path: str, *, seconds: int, connections: int, threads: int
) -> Load:
    """wrk on `path` for `seconds` with `connections` open (after one warm-up request)."""
    url = server.base_url + path
    first = first_request_ms(url)
    options = {"seconds": seconds, "connections": connections, "threads": threads}
    return _run_wrk(wrk, server, url, [f"--script={REPORT_SCRIPT}", url], first=first, **options)


def drive_each(
    wrk: str, server: Server, paths: Path, *, seconds: int, connections: int, threads: int
) -> Load:
    """wrk for `seconds` with `connections` open, each request asking for the next address
    in the file `paths` (one a line), so that each is asked once unless the file runs out."""
    script = [f"--script={FRESH_SCRIPT}", server.base_url, "--", str(paths), str(threads)]
    options = {"seconds": seconds, "connections": connections, "threads": threads}
    return _run_wrk(wrk, server, paths.name, script, first=None, **options)


def _run_wrk(
    wrk: str,
    server: Server,
    url: str,
    arguments: list[str],
    *,
    first: float | None,
    seconds: int,
    connections: int,
    threads: int,
) -> Load:
    """wrk's report for `arguments` (the script, the address and the script's own), with
    the server's CPU time over the run."""
    before = cpu_seconds(server.pids)
    command = [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=30s",
        *arguments,
    ]
    output = subprocess.run(  # noqa: S603 - our own command line
        command, check=True, capture_output=True, text=True, timeout=seconds + 60
    ).stdout
    used = cpu_seconds(server.pids) - before
    report = json.loads(output.strip().splitlines()[-1])
    requests = report["requests"]
    return Load(
        url=url,
        requests_per_second=requests / (report["duration_us"] / 1e6),
        p50_ms=report["p50_us"] / 1000,
        p95_ms=report["p95_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        requests=requests,
        failures=report["non_2xx"] + report["socket_errors"],
        first_ms=first,
        server_cpu_ms_per_request=used * 1000 / max(requests, 1),
        repeats=report.get("repeats", 0),
    )


@dataclass(frozen=True)
class Download:
    """One full download, read to its end."""

    url: str
    seconds: float
    megabytes: float
    rows: int
    peak_mb: float  # the most memory any process of the server held meanwhile
    server_cpu_seconds: float
    status: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def download(
    server: Server, path: str, rows: int, headers: dict[str, str] | None = None
) -> Download:
    """Fetch `path` to the end (not compressed, as a script would), timing it; `headers`
    such as a Range are sent with the request."""
    url = server.base_url + path
    asked = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback only
    received = 0
    before = cpu_seconds(server.pids)
    with MemoryWatch(server.process.pid) as memory:
        started = time.perf_counter()
        with urllib.request.urlopen(asked, timeout=600) as answer:  # noqa: S310 - loopback only
            status = answer.status
            while chunk := answer.read(READ_SIZE):
                received += len(chunk)
        seconds = time.perf_counter() - started
    return Download(
        url=url,
        seconds=seconds,
        megabytes=received / 2**20,
        rows=rows,
        peak_mb=memory.peak_mb,
        server_cpu_seconds=cpu_seconds(server.pids) - before,
        status=status,
    )


@dataclass(frozen=True)
class Floor:
    """A database shell writing the same rows as CSV."""

    command: str
    seconds: float
    cpu_seconds: float
    megabytes: float


def shell_floor(command: list[str], sql: str) -> Floor:
    """Time `command` (sqlite3 or psql) reading `sql` and writing CSV, thrown away as it
    comes; CPU time is the shell's own (its children's, as the kernel counts them)."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdin.write(sql.encode("utf-8"))
    process.stdin.close()
    written = 0
    while chunk := process.stdout.read(READ_SIZE):
        written += len(chunk)
    error = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode:
        raise RuntimeError(f"{command[0]} failed: {error.decode(errors='replace')[:500]}")
    return Floor(
        command=" ".join(command[:1]),
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        megabytes=written / 2**20,
    )
