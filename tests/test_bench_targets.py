"""`make bench`: its cold searches are new to the register, and the scale targets are read
from what it measured (the timings themselves depend on the machine, so are not tested)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from register.models.search_words import indexed

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench_module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # where its dataclasses look up their annotations
    spec.loader.exec_module(module)
    return module


cold_search = _bench_module("cold_search")
summary = _bench_module("summary")


def test_cold_searches_are_never_read_alike_by_the_index():
    entries = [
        ["council", "predicting", "prediction", "roads"],
        ["pothole", "repairs", "roads", "weather"],
    ]
    found = cold_search.searches(entries, 30, seed=1, asked=("potholes",))
    stems = [tuple(sorted(set(indexed(search).split()))) for search in found]
    assert len(stems) == len(set(stems))
    assert ("pothol",) not in stems  # asked already, as "potholes"
    assert not {"predicting", "prediction"} <= set(found)  # both are "predict"
    for search in found:
        assert any(set(search.split()) <= set(words) for words in entries)


def _results(*, cold_p95: float, repeats: int) -> dict:
    searches = {"register": {"p95_ms": cold_p95, "failures": 0, "repeats": repeats}}
    searches["datasette"] = {"p95_ms": 900.0, "failures": 0, "repeats": 0}
    return {
        "downloads": [
            {
                "name": "full CSV download",
                "register": {"seconds": 15.0},
                "datasette": {"seconds": 30.0},
            }
        ],
        "floor": {"seconds": 10.0},
        "zip": {"second": {"seconds": 6.0, "status": 200}},
        "pages": [
            {
                "name": "statistics page",
                "register": {"first_ms": 250},
                "datasette": {"first_ms": 3000},
            }
        ],
        "searches": {"runs": [{"name": "cold", **searches}]},
    }


def test_scale_targets_are_met_or_missed_as_measured():
    found = summary.scale_targets(_results(cold_p95=400.0, repeats=0))
    assert [(target.measured, target.met) for target in found] == [
        (1.5, True),  # the CSV in 1.5 times the shell's time
        (6.0, False),  # the zip's second request over 5 s
        (250, True),
        (400.0, True),
    ]
    assert [target.shown(target.datasette) for target in found] == [
        "3.00×",
        "not offered",
        "3000 ms (its counts)",
        "900 ms",
    ]


def test_a_cold_search_run_that_repeated_searches_does_not_meet_its_target():
    cold = summary.scale_targets(_results(cold_p95=400.0, repeats=3))[-1]
    assert not cold.met
    assert "3 repeated" in cold.note


def test_targets_not_measured_are_neither_met_nor_missed_in_the_table():
    lines = summary.scale_lines({})
    assert len(lines) == 5
    assert all("not measured" in line and "MISSED" not in line for line in lines[1:])
