"""Checks answered by the test session itself: tests-pass and coverage."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..context import CheckContext
from ..model import FAILED, PASSED, Finding, Outcome
from ..quantities import format_percent, satisfies

SHOWN_FILES = 10


def tests_pass(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    tests = ctx.tests
    counts = f"{tests.passed} passed, {tests.failed} failed, {tests.errors} errors"
    if tests.skipped:
        counts += f", {tests.skipped} skipped"
    if tests.collection_errors:
        counts += f", {tests.collection_errors} collection errors"
    findings = tuple(
        Finding(path, line, kind, nodeid) for path, line, kind, nodeid in tests.problems
    )
    if tests.failed or tests.errors or tests.collection_errors:
        return Outcome(FAILED, f"tests did not all pass: {counts}", counts, "no failures", findings)
    if tests.ran == 0:
        return Outcome(FAILED, "no test ran in this session", counts, "at least one test")
    return Outcome(PASSED, f"all tests passed: {counts}", counts, "no failures")


def line_coverage(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    totals = ctx.coverage()
    threshold = float(params["threshold"])
    comparison = params.get("comparison", ">=")
    percent = totals.percent
    shown = format_percent(percent, threshold)
    required = f"{comparison} {threshold:g}%"
    detail = f"{totals.covered_lines} of {totals.num_statements} lines, measured by {totals.origin}"
    if satisfies(percent, comparison, threshold):
        return Outcome(PASSED, f"line coverage {shown} ({detail})", percent, required)
    findings = tuple(
        Finding(path, 1, "COVERAGE", f"{format_percent(100.0 * covered / statements, threshold)} "
                f"of {statements} lines covered")
        for path, covered, statements in totals.files[:SHOWN_FILES]
        if statements and not satisfies(100.0 * covered / statements, comparison, threshold)
    )  # fmt: skip
    return Outcome(FAILED, f"line coverage {shown}, required {required} ({detail})", percent,
                   required, findings)  # fmt: skip
