"""The performance check against pytest-benchmark's real timings from the same session."""

from __future__ import annotations

import pytest

from pytest_agentgates.checks.performance import _statistic, evaluate
from pytest_agentgates.model import FAILED, PASSED, CheckCouldNotRun
from pytest_agentgates.project.context import CheckContext, TestRecord


@pytest.fixture(autouse=True)
def not_an_xdist_worker(monkeypatch):
    """Under ``pytest -n``, the inner pytest would inherit this and pytest-benchmark disable itself."""
    monkeypatch.delenv("PYTEST_XDIST_WORKER", raising=False)


BENCHMARKS = {
    "tests/test_speed.py": """
        import time


        def fast():
            return sum(range(10))


        def slow():
            time.sleep(0.01)


        def test_fast(benchmark):
            benchmark.pedantic(fast, rounds=30, iterations=1)


        def test_slow(benchmark):
            benchmark.pedantic(slow, rounds=3, iterations=1)


        def test_plain():
            assert fast() == 45
        """,
}


def test_budget_met_by_every_benchmark(pytester, project):
    project("## Definition of Done\n- Sub-100ms p95 response time\n", BENCHMARKS)
    result = pytester.runpytest_subprocess("--agent-gates", "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines([
        "*PASSED*Sub-100ms p95 response time: 2 benchmark(s) within budget (p95 < 100 ms); "
        "slowest: p95 *.* ms",
    ])  # fmt: skip


def test_budget_missed_names_the_slow_benchmark(pytester, project):
    agent = "## Definition of Done\n- p95 latency below 8 ms\n- Mean response time under 8ms\n"
    project(agent, BENCHMARKS)
    result = pytester.runpytest_subprocess("--agent-gates")
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines([
        "*performance: failed - 1 benchmark measurement(s) over budget (p95 < 8 ms); slowest: p95 *.* ms",
        "*tests/test_speed.py:16 PERF test_slow: p95 *.* ms, required < 8 ms (3 rounds)",
        "*benchmark(s) have fewer than 20 rounds: their p95 is the slowest round",
        "*performance: failed - 1 benchmark measurement(s) over budget (mean < 8 ms)*",
        "*tests/test_speed.py:16 PERF test_slow: mean *.* ms, required < 8 ms (3 rounds)",
    ])  # fmt: skip
    result.stdout.no_fnmatch_line("*PERF test_fast*")


def test_no_benchmark_in_the_session_fails(pytester, project):
    project("## Definition of Done\n- Sub-100ms p95 response time\n", {
        "tests/test_plain.py": "def test_plain():\n    assert True\n",
    })  # fmt: skip
    result = pytester.runpytest_subprocess("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*performance: failed - no performance tests found"])


@pytest.mark.parametrize(
    ("args", "outcomes", "message"),
    [
        (["-p", "no:benchmark"], {"passed": 1, "failed": 1, "errors": 2},
         "*no performance tests found: pytest-benchmark is not active in this session"),
        (["--benchmark-skip"], {"passed": 1, "failed": 1, "skipped": 2},
         "*no performance tests found (benchmark tests: 2 skipped)"),
        (["--benchmark-disable"], {"passed": 3, "errors": 1},
         "*performance could not run: 2 benchmark(s) ran untimed: pytest-benchmark was disabled (--*"),
        (["-n", "2"], {"passed": 3, "errors": 1},
         "*performance could not run: pytest-benchmark disables itself under xdist: 2 benchmark(s)*"),
    ],
    ids=["plugin-off", "skipped", "disabled", "xdist"],
)  # fmt: skip
def test_nothing_timed_is_never_a_pass(pytester, project, args, outcomes, message):
    project("## Definition of Done\n- Sub-100ms p95 response time\n", BENCHMARKS)
    result = pytester.runpytest_subprocess("--agent-gates", *args)
    result.assert_outcomes(**outcomes)
    result.stdout.fnmatch_lines([message])


def test_performance_tests_promised_without_a_budget(pytester, project):
    project("## Definition of Done\n- Performance tests meet requirements\n", BENCHMARKS)
    result = pytester.runpytest_subprocess("--agent-gates", "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*PASSED*: 2 benchmark(s) measured in this session"])


def _context(*entries) -> CheckContext:
    return CheckContext(
        None, [], TestRecord(), lambda: None, evidence={"benchmarks": list(entries)}
    )  # type: ignore[arg-type]


def _measured(data: list[float], iterations: int = 1) -> dict:
    stats = {"min": min(data), "max": max(data), "mean": sum(data) / len(data),
             "median": sorted(data)[len(data) // 2], "rounds": len(data), "iterations": iterations,
             "data": data}  # fmt: skip
    return {
        "nodeid": "t.py::test_x",
        "path": "t.py",
        "line": 3,
        "state": "measured",
        "stats": stats,
    }


def test_p95_is_a_nearest_rank_percentile_of_the_raw_rounds():
    data = [0.001 * n for n in range(1, 101)]  # 1 ms .. 100 ms
    assert _statistic({"data": data}, "p95") == pytest.approx(0.095)
    assert _statistic({"data": data}, "p99") == pytest.approx(0.099)
    assert _statistic({"data": [0.002, 0.001]}, "p95") == 0.002  # few rounds: the slowest


def test_budget_on_the_boundary_follows_the_promised_comparison():
    entry = _measured([0.001 * n for n in range(1, 101)])  # p95 is exactly 95 ms
    at_most = evaluate({"p95_ms": 95.0, "comparison": "<="}, _context(entry))
    under = evaluate({"p95_ms": 95.0, "comparison": "<"}, _context(entry))
    assert at_most.status == PASSED
    assert under.status == FAILED
    assert under.findings[0].message == "test_x: p95 95.0 ms, required < 95 ms (100 rounds)"


def test_averaged_rounds_are_reported_as_such():
    outcome = evaluate({"p95_ms": 50.0}, _context(_measured([0.001] * 30, iterations=100)))
    assert outcome.status == PASSED
    assert "each round is their mean" in outcome.notes[0]


def test_no_raw_timings_is_an_error_not_a_guess():
    entry = _measured([0.001] * 30)
    entry["stats"]["data"] = None
    with pytest.raises(CheckCouldNotRun, match="no raw timings"):
        evaluate({"p95_ms": 50.0}, _context(entry))
