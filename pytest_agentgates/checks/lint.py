"""The lint and format checks: ruff under the project's own configuration, once per session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import FAILED, PASSED, CheckCouldNotRun, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import python_files
from ..project.tools import run_json
from .ruff_run import EXTRA_RULES, project_selection, ruff_results

_EXTRA = frozenset(EXTRA_RULES)


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    """``ruff check`` finds nothing that the project's own configuration selects."""
    _require_source(ctx, "ruff check")
    selection = project_selection(ctx)
    findings = tuple(
        Finding(result.relative, result.line, result.code, result.message)
        for result in ruff_results(ctx)
        if result.code not in _EXTRA or selection.selects(result.code, result.path)
    )
    if findings:
        return Outcome(FAILED, f"ruff found {len(findings)} problem(s)", len(findings), 0, findings)
    return Outcome(PASSED, "ruff found nothing", 0, 0)


def format_findings(ctx: CheckContext) -> tuple[Finding, ...]:
    """One ``ruff format --check`` per session: each file it would change (or cannot parse)."""

    def run() -> tuple[Finding, ...]:
        args = ["format", "--check", "--output-format", "json", *ctx.cache.ruff(), "."]
        # Exit code 1: files would change; 2: some file could not be parsed (still JSON).
        return tuple(map(_format_finding, run_json("ruff", args, ctx.rootdir, ok_codes=(0, 1, 2))))

    def _format_finding(entry: dict) -> Finding:
        path = ctx.relative(entry["filename"])
        if entry.get("code") == "unformatted":
            return Finding(path, 1, "FORMAT", "would be reformatted by ruff format")
        message = f"cannot be formatted: {entry['message']}"
        return Finding(path, entry["location"]["row"], "syntax-error", message)

    return ctx.once("ruff-format", run)


def evaluate_format(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    _require_source(ctx, "ruff format")
    findings = format_findings(ctx)
    if findings:
        unparsed = sum(finding.code != "FORMAT" for finding in findings)
        summary = f"ruff format would change {len(findings) - unparsed} file(s)"
        if unparsed:
            summary += f" and cannot parse {unparsed}"
        return Outcome(FAILED, summary, len(findings), 0, findings)
    return Outcome(PASSED, "ruff format would change nothing", 0, 0)


def _require_source(ctx: CheckContext, command: str) -> None:
    """Ruff finds nothing in a project without Python: that is no evidence, not a pass."""
    if not python_files(ctx):
        raise CheckCouldNotRun(f"no project source found for {command}; set agent_gates_source")
