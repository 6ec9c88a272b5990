"""The security-scan check: bandit's JSON report over the project's source, once per session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..context import CheckContext
from ..layout import BANDIT_EXCLUDE
from ..model import FAILED, PASSED, CheckCouldNotRun, Finding, Outcome
from ..tools import run_json

LEVELS = ("low", "medium", "high")


def bandit_results(ctx: CheckContext) -> list[dict]:
    def run() -> list[dict]:
        if not ctx.source:
            raise CheckCouldNotRun(
                "no project source found for bandit to scan; set agent_gates_source"
            )
        targets = [ctx.relative(path) for path in ctx.source]  # relative: excludes match as meant
        args = ["-r", *targets, "-f", "json", "-q", "-x", ",".join(BANDIT_EXCLUDE)]
        pyproject = ctx.rootdir / "pyproject.toml"
        if pyproject.is_file() and "[tool.bandit" in pyproject.read_text(encoding="utf-8"):
            args += ["-c", str(pyproject)]
        report = run_json("bandit", args, ctx.rootdir, ok_codes=(0, 1))
        if report.get("errors"):
            first = report["errors"][0]
            raise CheckCouldNotRun(
                f"bandit could not scan {len(report['errors'])} file(s), first "
                f"{ctx.relative(first.get('filename', '?'))}: {first.get('reason', 'unknown')}"
            )
        if not report.get("metrics", {}).get("_totals", {}).get("loc"):
            raise CheckCouldNotRun("bandit scanned no line of code in " + ", ".join(targets))
        return report.get("results", [])

    return ctx.once("bandit", run)


def _level(params: Mapping[str, Any], name: str) -> int:
    value = str(params.get(name, "medium")).lower()
    if value not in LEVELS:
        raise CheckCouldNotRun(f"{name} must be one of {', '.join(LEVELS)}, not {value!r}")
    return LEVELS.index(value)


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    severity, confidence = _level(params, "severity"), _level(params, "confidence")
    required = (
        f"nothing at or above {LEVELS[severity]} severity and {LEVELS[confidence]} confidence"
    )
    findings = tuple(
        Finding(
            ctx.relative(result["filename"]),
            result["line_number"],
            result["test_id"],
            f"{result['issue_text']} [{result['issue_severity'].lower()}/"
            f"{result['issue_confidence'].lower()}]",
        )
        for result in bandit_results(ctx)
        if LEVELS.index(result["issue_severity"].lower()) >= severity
        and LEVELS.index(result["issue_confidence"].lower()) >= confidence
    )
    if findings:
        return Outcome(FAILED, f"bandit found {len(findings)} issue(s)", len(findings), required,
                       findings)  # fmt: skip
    return Outcome(PASSED, f"bandit found {required}", 0, required)
