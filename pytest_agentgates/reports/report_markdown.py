"""The Implementation Report: the run's facts and every promise's verdict, as Markdown."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from ..checks.verdict import SHOWN_FINDINGS, STATUSES, Verdict, machine_verified, status_of
from ..definitions.mapping import MANUAL as MANUAL_CHECK
from ..definitions.quantities import format_percent
from ..model import ERROR, FAILED, MANUAL, NOT_RUN, PHASES, SKIPPED, Gate
from ..project.gitdiff import shown_ref
from .provenance import prefix
from .report_facts import ReportFacts, Rows

SHOWN_PATHS = 100
SHOWN_FILES = 10
# A manual promise is still open for the reviewer with one of these; any other status (such as
# an attestation) means someone vouched for it.
OPEN = frozenset({MANUAL, FAILED, ERROR, SKIPPED, NOT_RUN})


def render(facts: ReportFacts, summary: str = "") -> str:
    """``summary`` is the pull-request summary (``pr_summary``), shown right after the header."""
    parts = [
        _header(facts),
        f"## Summary\n\n{summary}" if summary else "",
        _stack(facts),
        _changes(facts),
        _routes(facts),
        _tests(facts),
        _coverage(facts),
        _promises(facts.rows),
        _manual(facts.rows),
    ]
    return "\n\n".join(part.rstrip() for part in parts if part) + "\n"


def status_counts(rows: Rows) -> Counter:
    return Counter(status_of(verdict) for _, entries in rows for _, _, verdict in entries)


def ordered(statuses: Counter) -> list[str]:
    """Known statuses in their usual order, then any other (e.g. added by a plugin) by name."""
    others = sorted(status for status in statuses if status not in STATUSES)
    return [status for status in (*STATUSES, *others) if statuses[status]]


def outcome(rows: Rows) -> str:
    """E.g. "5 passed, 1 failed, 2 manual; 6 of 8 promises machine-verified"."""
    counts = status_counts(rows)
    verified = sum(machine_verified(gate, verdict) for _, entries in rows
                   for _, gate, verdict in entries)  # fmt: skip
    shown = ", ".join(f"{counts[status]} {status}" for status in ordered(counts)) or "no gates"
    return f"{shown}; {verified} of {sum(counts.values())} promises machine-verified"


# --- sections --------------------------------------------------------------------------------
def _header(facts: ReportFacts) -> str:
    name = facts.stack.name if not isinstance(facts.stack, str) and facts.stack.name else ""
    return "\n".join(
        [
            f"# Implementation Report{': ' + name if name else ''}",
            "",
            f"- **Commit:** {_commit(facts.commit)}",
            f"- **Generated:** {facts.generated:%Y-%m-%d %H:%M:%S} UTC by {facts.tool} on "
            f"{facts.python}",
            f"- **Command:** {code(facts.invocation)}",
            f"- **Promises:** {outcome(facts.rows)}",
        ]
    )


def _commit(commit) -> str:
    if isinstance(commit, str):
        return f"unknown: {commit}"
    where = f"{code(commit.short)} on {code(commit.branch)}" if commit.sha else "no commit yet"
    if not commit.dirty:
        return f"{where}, clean working tree"
    shown = ", ".join(code(path) for path in commit.dirty[:10])
    more = f" and {len(commit.dirty) - 10} more" if len(commit.dirty) > 10 else ""
    return f"{where}, **dirty**: {len(commit.dirty)} uncommitted path(s): {shown}{more}"


def _stack(facts: ReportFacts) -> str:
    lines = ["## Stack detected", ""]
    stack = facts.stack
    if isinstance(stack, str):
        return "\n".join([*lines, _missing(stack)])
    lines.append(f"- Python: {code(stack.python)} required" if stack.python else
                 "- Python: no `requires-python` declared")  # fmt: skip
    lines.append(f"- Tests ran on {facts.python}")
    locks = ", ".join(code(name) for name in stack.lock_files)
    lines.append(f"- Lock files: {locks or 'none'}")
    if stack.components:
        lines += ["", "| Component | Evidence |", "|---|---|"]
        lines += [f"| {c.name} | {cell('; '.join(c.evidence))} |" for c in stack.components]
    else:
        lines += ["", "No known framework is declared or imported."]
    if stack.other_dependencies:
        other = ", ".join(code(name) for name in stack.other_dependencies)
        lines += ["", f"Other declared dependencies: {other}"]
    lines += [f"\n_{note}_" for note in stack.notes]
    return "\n".join(lines)


def _changes(facts: ReportFacts) -> str:
    change = facts.change
    if isinstance(change, str):
        return "\n".join(["## Changes", "", _missing(change)])
    scope = prefix(facts.rootdir, change.root)
    files = {path: lines for path, lines in change.files.items() if path.startswith(scope)}
    added = sorted(path for path in files if path in change.added)
    modified = sorted(path for path in files if path not in change.added)
    deleted = sorted(path for path in change.deleted if path.startswith(scope))
    counted = f"{len(added)} added, {len(modified)} modified, {len(deleted)} deleted"
    if scope:
        outside = len(change.files) + len(change.deleted) - len(files) - len(deleted)
        summary = (f"{counted} under {code(scope)} (the rootdir), "
                   f"{sum(map(len, files.values()))} lines added or changed; {outside} more "
                   "file(s) changed elsewhere in the repository.")  # fmt: skip
    else:
        summary = f"{counted}; +{change.lines_added} −{change.lines_removed} lines."
    lines = [
        f"## Changes against {code(shown_ref(change.base))}",
        "",
        summary + " Paths are relative to the repository root; untracked files count as added.",
    ]
    for title, paths in (("Added", added), ("Modified", modified), ("Deleted", deleted)):
        if paths:
            lines += ["", f"**{title}**", ""]
            lines += [f"- {code(path)}" for path in paths[:SHOWN_PATHS]]
            if len(paths) > SHOWN_PATHS:
                lines.append(f"- … and {len(paths) - SHOWN_PATHS} more")
    return "\n".join(lines)


def _routes(facts: ReportFacts) -> str:
    lines = ["## HTTP endpoints", ""]
    routes = facts.routes
    if isinstance(routes, str):
        return "\n".join([*lines, _missing(routes)])
    if not routes:
        return "\n".join([*lines, "No HTTP route was found in the source."])
    lines += ["| Method | Path | Handler | Where |", "|---|---|---|---|"]
    for route in routes:
        cells = (str(route.method), code(route.path), code(route.handler),
                 code(f"{route.relative}:{route.line}"))  # fmt: skip
        lines.append("| " + " | ".join(cell(text) for text in cells) + " |")
    return "\n".join(lines)


def _tests(facts: ReportFacts) -> str:
    tests = facts.tests
    counts = {
        "passed": tests.passed, "failed": tests.failed, "errors": tests.errors,
        "skipped": tests.skipped, "xfailed": tests.xfailed, "xpassed": tests.xpassed,
        "collection errors": tests.collection_errors,
    }  # fmt: skip
    lines = [
        "## Tests",
        "",
        "| " + " | ".join(counts) + " |",
        "|" + "---|" * len(counts),
        "| " + " | ".join(str(value) for value in counts.values()) + " |",
    ]
    if tests.problems:
        lines += ["", "Not passing:", ""]
        lines += [f"- {kind} {code(nodeid)} ({code(f'{path}:{line}')})"
                  for path, line, kind, nodeid in tests.problems[:SHOWN_PATHS]]  # fmt: skip
    return "\n".join(lines)


def _coverage(facts: ReportFacts) -> str:
    totals = facts.coverage
    if isinstance(totals, str):
        return "\n".join(["## Coverage", "", _missing(totals)])
    lines = [
        "## Coverage",
        "",
        f"Line coverage **{format_percent(totals.percent, -1.0)}**: {totals.covered_lines} of "
        f"{totals.num_statements} statements, measured by {totals.origin}.",
    ]
    files = [row for row in totals.files if row.statements][:SHOWN_FILES]
    if files:
        lines += ["", "Files, least covered first:", "", "| File | Covered | Statements | Coverage |",
                  "|---|---|---|---|"]  # fmt: skip
        lines += [f"| {cell(code(Path(os.path.relpath(row.path, facts.rootdir)).as_posix()))} | {row.covered} | {len(row.statements)} | "
                  f"{format_percent(row.percent, -1.0)} |" for row in files]  # fmt: skip
    return "\n".join(lines)


def _promises(rows: Rows) -> str:
    lines = ["## Promises"]
    for agent, entries in rows:
        lines += ["", f"### {agent.name} ({code(agent.path)})", ""]
        lines += [f"- warning: {cell(warning)}" for warning in agent.warnings]
        if not entries:
            lines.append("No gate of this agent was selected in this run.")
            continue
        lines += [
            "| Phase | Line | Promise | Checks | Verdict | Evidence |",
            "|---|---|---|---|---|---|",
        ]
        ordered_entries = sorted(entries, key=lambda entry: PHASES.index(entry[1].phase))
        for _, gate, verdict in ordered_entries:
            lines.append(
                f"| {gate.phase} | {gate.item.line} | {cell(gate.item.text)} | "
                f"{', '.join(gate.checks)} | {verdict_cell(verdict)} | {evidence(verdict)} |"
            )
        details = [_details(gate, verdict) for _, gate, verdict in ordered_entries]
        lines += [detail for detail in details if detail]
    return "\n".join(lines)


def verdict_cell(verdict: Verdict | None) -> str:
    status = status_of(verdict)
    return f"**{status}**" if status in (FAILED, ERROR) else status


def evidence(verdict: Verdict | None) -> str:
    if verdict is None:
        return "not evaluated in this run"
    return cell(verdict.summary)


def _details(gate: Gate, verdict: Verdict | None) -> str:
    """Measured against required and the first findings of each check that did not pass."""
    if verdict is None or not any(
        outcome.status in (FAILED, ERROR) or outcome.findings or outcome.notes
        for _, outcome in verdict.outcomes
    ):
        return ""
    lines = ["", f"**{gate.location}** — {cell(gate.item.text)} ({verdict.status})", ""]
    for check_id, outcome in verdict.outcomes:
        line = f"- {check_id}: {outcome.status} — {cell(outcome.summary)}"
        if outcome.required not in (None, "") and outcome.measured is not None:
            line += (
                f" (measured {cell(str(outcome.measured))}, required {cell(str(outcome.required))})"
            )
        lines.append(line)
        for finding in outcome.findings[:SHOWN_FINDINGS]:
            where = code(f"{finding.path}:{finding.line}")
            lines.append(f"  - {where} {finding.code} {cell(finding.message)}")
        if len(outcome.findings) > SHOWN_FINDINGS:
            lines.append(f"  - … and {len(outcome.findings) - SHOWN_FINDINGS} more")
        lines += [f"  - note: {cell(note)}" for note in outcome.notes]
    return "\n".join(lines)


def _manual(rows: Rows) -> str:
    lines = ["## For the reviewer", ""]
    manual = [
        (agent, gate, verdict)
        for agent, entries in rows
        for _, gate, verdict in entries
        if gate.checks == (MANUAL_CHECK,)
    ]
    if not manual:
        return "\n".join([*lines, "No promise needs a person to confirm it."])
    lines += ["No tool can prove these promises; a person has to confirm each one.", ""]
    for agent, gate, verdict in manual:
        status = status_of(verdict)
        box = "[ ]" if status in OPEN else "[x]"
        why = verdict.summary if verdict else f"{status}: {gate.reason}"
        if not why.startswith(status):
            why = f"{status}: {why}"
        lines.append(
            f"- {box} {cell(gate.item.text)} — {agent.name}, {gate.phase}, "
            f"{code(gate.location)}: {cell(why)}"
        )
    return "\n".join(lines)


# --- Markdown --------------------------------------------------------------------------------
def _missing(reason: str) -> str:
    return f"_Not available: {cell(reason)}_"


def cell(text: str) -> str:
    """Text safe inside a table cell or list item: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def code(text: str) -> str:
    """An inline code span (in a table cell, pass it through ``_cell`` to escape pipes)."""
    text = " ".join(str(text).split())
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"
