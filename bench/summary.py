"""The benchmark's one table, and the scale targets checked against it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

P50_TARGET_MS = 25
LISTING_FACTOR = 2
DOWNLOAD_MEMORY_MB = 150
DEMO_DATA_SECONDS = 120
IMPORT_SECONDS = 15  # the dry run, and the import, of a year's US inventory (3,600 rows)
# The scale targets: each "or less".
FLOOR_FACTOR = 2  # the full CSV's time over the database shell's writing the same rows
ZIP_SECOND_SECONDS = 5  # the whole register's zip, from its second request
STATISTICS_FIRST_MS = 300  # /stats, its worker's caches empty
COLD_SEARCH_P95_MS = 500  # search pages never asked before, with every filter's counts


def _page_target(name: str) -> tuple[float, bool] | None:
    """(throughput factor over Datasette, whether p50 must be under 25 ms) for a page."""
    if name.startswith("listing"):
        return LISTING_FACTOR, False
    if name.startswith(("search page", "API list")):
        return 1.0, True
    return None


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each scale target, with what was measured and whether it is met."""
    found = []
    for row in results.get("pages", []):
        target = _page_target(row["name"])
        if target is None:
            continue
        factor, p50 = target
        ours, theirs = row["register"], row["datasette"]
        ratio = ours["requests_per_second"] / max(theirs["requests_per_second"], 1e-9)
        met = ratio >= factor and (not p50 or ours["p50_ms"] < P50_TARGET_MS)
        ratio = min(ratio, 999)  # Datasette may answer nothing in the time given
        wanted = f"≥ {factor:g}× Datasette's req/s" + (f", p50 < {P50_TARGET_MS} ms" if p50 else "")
        found.append({"target": f"{row['name']}: {wanted}", "measured": f"{ratio:.3g}×, p50 "
                      f"{ours['p50_ms']:.1f} ms", "met": met})  # fmt: skip
    for row in results.get("downloads", []):
        if row["name"] != "full CSV download":
            continue
        ours, theirs = row["register"], row["datasette"]
        found.append({"target": "full CSV: faster than Datasette's streamed CSV",
                      "measured": f"{ours['seconds']:.1f} s against {theirs['seconds']:.1f} s",
                      "met": ours["seconds"] < theirs["seconds"]})  # fmt: skip
        found.append({"target": f"full CSV: serving process under {DOWNLOAD_MEMORY_MB} MB",
                      "measured": f"{ours['peak_mb']:.0f} MB",
                      "met": ours["peak_mb"] < DOWNLOAD_MEMORY_MB})  # fmt: skip
    for run in results.get("demo_data", []):
        found.append({"target": f"demo-data ({run['engine']}) under {DEMO_DATA_SECONDS} s",
                      "measured": f"{run['seconds']:.0f} s for {run['entries']:,}",
                      "met": run["seconds"] < DEMO_DATA_SECONDS})  # fmt: skip
    return found + import_targets(results)


@dataclass(frozen=True)
class ScaleTarget:
    """One of the scale targets: what was measured (None if it was not), the most it may
    be, whether the measurement counts (no failed or repeated requests), and Datasette's
    figure or why there is none."""

    name: str
    measured: float | None
    limit: float
    unit: str
    digits: int
    datasette: float | str
    note: str = ""
    valid: bool = True

    @property
    def met(self) -> bool:
        return self.measured is not None and self.valid and self.measured <= self.limit

    def shown(self, value: float | str | None) -> str:
        if value is None:
            return "not measured"
        return value if isinstance(value, str) else f"{value:.{self.digits}f}{self.unit}"


def _cold_search(results: dict[str, Any]) -> dict[str, Any] | None:
    runs = results.get("searches", {}).get("runs", [])
    return next((run for run in runs if run["name"] == "cold"), None)


def scale_targets(results: dict[str, Any]) -> list[ScaleTarget]:
    """The scale targets at the size measured, beside Datasette's figure where it has one."""
    found = []
    csv = next((r for r in results.get("downloads", []) if r["name"] == "full CSV download"), None)
    floor = results.get("floor")
    ratio, theirs = (None, "-")
    if csv and floor:
        ratio = csv["register"]["seconds"] / floor["seconds"]
        theirs = csv["datasette"]["seconds"] / floor["seconds"]
    name = "full CSV, time over the database shell's"
    found.append(ScaleTarget(name, ratio, FLOOR_FACTOR, "×", 2, theirs))
    second = results.get("zip", {}).get("second")
    found.append(
        ScaleTarget(
            "whole-register zip, second request",
            second["seconds"] if second else None,
            ZIP_SECOND_SECONDS,
            " s",
            2,
            "not offered",
            valid=bool(second) and second["status"] == 200,
        )
    )
    page = next((r for r in results.get("pages", []) if r["name"] == "statistics page"), None)
    nearest = f"{page['datasette']['first_ms']:.0f} ms (its counts)" if page else "-"
    first = page["register"]["first_ms"] if page else None
    name = "/stats, first request (caches empty)"
    found.append(ScaleTarget(name, first, STATISTICS_FIRST_MS, " ms", 0, nearest))
    cold = _cold_search(results)
    ours = cold["register"] if cold else {}
    wasted = ours.get("failures", 0) + ours.get("repeats", 0)
    found.append(
        ScaleTarget(
            "search p95, cold, every filter's counts",
            ours.get("p95_ms"),
            COLD_SEARCH_P95_MS,
            " ms",
            0,
            cold["datasette"]["p95_ms"] if cold else "-",
            note=f"; register: {ours['failures']} failed, {ours['repeats']} repeated"
            if wasted
            else "",
            valid=not wasted,
        )
    )
    return found


