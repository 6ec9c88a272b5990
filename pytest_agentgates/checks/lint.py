"""The lint check: ``ruff check`` under the project's own configuration, once per session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..context import CheckContext
from ..model import FAILED, PASSED, Finding, Outcome
from ..tools import run_json


def ruff_findings(ctx: CheckContext) -> tuple[Finding, ...]:
    def run() -> tuple[Finding, ...]:
        args = ["check", "--output-format", "json", "--exit-zero", "--no-fix", "--no-cache", "."]
        results = run_json("ruff", args, ctx.rootdir)
        return tuple(
            Finding(
                ctx.relative(entry["filename"]),
                entry["location"]["row"],
                entry.get("code") or "syntax-error",
                entry["message"],
            )
            for entry in results
        )

    return ctx.once("ruff-check", run)


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    findings = ruff_findings(ctx)
    if findings:
        return Outcome(FAILED, f"ruff found {len(findings)} problem(s)", len(findings), 0, findings)
    return Outcome(PASSED, "ruff found nothing", 0, 0)
