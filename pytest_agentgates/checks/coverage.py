"""Checks answered by the session's coverage: line coverage (with per-file floors), branches, the diff."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Mapping
from typing import Any

from ..definitions.quantities import format_percent, satisfies
from ..model import FAILED, PASSED, SKIPPED, CheckCouldNotRun, Finding, Outcome
from ..project import gitdiff
from ..project.context import CheckContext
from ..project.coverage_engine import CoverageTotals, FileCoverage, describe_config

SHOWN_FILES = 10
PER_FILE_OPTION = "agent_gates_coverage_per_file"
NO_BRANCH_DATA = (
    "the coverage measured by {origin} has no branch data: set `branch = true` under "
    "[tool.coverage.run] (or pass --cov-branch to pytest-cov, --branch to coverage run)"
)


def line_coverage(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    floors = per_file_floors(ctx.options.get("coverage_per_file") or ())
    totals = ctx.coverage()
    threshold, comparison = float(params["threshold"]), params.get("comparison", ">=")
    percent = totals.percent  # the one number behind both the verdict and the message
    shown = format_percent(percent, threshold)
    required = f"{comparison} {threshold:g}%"
    if floors:
        required += ", per file " + ", ".join(f"{glob}={floor:g}%" for glob, floor in floors)
    detail = f"{totals.covered_lines} of {totals.num_statements} lines, measured by {totals.origin}"
    notes = _drift(totals, threshold, comparison, ctx)
    under_floor = _under_floor(totals.files, floors, ctx)
    total_ok = satisfies(percent, comparison, threshold)
    if total_ok and not under_floor:
        summary = f"line coverage {shown} ({detail})" + (f"; {notes[0]}" if notes else "")
        return Outcome(PASSED, summary, percent, required, (), notes)
    if total_ok:
        summary = (f"line coverage {shown} ({detail}), but {len(under_floor)} "
                   f"file{'s' if len(under_floor) > 1 else ''} under the per-file floor")  # fmt: skip
        return Outcome(FAILED, summary, percent, required, tuple(under_floor), notes)
    findings = (
        under_floor
        or [
            _file_finding(
                ctx,
                row,
                f"{format_percent(row.percent, threshold)} of {len(row.statements)} lines covered",
            )  # fmt: skip
            for row in totals.files[:SHOWN_FILES]
            if row.statements and not satisfies(row.percent, comparison, threshold)
        ]
    )
    summary = f"line coverage {shown}, required {comparison} {threshold:g}% ({detail})"
    return Outcome(FAILED, summary, percent, required, tuple(findings), notes)


def branch_coverage(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    totals = ctx.coverage()
    if totals.branches is None:
        raise CheckCouldNotRun(NO_BRANCH_DATA.format(origin=totals.origin))
    if totals.branches == 0:
        return Outcome(SKIPPED, f"no branch in the source measured by {totals.origin}")
    threshold, comparison = float(params["threshold"]), params.get("comparison", ">=")
    required = f"{comparison} {threshold:g}%"
    detail = f"{totals.covered_branches} of {totals.branches} branches, measured by {totals.origin}"
    percent = totals.branch_percent
    shown = format_percent(percent, threshold)
    if satisfies(percent, comparison, threshold):
        return Outcome(PASSED, f"branch coverage {shown} ({detail})", percent, required)
    findings = [
        Finding(ctx.relative(row.path), start, "BRANCH", _branch_text(start, end))
        for row in sorted(totals.files, key=lambda row: (row.branch_percent, row.path))
        for start, end in sorted(row.missing_branches)
    ]
    summary = f"branch coverage {shown}, required {required} ({detail})"
    return Outcome(FAILED, summary, percent, required, tuple(findings))


def diff_coverage(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    """diff-cover's rule: of the changed lines that are statements, how many ran."""
    change = gitdiff.session_change(ctx)
    totals = ctx.coverage()
    threshold, comparison = float(params["threshold"]), params.get("comparison", ">=")
    required = f"{comparison} {threshold:g}%"
    measured = {os.path.realpath(row.path): row for row in totals.files}
    changed = covered = 0
    findings: list[Finding] = []
    for name, lines in sorted(change.files.items()):
        row = measured.get(os.path.realpath(change.root / name))
        if row is None:
            continue  # not measured source: tests, docs, configuration
        statements = row.statements & lines
        changed += len(statements)
        covered += len(statements - row.missing)
        for first, last in _runs(statements & row.missing, row.statements):
            shown = f"line {first}" if first == last else f"lines {first}-{last}"
            findings.append(Finding(ctx.relative(row.path), first, "UNCOVERED",
                                    f"changed {shown} not run by any test"))  # fmt: skip
    against = f"against {gitdiff.shown_ref(change.base)}"
    if changed == 0:
        return Outcome(SKIPPED, f"no changed line {against} is a measured statement")
    percent = 100.0 * covered / changed
    shown = format_percent(percent, threshold)
    detail = f"{covered} of {changed} changed lines {against}, measured by {totals.origin}"
    if satisfies(percent, comparison, threshold):
        return Outcome(PASSED, f"diff coverage {shown} ({detail})", percent, required)
    summary = f"diff coverage {shown}, required {required} ({detail})"
    return Outcome(FAILED, summary, percent, required, tuple(findings))


