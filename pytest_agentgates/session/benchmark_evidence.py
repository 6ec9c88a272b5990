"""What pytest-benchmark timed in this session, read from each test's ``benchmark`` fixture.

pytest-benchmark's own hooks (``pytest_benchmark_update_json``, ``..._group_stats``) fire at session
finish, after the gates have run, and only when results are saved; so each test's fixture is read
when its call phase is reported, through ``item.funcargs`` as pytest-benchmark itself does, and its
``stats.as_dict()``: the same record its ``--benchmark-json`` export is made of, raw timings included.
"""

from __future__ import annotations

from typing import Any

import pytest

FIXTURE = "benchmark"
PLUGIN = "benchmark"  # pytest-benchmark's name in the plugin manager
KEPT = ("max", "mean", "median", "rounds", "iterations", "data")  # what checks/performance reads


def active(config: pytest.Config) -> bool:
    return config.pluginmanager.hasplugin(PLUGIN)


def record(item: pytest.Item, report: pytest.TestReport, on_worker: bool) -> dict[str, Any] | None:
    """The benchmark of one test, as plain data: its state, and its timings when it was timed."""
    if FIXTURE not in getattr(item, "fixturenames", ()):
        return None
    path, line = report.location[0], (report.location[1] or 0) + 1
    entry: dict[str, Any] = {"nodeid": item.nodeid, "path": path, "line": line}
    if report.when == "setup" and report.skipped:
        return {**entry, "state": "skipped"}  # --benchmark-skip, or skipped for another reason
    if report.when != "call":
        return None
    fixture = getattr(item, "funcargs", {}).get(FIXTURE)
    if fixture is None:
        return None
    if getattr(fixture, "disabled", False):
        # Under xdist pytest-benchmark disables itself on every worker; otherwise the user did.
        return {**entry, "state": "xdist" if on_worker else "disabled"}
    stats = getattr(fixture, "stats", None)
    if not stats:
        return {**entry, "state": "unused"}  # the fixture was requested but never called
    timings = stats.as_dict(include_data=True)["stats"]
    return {**entry, "state": "measured", "stats": {key: timings.get(key) for key in KEPT}}
