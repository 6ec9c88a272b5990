"""The facts an Implementation Report states, each gathered once, or the reason it could not be."""

from __future__ import annotations

import dataclasses
import platform
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from .. import __version__
from ..checks.verdict import Verdict
from ..model import AgentDefinition, CheckCouldNotRun, Gate
from ..project import gitdiff, stack
from ..project.context import CheckContext, TestRecord
from ..project.routes import project_routes
from ..project.sources import python_files
from . import provenance

T = TypeVar("T")
C = TypeVar("C", provenance.Commit, gitdiff.Change)
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


def gather(
    ctx: CheckContext, rows: Rows, invocation: str, outputs: Collection[Path] = ()
) -> ReportFacts:
    """``outputs`` are the files this run writes (the report itself): not part of the change."""
    return ReportFacts(
        rows=rows,
        generated=datetime.now(timezone.utc),
        invocation=invocation,
        rootdir=ctx.rootdir,
        commit=_attempt(lambda: _without_outputs(provenance.head(ctx.rootdir), outputs)),
        stack=_attempt(lambda: stack.detect(ctx.rootdir, python_files(ctx))),
        change=_attempt(lambda: _without_outputs(gitdiff.session_change(ctx), outputs)),
        routes=_attempt(lambda: tuple(project_routes(ctx))),
        tests=ctx.tests,
        coverage=_attempt(ctx.coverage),
    )


def _without_outputs(found: C, outputs: Collection[Path]) -> C:
    """The commit's dirty paths or the change's files, less the files this run writes."""
    names = set()
    for path in outputs:
        try:
            names.add(path.resolve().relative_to(found.root.resolve()).as_posix())
        except ValueError:
            continue
    if isinstance(found, provenance.Commit):
        return dataclasses.replace(found, dirty=tuple(p for p in found.dirty if p not in names))
    counts = {name: count for name, count in found.counts.items() if name not in names}
    return dataclasses.replace(
        found,
        files={name: lines for name, lines in found.files.items() if name not in names},
        added=found.added - names,
        deleted=found.deleted - names,
        lines_added=sum(plus for plus, _ in counts.values()),
        lines_removed=sum(minus for _, minus in counts.values()),
        counts=counts,
    )


def _attempt(compute: Callable[[], T]) -> T | str:
    try:
        return compute()
    except CheckCouldNotRun as error:
        return str(error)