def scale_lines(results: dict[str, Any]) -> list[str]:
    """The scale targets as a table: measured, target, met or missed, Datasette."""
    lines = [f"{'scale targets':<44} {'register':>12} {'target':>10}         Datasette"]
    for target in scale_targets(results):
        mark = "-" if target.measured is None else "met" if target.met else "MISSED"
        limit = f"≤ {target.limit:g}{target.unit}"
        lines.append(
            f"  {target.name:<42} {target.shown(target.measured):>12} {limit:>10} {mark:<6}  "
            f"{target.shown(target.datasette)}{target.note}"
        )
    return lines


def _how(run: dict[str, Any]) -> str:
    """How a run of `bench/us_import.py` imported: "dry run", "import --publish" or "import
    as drafts" (a run from before the dry run was timed is an import)."""
    if run.get("step", "import") == "dry run":
        return "dry run"
    return "import --publish" if run["publish"] else "import as drafts"


def import_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The dry run, and the import that was done (as drafts if publishing was refused),
    each under IMPORT_SECONDS."""
    runs = [run for run in results.get("import", []) if run["available"]]
    found = []
    for step in ("dry run", "import"):
        taken = [run for run in runs if run.get("step", "import") == step]
        if not taken:
            continue
        run = next((run for run in reversed(taken) if run["succeeded"]), taken[-1])
        outcome = "" if run["succeeded"] else ", and it failed"
        found.append({"target": f"US inventory, {step} of {run['rows']:,} rows under "
                                f"{IMPORT_SECONDS} s",
                      "measured": f"{run['seconds']:.1f} s ({_how(run)}){outcome}",
                      "met": run["succeeded"] and run["seconds"] < IMPORT_SECONDS})  # fmt: skip
    return found


def _cpu(run: dict[str, Any]) -> str:
    return f"{run['cpu_seconds']:.1f} s CPU, " if "cpu_seconds" in run else ""


def import_lines(results: dict[str, Any]) -> list[str]:
    """A line for each run of the US inventory's import: time, rows a second, peak memory of
    the command, and what it said."""
    lines = []
    for run in results.get("import", []):
        if not run["available"]:
            lines.append(f"import us-2025: {run['summary']}")
            continue
        outcome = "done" if run["succeeded"] else "refused"
        lines.append(
            f"us-2025 {_how(run)}, {run['rows']:,} rows: {run['seconds']:.1f} s "
            f"({_cpu(run)}{run['rows_per_second']:,}/s), "
            f"peak {run['peak_mb']:.0f} MB, "
            f"{outcome}: {run['summary'][:200]}"
        )
    return lines


def _ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:>6.2f}×" if theirs else "    ∞ "


def _page_cells(found: dict[str, Any]) -> str:
    if not found["requests"]:
        return f"{'none in time':>20} {found['first_ms']:>6.0f} {'-':>5}"
    return (
        f"{found['requests_per_second']:>6.1f} {found['p50_ms']:>6.1f} {found['p95_ms']:>6.1f} "
        f"{found['first_ms']:>6.0f} {found['server_cpu_ms_per_request']:>5.0f}"
    )


def _page_line(row: dict[str, Any]) -> str:
    ours, theirs = row["register"], row["datasette"]
    ratio = _ratio(ours["requests_per_second"], theirs["requests_per_second"])
    return f"{row['name'][:34]:<34} {_page_cells(ours)} | {_page_cells(theirs)} | {ratio}"


def _download_line(name: str, ours: dict[str, Any], theirs: dict[str, Any] | None) -> str:
    def cells(found: dict[str, Any] | None) -> str:
        if not found:
            return f"{'not offered':>33}"
        return (
            f"{found['seconds']:>6.1f}s {found['rows'] / found['seconds']:>7.0f}/s "
            f"{found['peak_mb']:>4.0f}MB {found['server_cpu_seconds']:>5.1f}cpu"
        )

    ratio = f"{theirs['seconds'] / ours['seconds']:>5.2f}×" if theirs else "   - "
    return f"{name[:34]:<34} {cells(ours)} | {cells(theirs)} | {ratio}"


def _search_cells(found: dict[str, Any]) -> str:
    if not found["requests"]:
        return f"{'none in time':>33}"
    return (
        f"{found['requests_per_second']:>6.1f} {found['p50_ms']:>6.1f} {found['p95_ms']:>6.1f} "
        f"{found['p99_ms']:>6.1f} {found['server_cpu_ms_per_request']:>5.0f}"
    )


def search_lines(results: dict[str, Any]) -> list[str]:
    """The search page with every filter's counts, cold and warm, on both tools."""
    searches = results.get("searches")
    if not searches:
        return []
    header = f"{'req/s':>6} {'p50ms':>6} {'p95ms':>6} {'p99ms':>6} {'cpums':>5}"
    lines = [
        "",
        f"{'search, every filter counted (wrk)':<34} {'register':^33} | {'Datasette':^33} | ratio",
        f"{'':<34} {header} | {header} | req/s",
    ]
    names = {
        "cold": "cold: a new search each request",
        "warm": f"warm: {len(searches['warm_searches'])} searches again",
    }
    for run in searches["runs"]:
        ours, theirs = run["register"], run["datasette"]
        ratio = _ratio(ours["requests_per_second"], theirs["requests_per_second"])
        lines.append(
            f"{names[run['name']]:<34} {_search_cells(ours)} | {_search_cells(theirs)} | {ratio}"
        )
        for side, found in (("register", ours), ("Datasette", theirs)):
            # The warm run repeats its searches by design; the cold run must not.
            repeats = found["repeats"] if run["name"] == "cold" else 0
            if found["failures"] or repeats:
                lines.append(f"  ({side}: {found['failures']} failed, {repeats} repeated)")
    asked = {run["name"]: run for run in searches["runs"]}.get("cold")
    if asked:
        lines.append(
            f"  (cold: the register answered {asked['register']['requests']:,} searches and "
            f"Datasette {asked['datasette']['requests']:,}, of {searches['cold_searches']:,} "
            "ready, each one or two words of the demo data)"
        )
    lines.append(f"  (warm: {', '.join(searches['warm_searches'])})")
    return lines