def per_file_floors(entries: Iterable[str]) -> list[tuple[str, float]]:
    """``GLOB=PERCENT`` entries as (glob, floor); the last glob that matches a file applies."""
    floors = []
    for entry in entries:
        glob, sep, number = str(entry).rpartition("=")
        try:
            floor = float(number.strip().rstrip("%"))
        except ValueError:
            floor = -1.0
        if not sep or not glob.strip() or not 0 <= floor <= 100:
            raise CheckCouldNotRun(
                f"{PER_FILE_OPTION}: {entry!r} is not GLOB=PERCENT (e.g. '*=60', 'app/core/*=90')"
            )
        floors.append((glob.strip(), floor))
    return floors


def _under_floor(
    files: Iterable[FileCoverage], floors: list[tuple[str, float]], ctx: CheckContext
) -> list[Finding]:
    findings = []
    for row in files:
        relative = ctx.relative(row.path)
        matching = [(glob, floor) for glob, floor in floors if fnmatch.fnmatch(relative, glob)]
        if not matching or not row.statements:
            continue
        glob, floor = matching[-1]
        if row.percent < floor:
            text = (f"{format_percent(row.percent, floor)} of {len(row.statements)} lines covered, "
                    f"under the floor of {floor:g}% for {glob!r}")  # fmt: skip
            findings.append(_file_finding(ctx, row, text))
    return findings


def _file_finding(ctx: CheckContext, row: FileCoverage, text: str) -> Finding:
    """Points at the first line not run, and names the lines not run."""
    runs = _runs(row.missing, row.statements)
    line = runs[0][0] if runs else 1
    shown = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs[:6])
    more = ", ..." if len(runs) > 6 else ""
    return Finding(ctx.relative(row.path), line, "COVERAGE",
                   f"{text}; not run: {shown}{more}" if runs else text)  # fmt: skip


def _runs(lines: Iterable[int], statements: Iterable[int]) -> list[tuple[int, int]]:
    """``lines`` grouped into runs that no other statement interrupts: (first, last) each."""
    wanted = set(lines)
    runs: list[tuple[int, int]] = []
    start = previous = None
    for line in sorted(statements):
        if line in wanted:
            start = line if start is None else start
            previous = line
        elif start is not None:
            runs.append((start, previous))
            start = None
    if start is not None:
        runs.append((start, previous))
    return runs


def _drift(totals: CoverageTotals, threshold: float, comparison: str, ctx: CheckContext) -> tuple:
    if not totals.fail_under or totals.fail_under == threshold:
        return ()
    return (
        f"drift: fail_under in {describe_config(ctx.rootdir)} is {totals.fail_under:g}%, the "
        f"promise says {comparison} {threshold:g}%; the promise is what this gate enforces",
    )


def _branch_text(start: int, end: int) -> str:
    target = "the exit of its code" if end < 0 else f"line {end}"
    return f"line {start} never jumped to {target}"
