"""Checks answered by the test session's outcomes: tests-pass (coverage: checks/coverage.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import FAILED, PASSED, Finding, Outcome
from ..project.context import CheckContext


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