def zip_lines(results: dict[str, Any]) -> list[str]:
    """The whole register's zip: first request (built), second (kept), and a range."""
    found = results.get("zip")
    if not found:
        return []
    first, second, ranged = found["first"], found["second"], found["range"]
    return [
        f"whole-register zip ({second['megabytes']:.1f} MB): first request "
        f"{first['seconds']:.1f} s ({first['server_cpu_seconds']:.1f} s CPU, built), second "
        f"{second['seconds']:.2f} s (kept), from byte {ranged['from_byte']:,}: "
        f"{ranged['status']}, {ranged['megabytes']:.1f} MB in {ranged['seconds']:.2f} s"
    ]


# Requests a second, latency percentiles, the first (cold) request, server CPU per request.
_PAGE_HEADER = f"{'req/s':>6} {'p50ms':>6} {'p95ms':>6} {'1st ms':>6} {'cpums':>5}"


def table(results: dict[str, Any]) -> str:
    """Everything measured, as text: pages, downloads, floor, demo data, import, targets."""
    lines = [
        f"The register at {results['entries']:,} entries ({results['engine']}) and Datasette "
        f"{results['conditions']['datasette']} on the same data; load average before "
        f"{results['conditions']['load_average']}, after "
        f"{results['conditions'].get('load_average_after')}",
        "",
        f"{'pages (wrk)':<34} {'register':^33} | {'Datasette':^33} | ratio",
        f"{'':<34} {_PAGE_HEADER} | {_PAGE_HEADER} | req/s",
    ]
    lines += [_page_line(row) for row in results.get("pages", [])]
    if results.get("matches"):
        counted = ", ".join(f"{words} {count:,}" for words, count in results["matches"].items())
        lines.append(f"  (matches: {counted})")
    lines += search_lines(results)
    lines += ["", f"{'downloads (one client)':<34} {'register':^33} | {'Datasette':^33} | faster"]
    for row in results.get("downloads", []):
        lines.append(_download_line(row["name"], row["register"], row["datasette"]))
    floor = results.get("floor")
    csv = next((r for r in results.get("downloads", []) if "CSV" in r["name"]), None)
    if floor and csv:
        ours = csv["register"]
        lines.append(
            f"{'floor: ' + floor['command'] + ' writing the same rows':<34} "
            f"{floor['seconds']:>6.1f}s "
            f"{floor['cpu_seconds']:>5.1f}cpu; full CSV / floor: "
            f"{ours['seconds'] / floor['seconds']:.2f}× in time, "
            f"{ours['server_cpu_seconds'] / max(floor['cpu_seconds'], 1e-9):.2f}× in CPU"
        )
    lines += zip_lines(results)
    lines.append("")
    for run in results.get("demo_data", []):
        lines.append(
            f"demo-data, {run['entries']:,} entries ({run['engine']}): {run['seconds']:.1f} s "
            f"({run['cpu_seconds']:.1f} s CPU), peak {run['peak_mb']} MB"
        )
    lines += import_lines(results)
    lines += ["", *scale_lines(results), "", "other targets"]
    for target in targets(results):
        mark = "met   " if target["met"] else "MISSED"
        lines.append(f"  {mark} {target['target']}: {target['measured']}")
    return "\n".join(lines)
