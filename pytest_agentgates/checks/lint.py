"""The lint and format checks: ruff under the project's own conventions (its ruff, flake8, isort
or black configuration), once per session."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import FAILED, PASSED, CheckCouldNotRun, Finding, Outcome
from ..project import lint_config, repository
from ..project.context import CheckContext
from ..project.sources import python_files
from ..project.tools import run_json
from . import conventions
from .ruff_run import EXTRA_RULES, project_selection, ruff_results

_EXTRA = frozenset(EXTRA_RULES)


def project_conventions(ctx: CheckContext) -> lint_config.Conventions:
    def read() -> lint_config.Conventions:
        try:
            return lint_config.conventions(repository.places(ctx))
        except lint_config.ConfigProblem as error:
            raise CheckCouldNotRun(str(error)) from error

    return ctx.once("lint-conventions", read)


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    """The project's own linters find nothing: its ruff configuration; else its flake8 and isort
    configuration, as ruff's equivalent rules; with none, ruff's defaults, and the verdict says so."""
    _require_source(ctx, "ruff check")
    found = project_conventions(ctx)
    notes: list[str] = []
    if found.ruff is None and (found.flake8 or found.isort):
        findings: list[Finding] = []
        tools = []
        if found.flake8:
            more, said = conventions.flake8_findings(ctx, found.flake8)
            findings += more
            notes += said
            tools.append(f"flake8 ({repository.shown(ctx, found.flake8.path)})")
        if found.isort:
            more, said = conventions.isort_findings(ctx, found.isort)
            findings += more
            notes += said
            tools.append(f"isort ({repository.shown(ctx, found.isort.path)})")
        under = f"the project's {' and '.join(tools)} configuration, through ruff"
    else:
        selection = project_selection(ctx)
        findings = [
            Finding(result.relative, result.line, result.code, result.message)
            for result in ruff_results(ctx)
            if result.code not in _EXTRA or selection.selects(result.code, result.path)
        ]
        under = (f"the project's ruff configuration ({repository.shown(ctx, found.ruff)})"
                 if found.ruff else "ruff's default rules (no project configuration)")  # fmt: skip
    if findings:
        return Outcome(FAILED, f"ruff found {len(findings)} problem(s) under {under}",
                       len(findings), 0, tuple(findings), tuple(notes))  # fmt: skip
    return Outcome(PASSED, f"ruff found nothing under {under}", 0, 0, (), tuple(notes))


def format_findings(ctx: CheckContext) -> tuple[Finding, ...]:
    """One ``ruff format --check`` per session: each file it would change (or cannot parse)."""

    black = project_conventions(ctx).black if project_conventions(ctx).ruff is None else None

    def run() -> tuple[Finding, ...]:
        args = ["format", "--check", "--output-format", "json", *ctx.cache.ruff()]
        if black is not None:  # black's settings, through its black-compatible formatter
            args += ["--isolated", "--line-length", str(black.line_length)]
            if black.skip_string_normalization:
                args += ["--config", "format.quote-style = 'preserve'"]
            if black.skip_magic_trailing_comma:
                args += ["--config", "format.skip-magic-trailing-comma = true"]
        args.append(".")
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
    found = project_conventions(ctx)
    if found.ruff is not None:
        under = f"the project's ruff configuration ({repository.shown(ctx, found.ruff)})"
    elif found.black is not None:
        under = f"the project's black configuration ({repository.shown(ctx, found.black.path)})"
    else:
        under = "ruff format's defaults (no formatter configured)"
    if findings:
        unparsed = sum(finding.code != "FORMAT" for finding in findings)
        summary = f"ruff format would change {len(findings) - unparsed} file(s)"
        if unparsed:
            summary += f" and cannot parse {unparsed}"
        return Outcome(FAILED, f"{summary} under {under}", len(findings), 0, findings)
    return Outcome(PASSED, f"ruff format would change nothing under {under}", 0, 0)


def _require_source(ctx: CheckContext, command: str) -> None:
    """Ruff finds nothing in a project without Python: that is no evidence, not a pass."""
    if not python_files(ctx):
        raise CheckCouldNotRun(f"no project source found for {command}; set agent_gates_source")
