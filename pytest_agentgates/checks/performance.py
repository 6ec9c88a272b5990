"""The performance check: pytest-benchmark's timings from this session against the promised budget."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..definitions.quantities import satisfies
from ..model import FAILED, PASSED, CheckCouldNotRun, Finding, Outcome
from ..project.context import CheckContext

STATISTICS = ("p50", "p95", "p99", "mean", "max")  # the *_ms params the `latency` kind yields
FEW_ROUNDS = 20  # below this, a p95 or p99 is simply the slowest round
NOT_FOUND = "no performance tests found"


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    budgets = {s: float(params[f"{s}_ms"]) for s in STATISTICS if params.get(f"{s}_ms") is not None}
    comparison = params.get("comparison", "<=")
    required = ", ".join(f"{s} {comparison} {_ms(v)}" for s, v in budgets.items()) or "benchmarks"
    recorded = ctx.evidence.get("benchmarks")
    if recorded is None:
        return Outcome(FAILED, f"{NOT_FOUND}: pytest-benchmark is not active in this session",
                       0, required)  # fmt: skip
    measured = [entry for entry in recorded if entry["state"] == "measured"]
    if not measured:
        return _nothing_measured(Counter(entry["state"] for entry in recorded), required)
    notes = _caveats(measured, budgets)
    if not budgets:
        notes += ("the promise states no budget: only checked that benchmarks ran",)
        return Outcome(PASSED, f"{len(measured)} benchmark(s) measured in this session",
                       len(measured), required, (), notes)  # fmt: skip
    worst: dict[str, float] = {}
    findings = []
    for entry in measured:
        for statistic, bound in budgets.items():
            value = _statistic(entry["stats"], statistic) * 1000.0
            worst[statistic] = max(worst.get(statistic, value), value)
            if not satisfies(value, comparison, bound):
                message = (f"{_name(entry)}: {statistic} {_ms(value, bound)}, required "
                           f"{comparison} {_ms(bound)} ({entry['stats']['rounds']} rounds)")  # fmt: skip
                findings.append(Finding(entry["path"], entry["line"], "PERF", message))
    shown = ", ".join(f"{s} {_ms(worst[s], budgets[s])}" for s in budgets)
    slowest = {f"{s}_ms": round(value, 3) for s, value in worst.items()}
    if findings:
        return Outcome(FAILED, f"{len(findings)} benchmark measurement(s) over budget ({required}); "
                       f"slowest: {shown}", slowest, required, tuple(findings), notes)  # fmt: skip
    return Outcome(PASSED, f"{len(measured)} benchmark(s) within budget ({required}); "
                   f"slowest: {shown}", slowest, required, (), notes)  # fmt: skip


def _nothing_measured(states: Counter[str], required: str) -> Outcome:
    if states["xdist"]:
        raise CheckCouldNotRun(
            f"pytest-benchmark disables itself under xdist: {states['xdist']} benchmark(s) ran "
            "untimed; run the benchmarks without -n (e.g. a separate `pytest -p no:xdist` run)"
        )
    if states["disabled"]:
        raise CheckCouldNotRun(
            f"{states['disabled']} benchmark(s) ran untimed: pytest-benchmark was disabled "
            "(--benchmark-disable, or it saw PYTEST_XDIST_WORKER set)"
        )
    detail = ", ".join(f"{n} {state}" for state, n in sorted(states.items()))
    summary = f"{NOT_FOUND} (benchmark tests: {detail})" if detail else NOT_FOUND
    return Outcome(FAILED, summary, 0, required)


def _statistic(stats: Mapping[str, Any], statistic: str) -> float:
    """Seconds; percentiles by nearest rank over the timed rounds (always a real round's time)."""
    if statistic == "mean":
        return float(stats["mean"])
    if statistic == "max":
        return float(stats["max"])
    if statistic == "p50":
        return float(stats["median"])
    data = sorted(stats.get("data") or ())
    if not data:
        raise CheckCouldNotRun(f"pytest-benchmark kept no raw timings to compute {statistic} from")
    rank = math.ceil(int(statistic[1:]) / 100.0 * len(data))
    return float(data[max(rank, 1) - 1])


def _caveats(measured: list[dict[str, Any]], budgets: Mapping[str, float]) -> tuple[str, ...]:
    notes = []
    percentiles = [s for s in budgets if s in ("p95", "p99")]
    averaged = [e for e in measured if (e["stats"].get("iterations") or 1) > 1]
    if averaged and budgets:
        notes.append(
            f"{len(averaged)} benchmark(s) time several calls per round (pytest-benchmark's "
            "calibration): each round is their mean, so single slow calls are smoothed; use "
            "benchmark.pedantic(..., iterations=1) to time every call"
        )
    few = [e for e in measured if e["stats"]["rounds"] < FEW_ROUNDS]
    if percentiles and few:
        notes.append(
            f"{len(few)} benchmark(s) have fewer than {FEW_ROUNDS} rounds: their "
            f"{'/'.join(percentiles)} is the slowest round"
        )
    return tuple(notes)


def _name(entry: Mapping[str, Any]) -> str:
    return entry["nodeid"].split("::", 1)[-1]


def _ms(value: float, bound: float | None = None) -> str:
    """Milliseconds with as many decimals as it takes never to read as ``bound`` when it is not."""
    for decimals in range(1, 7):
        text = f"{value:.{decimals}f}"
        if bound is None or value == bound or float(text) != bound:
            return f"{float(text):g} ms" if bound is None else f"{text} ms"
    return f"{value!r} ms"
