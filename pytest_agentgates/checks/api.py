"""api-tests and error-path-tests: which routes and error paths of the source this session's tests ran."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..definitions.quantities import format_percent, satisfies
from ..model import FAILED, PASSED, SKIPPED, CheckCouldNotRun, Finding, Outcome
from ..project.context import CheckContext
from ..project.error_paths import ErrorPath, find_error_paths
from ..project.routes import Route, project_routes
from ..project.sources import SourceFile, python_files

SHOWN_NOTES = 5


def api_tests(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    files = python_files(ctx)
    routes = project_routes(ctx)
    notes = _unparsed(files)
    if not routes:
        return Outcome(SKIPPED, "no HTTP routes found", notes=notes)
    observe = _Observer(ctx, files)
    called, missed, unknown = [], [], []
    for route in routes:
        ran = observe.ran(route.relative, route.body)
        (unknown if ran is None else called if ran else missed).append(route)
    notes += tuple(
        f"{route.method} {route.path} ({route.relative}:{route.line}): {_why_unknown(route)}"
        for route in unknown[:SHOWN_NOTES]
    )
    checkable = len(called) + len(missed)
    counted = f"{len(called)} of {checkable} routes called by the tests"
    if unknown:
        counted += f"; {len(unknown)} could not be observed"
    if missed:
        findings = tuple(
            Finding(r.relative, r.line, "ROUTE", f"{r.method} {r.path}  ({r.handler}) never called")
            for r in missed
        )
        return Outcome(FAILED, f"{len(missed)} route(s) never called: {counted}", len(called),
                       checkable, findings, notes)  # fmt: skip
    if not called:
        raise CheckCouldNotRun(f"none of the {len(unknown)} routes found could be observed: "
                               f"{_why_unknown(unknown[0])}")  # fmt: skip
    return Outcome(PASSED, f"every route was called: {counted}", len(called), checkable, (), notes)


# The bar for a promise that names no share ("error scenarios properly handled"): at least half
# of the error paths run in a test. Well-kept projects test their main failure modes, rarely every
# defensive handler; "every error path is tested" asks for 100%.
ERROR_PATH_DEFAULT = 50.0


def error_path_tests(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    files = python_files(ctx)
    paths = find_error_paths(files)
    notes = _unparsed(files)
    if not paths:
        return Outcome(SKIPPED, "no error paths found (no except handlers or HTTP error responses)",
                       notes=notes)  # fmt: skip
    observe = _Observer(ctx, files)
    ran: list[ErrorPath] = []
    missed: list[ErrorPath] = []
    unmeasured = 0
    for path in paths:
        executed = observe.ran(path.relative, path.body)
        if executed is None:
            unmeasured += 1
        else:
            (ran if executed else missed).append(path)
    if unmeasured:
        notes += (
            f"{unmeasured} error path(s) in files coverage does not measure were not counted",
        )
    total = len(ran) + len(missed)
    if not total:
        return Outcome(SKIPPED, "no error path lies in measured source", notes=notes)
    threshold = float(params.get("threshold", ERROR_PATH_DEFAULT))
    comparison = params.get("comparison", ">=")
    if params.get("every") and threshold == ERROR_PATH_DEFAULT:
        threshold = 100.0  # "every error handler is exercised": the words are the bar
    elif threshold == ERROR_PATH_DEFAULT:
        notes += (f"{ERROR_PATH_DEFAULT:g}% is the default for a promise that names no share "
                  "(\"every error path\" asks for 100%)",)  # fmt: skip
    percent = 100.0 * len(ran) / total
    shown = format_percent(percent, threshold)
    required = f"{comparison} {threshold:g}%"
    detail = f"{len(ran)} of {total} error paths executed by the tests"
    if satisfies(percent, comparison, threshold):
        return Outcome(PASSED, f"{shown} of error paths tested ({detail})", percent, required,
                       (), notes)  # fmt: skip
    findings = tuple(
        Finding(p.relative, p.line, "ERRPATH", f"{p.text} never ran in a test") for p in missed
    )
    return Outcome(FAILED, f"{shown} of error paths tested, required {required} ({detail})",
                   percent, required, findings, notes)  # fmt: skip


class _Observer:
    """Whether lines of a source file ran, per this session's coverage; None when not measured."""

    def __init__(self, ctx: CheckContext, files: tuple[SourceFile, ...]) -> None:
        self.totals = ctx.coverage()
        self.paths = {file.relative: file.path for file in files}
        self.rootdir = ctx.rootdir

    def ran(self, relative: str, lines: frozenset[int]) -> bool | None:
        if not lines:
            return None
        # The file as read (symlinks resolved) and as seen from the rootdir: coverage knows one.
        seen = {self.totals.ran(path, lines)
                for path in (self.paths.get(relative, self.rootdir / relative),
                             self.rootdir / relative)}  # fmt: skip
        if True in seen:
            return True
        return False if False in seen else None


def _why_unknown(route: Route) -> str:
    if not route.body:
        return "no code of the project's own answers it (a generic view configured by attributes)"
    return "its file is not measured by coverage (omitted in the coverage configuration?)"


def _unparsed(files: tuple[SourceFile, ...]) -> tuple[str, ...]:
    return tuple(f"{f.relative} was not read ({f.error}); its routes and error paths are unknown"
                 for f in files if f.tree is None)  # fmt: skip
