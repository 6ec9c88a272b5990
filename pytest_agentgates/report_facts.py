"""The facts an Implementation Report states, each gathered once, or the reason it could not be."""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from . import __version__, gitdiff, provenance, stack
from .context import CheckContext, TestRecord
from .model import AgentDefinition, CheckCouldNotRun, Gate
from .sources import python_files
from .verdict import Verdict

T = TypeVar("T")
Rows = Sequence[tuple[AgentDefinition, Sequence[tuple[str, Gate, "Verdict | None"]]]]


@dataclass(frozen=True)
class ReportFacts:
    """Plain data behind the report; a section that could not be computed holds the reason (str)."""

    rows: Rows
    generated: datetime
    invocation: str
    rootdir: Path
    commit: provenance.Commit | str
    stack: stack.Stack | str
    change: gitdiff.Change | str
    routes: tuple[Any, ...] | str  # routes.Route
    tests: TestRecord
    coverage: Any  # coverage_engine.CoverageTotals, or the reason it is missing (str)
    tool: str = f"pytest-agentgates {__version__}"
    python: str = f"{platform.python_implementation()} {platform.python_version()}"


def gather(ctx: CheckContext, rows: Rows, invocation: str) -> ReportFacts:
    return ReportFacts(
        rows=rows,
        generated=datetime.now(timezone.utc),
        invocation=invocation,
        rootdir=ctx.rootdir,
        commit=_attempt(lambda: provenance.head(ctx.rootdir)),
        stack=_attempt(lambda: stack.detect(ctx.rootdir, python_files(ctx))),
        change=_attempt(lambda: gitdiff.changes(ctx.rootdir, ctx.options.get("base"))),
        routes=_attempt(lambda: _routes(ctx)),
        tests=ctx.tests,
        coverage=_attempt(ctx.coverage),
    )


def _routes(ctx: CheckContext) -> tuple[Any, ...]:
    try:
        from .routes import find_routes
    except ImportError as error:  # the route finder ships with the api-tests check
        raise CheckCouldNotRun("this version cannot find HTTP routes") from error
    return tuple(find_routes(python_files(ctx)))


def _attempt(compute: Callable[[], T]) -> T | str:
    try:
        return compute()
    except CheckCouldNotRun as error:
        return str(error)
