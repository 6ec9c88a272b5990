"""GitHub Actions: workflow-command annotations for failed gates, and a step-summary table."""

from __future__ import annotations

from ..checks.verdict import Verdict, explain
from ..model import ERROR, FAILED, PHASES, Gate
from .provenance import repository_path
from .report_facts import Rows
from .report_markdown import cell, code, evidence, verdict_cell

MAX_ANNOTATIONS = 50
# The workflow command of a gate, by its status; a status not listed here is not annotated. An
# error (a check that could not run) fails the job like a failure, so it is shown as one.
COMMANDS = {FAILED: "error", ERROR: "error"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, message: str, **properties: object) -> str:
    """``::kind file=…,line=…,title=…::message``, escaped as GitHub's toolkit escapes it."""
    shown = ",".join(
        f"{name}={escape_property(str(value))}"
        for name, value in properties.items()
        if value is not None
    )
    return (
        f"::{kind} {shown}::{escape_data(message)}"
        if shown
        else f"::{kind}::{escape_data(message)}"
    )


def annotations(rows: Rows, prefix: str = "", limit: int = MAX_ANNOTATIONS) -> list[str]:
    """One annotation at each failed gate's promise, then one per finding; at most ``limit``.

    ``prefix`` turns rootdir-relative paths into repository-relative ones, as GitHub wants.
    """
    at_promises: list[str] = []
    at_findings: list[str] = []
    for _, entries in rows:
        for _, gate, verdict in entries:
            kind = COMMANDS.get(verdict.status) if verdict else None
            if kind is None:
                continue
            at_promises.append(command(
                kind, explain(gate, verdict), file=repository_path(prefix, gate.path),
                line=gate.item.line, title=f"agent gate {verdict.status}: {gate.item.text}",
            ))  # fmt: skip
            at_findings += _findings(kind, gate, verdict, prefix)
    found = at_promises + at_findings
    if len(found) <= limit:
        return found
    more = len(found) - limit
    note = (f"{more} more agent-gate annotation(s) not shown; the job log, "
            "--agent-gates-sarif or --agent-gates-json list them all")  # fmt: skip
    return [*found[:limit], command("warning", note, title="agent gates")]


def _findings(kind: str, gate: Gate, verdict: Verdict, prefix: str) -> list[str]:
    return [
        command(
            kind,
            f"{finding.code} {finding.message}\npromise: {gate.item.text} ({gate.location})",
            file=repository_path(prefix, finding.path),
            line=finding.line if finding.line >= 1 else None,
            title=f"{check_id}: {finding.code}",
        )
        for check_id, result in verdict.outcomes
        if result.status == FAILED
        for finding in result.findings
    ]


def step_summary(rows: Rows, summary: str, link: str | None = None) -> str:
    """A Markdown section for ``$GITHUB_STEP_SUMMARY``: the pull-request summary, then every
    promise in a folded table; ``link`` is the blob URL of the commit."""
    total = sum(len(entries) for _, entries in rows)
    lines = ["## Agent gates", "", summary.rstrip(), ""]
    lines += [f"<details><summary>All {total} promises</summary>", ""]
    lines += ["| Agent | Phase | Promise | Verdict | Evidence |", "|---|---|---|---|---|"]
    for agent, entries in rows:
        for _, gate, verdict in sorted(entries, key=lambda entry: PHASES.index(entry[1].phase)):
            where = code(gate.location)
            if link and not gate.path.startswith("/"):
                where = f"[{where}]({link}{gate.path}#L{gate.item.line})"
            promise = f"{cell(gate.item.text)} ({cell(where)})"
            lines.append(f"| {cell(agent.name)} | {gate.phase} | {promise} | "
                         f"{verdict_cell(verdict)} | {evidence(verdict)} |")  # fmt: skip
    lines += ["", "</details>"]
    return "\n".join(lines) + "\n"
