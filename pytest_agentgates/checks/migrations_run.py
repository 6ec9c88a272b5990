"""migrations-roundtrip and migrations-in-sync: verdicts on the runner's reports of the project's
Alembic and Django migrations, run on a throwaway database."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..definitions.quantities import satisfies
from ..migration_runner.steps import THROWAWAY
from ..model import FAILED, PASSED, SKIPPED, CheckCouldNotRun, Finding, Outcome
from ..project.context import CheckContext
from .migration_targets import TIMEOUT_SECONDS, Run, Runs, runs

DATABASE_HINT = (
    "if the migrations need another database than SQLite, name a disposable one with "
    "--agent-gates-database URL"
)
_STEP_CODES = {"upgrade to head": "MIG101", "upgrade to head again": "MIG103"}  # else downgrade


def roundtrip(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    found = runs(ctx)
    if not found.runs:
        return _nothing_to_run(found)
    budget = float(params.get("max_seconds", 300.0))
    comparison = str(params.get("comparison", "<="))
    required = f"{comparison} {budget:g} s"
    _raise_problems(found.runs, budget)
    if any(run.timed_out for run in found.runs):
        return Outcome(FAILED, f"the round trip did not finish within {TIMEOUT_SECONDS} s, "
                       f"required {required}", f"> {TIMEOUT_SECONDS}", required)  # fmt: skip
    elapsed = sum(step["seconds"] for run in found.runs for step in run.report["steps"])
    notes = tuple(_timings(run) for run in found.runs)
    failed = [(run, step) for run in found.runs for step in run.report["steps"] if step["error"]]
    for run, step in failed:
        if step["error"]["sqlite_limit"]:
            raise CheckCouldNotRun(f"{run.target.where}: the migrations cannot run on SQLite "
                                   f"({step['step']}: {step['error']['message']}); "
                                   f"{DATABASE_HINT}")  # fmt: skip
    if failed:
        findings = tuple(_step_finding(run, step) for run, step in failed)
        run, step = failed[0]
        where = f" in {step['error']['migration']}" if step["error"]["migration"] else ""
        on_sqlite = run.report["database"] == THROWAWAY and step["error"]["from_database"]
        hint = f" ({DATABASE_HINT})" if on_sqlite else ""
        summary = f"{step['step']} failed{where}: {step['error']['message']}{hint}"
        return Outcome(FAILED, summary, round(elapsed, 2), required, findings, notes)
    shown = f"{elapsed:.2f} s on {found.runs[0].report['database']}"
    if not satisfies(elapsed, comparison, budget):
        return Outcome(FAILED, f"the round trip took {shown}, required {required}",
                       round(elapsed, 2), required, (), notes)  # fmt: skip
    summary = f"upgrade, downgrade and upgrade again succeeded in {shown} ({_counted(found)})"
    if found.not_run:
        return Outcome(SKIPPED, f"running {', '.join(found.not_run)} is not supported yet "
                       f"({summary})", notes=notes)  # fmt: skip
    return Outcome(PASSED, summary, round(elapsed, 2), required, (), notes)


def in_sync(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    found = runs(ctx)
    if not found.runs:
        return _nothing_to_run(found)
    _raise_problems(found.runs, None)
    findings: list[Finding] = []
    for run in found.runs:
        sync = run.report["sync"]  # set whenever the report has no problem
        if "error" in sync:
            error = sync["error"]
            raise CheckCouldNotRun(f"{run.target.where}: the models could not be compared with the "
                                   f"migrations: {error['message']}")  # fmt: skip
        findings += [
            Finding(difference["path"], difference["line"], "MIG201",
                    f"not in the migrations: {difference['message']}")
            for difference in sync["differences"]
        ]  # fmt: skip
    if findings:
        return Outcome(FAILED, f"{len(findings)} model change(s) have no migration "
                       f"({_counted(found)})", len(findings), 0, tuple(findings))  # fmt: skip
    summary = f"the models and the migrations agree ({_counted(found)})"
    if found.not_run:
        return Outcome(SKIPPED, f"comparing {', '.join(found.not_run)} with models is not "
                       f"supported yet ({summary})")  # fmt: skip
    return Outcome(PASSED, summary, 0, 0)


def _nothing_to_run(found: Runs) -> Outcome:
    if found.not_run:
        return Outcome(SKIPPED, f"running {', '.join(found.not_run)} is not supported yet "
                       "(Alembic and Django migrations are)")  # fmt: skip
    return Outcome(SKIPPED, "no Alembic or Django migrations found")


def _raise_problems(found: tuple[Run, ...], budget: float | None) -> None:
    """What keeps any verdict from being honest: a runner that never finished, or refused to run."""
    for run in found:
        if run.timed_out:
            if budget is not None and budget < TIMEOUT_SECONDS:
                continue  # the round trip reports it as too slow
            raise CheckCouldNotRun(f"{run.target.where}: the migrations did not finish within "
                                   f"{TIMEOUT_SECONDS} s")  # fmt: skip
        if run.report.get("problem"):
            raise CheckCouldNotRun(f"{run.target.where}: {run.report['problem']}")


def _step_finding(run: Run, step: dict[str, Any]) -> Finding:
    error = step["error"]
    code = _STEP_CODES.get(step["step"], "MIG102")
    where = f" in {error['migration']}" if error["migration"] else ""
    return Finding(error["path"] or run.target.where, error["line"], code,
                   f"{step['step']} failed{where}: {error['message']}")  # fmt: skip


def _timings(run: Run) -> str:
    steps = ", ".join(f"{step['step']} {step['seconds']:.2f} s" for step in run.report["steps"])
    versions = f" ({run.report['versions']})" if run.report.get("versions") else ""
    return f"{run.target.where}{versions}: {steps}"


def _counted(found: Runs) -> str:
    return ", ".join(
        f"{run.target.framework.capitalize()} {run.target.where}" for run in found.runs
    )
