"""The session's single bandit run (every test) and the security-scan check.

Bandit runs once with all its tests, so that injection and secrets can read the tests they
need; the project's ``[tool.bandit]`` settings apply, except ``tests``/``skips``, which are
applied to the results afterwards: security-scan reports what the project's own bandit
configuration would report.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model import FAILED, PASSED, CheckCouldNotRun, Finding, Outcome
from ..project import bandit_files
from ..project.context import CheckContext
from ..project.layout import BANDIT_EXCLUDE
from .code_sites import pyproject

LEVELS = ("low", "medium", "high")
BLACKLIST_PREFIXES = ("B3", "B4")  # what bandit's legacy "B001" stands for
PASSWORD_TESTS = frozenset({"B105", "B106", "B107"})  # their text shows the value


@dataclass(frozen=True)
class BanditRun:
    """Bandit's results, and the tests the project's configuration selects or skips."""

    results: tuple[dict, ...]
    tests: frozenset[str] = field(default_factory=frozenset)
    skips: frozenset[str] = field(default_factory=frozenset)

    def project_selects(self, test_id: str) -> bool:
        def named(ids: frozenset[str]) -> bool:
            return test_id in ids or ("B001" in ids and test_id.startswith(BLACKLIST_PREFIXES))

        return (not self.tests or named(self.tests)) and not named(self.skips)


def bandit_run(ctx: CheckContext) -> BanditRun:
    def run() -> BanditRun:
        if not ctx.source:
            raise CheckCouldNotRun(
                "no project source found for bandit to scan; set agent_gates_source"
            )
        options = _project_options(ctx)
        selection = {key: options.pop(key, None) or [] for key in ("tests", "skips")}
        excluded = [*BANDIT_EXCLUDE, *(options.pop("exclude_dirs", None) or [])]
        targets = [ctx.relative(path) for path in ctx.source]  # relative: excludes match as meant
        args = ["-f", "json", "-q", "-x", ",".join(excluded)]
        text = yaml.safe_dump(options) if options else ""
        with tempfile.TemporaryDirectory(prefix="agentgates-bandit-") as folder:
            flags = []
            if options:
                config = Path(folder) / "bandit.yaml"
                config.write_text(text, encoding="utf-8")
                flags = ["-c", str(config)]
            report = bandit_files.scan(ctx.rootdir, targets, args, (flags, text), ctx.cache)
        if report.get("errors"):
            first = report["errors"][0]
            raise CheckCouldNotRun(
                f"bandit could not scan {len(report['errors'])} file(s), first "
                f"{ctx.relative(first.get('filename', '?'))}: {first.get('reason', 'unknown')}"
            )
        if not report.get("metrics", {}).get("_totals", {}).get("loc"):
            raise CheckCouldNotRun("bandit scanned no line of code in " + ", ".join(targets))
        return BanditRun(
            tuple(report.get("results", [])),
            frozenset(map(str, selection["tests"])),
            frozenset(map(str, selection["skips"])),
        )

    return ctx.once("bandit", run)


def _project_options(ctx: CheckContext) -> dict[str, Any]:
    """A copy of ``[tool.bandit]`` (the caller takes options out of it)."""
    options = pyproject(ctx).get("tool", {}).get("bandit", {})
    return dict(options) if isinstance(options, dict) else {}


def bandit_results(ctx: CheckContext, test_ids: tuple[str, ...]) -> list[dict]:
    """The run's results of the given tests, whatever the project's configuration skips."""
    wanted = set(test_ids)
    return [result for result in bandit_run(ctx).results if result["test_id"] in wanted]


def bandit_path(ctx: CheckContext, result: dict) -> str:
    """The result's file relative to the rootdir (bandit ran there on relative targets)."""
    return ctx.relative(ctx.rootdir / result["filename"])


def _message(result: dict) -> str:
    text = result["issue_text"]
    if result["test_id"] in PASSWORD_TESTS:
        text = "Possible hard-coded password (value hidden: see the secrets check)"
    return f"{text} [{result['issue_severity'].lower()}/{result['issue_confidence'].lower()}]"


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
    run = bandit_run(ctx)
    findings = tuple(
        Finding(
            bandit_path(ctx, result), result["line_number"], result["test_id"], _message(result)
        )
        for result in run.results
        if run.project_selects(result["test_id"])
        and LEVELS.index(result["issue_severity"].lower()) >= severity
        and LEVELS.index(result["issue_confidence"].lower()) >= confidence
    )
    if findings:
        return Outcome(FAILED, f"bandit found {len(findings)} issue(s)", len(findings), required,
                       findings)  # fmt: skip
    return Outcome(PASSED, f"bandit found {required}", 0, required)
