"""Measure coverage with coverage.py's public API, merge workers' data, read data files, total it up."""

from __future__ import annotations

import json
import os
import platform
import re
import sys
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import coverage
from coverage import CoverageData
from coverage.exceptions import CoverageException

from ..model import CheckCouldNotRun
from .layout import COVERAGE_OMIT, NOT_SOURCE, is_source_module

QUIET = ("module-not-imported", "no-data-collected", "module-not-measured")
# The checks that read the session's coverage: measuring is only worth its cost for them.
COVERAGE_CHECKS = frozenset(
    {"coverage", "branch-coverage", "diff-coverage", "api-tests", "error-path-tests"}
)
BRANCH_CHECKS = frozenset({"branch-coverage"})


@dataclass(frozen=True)
class FileCoverage:
    """One measured file, as coverage.py's report counts it (exclusions applied)."""

    path: str  # absolute
    statements: frozenset[int]
    missing: frozenset[int]
    branches: int = 0
    covered_branches: int = 0
    missing_branches: tuple[tuple[int, int], ...] = ()  # (from line, to line; negative: exit)

    @property
    def covered(self) -> int:
        return len(self.statements) - len(self.missing)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / len(self.statements) if self.statements else 100.0

    @property
    def branch_percent(self) -> float:
        return 100.0 * self.covered_branches / self.branches if self.branches else 100.0


@dataclass(frozen=True)
class CoverageTotals:
    """Coverage of the measured source, exactly as coverage.py counted it."""

    covered_lines: int
    num_statements: int
    files: tuple[FileCoverage, ...]  # worst line coverage first
    origin: str  # who measured: "pytest-agentgates", "pytest-cov / coverage run", a data file
    # Every measured file (abspath) -> the lines that ran in it; a file absent was not measured.
    executed: Mapping[str, frozenset[int]] = field(default_factory=dict)
    branches: int | None = None  # None: the data has no branch measurement
    covered_branches: int = 0
    fail_under: float = 0.0  # the project's own coverage.py fail_under; 0 when not set

    def ran(self, path: str | Path, lines: Iterable[int]) -> bool | None:
        """Whether any of ``lines`` of the file at ``path`` executed during the session; None
        when coverage did not measure that file."""
        executed = self.executed.get(os.path.abspath(path))
        return None if executed is None else not executed.isdisjoint(lines)

    @property
    def percent(self) -> float:
        if self.num_statements == 0:
            return 100.0
        return 100.0 * self.covered_lines / self.num_statements

    @property
    def branch_percent(self) -> float:
        if not self.branches:
            return 100.0
        return 100.0 * self.covered_branches / self.branches


def new_measurement(
    rootdir: Path, source: list[Path], branch: bool = False
) -> coverage.Coverage | None:
    """A Coverage object for the project's source, honouring its own [tool.coverage] settings.

    Packages are given as folders, top-level modules by name (coverage.py takes a file path in
    ``source`` for a module name). The data stays in memory: the plugin never writes or erases the
    project's ``.coverage``. Branches are measured when asked for or when the project's settings
    say ``branch = true``. None when there is nothing to measure.
    """
    config_file = config_file_of(rootdir)
    probe = coverage.Coverage(data_file=None, config_file=config_file)
    configured = probe.get_option("run:source") or probe.get_option("run:source_pkgs")
    if not configured and not source:
        return None
    omit = list(probe.get_option("run:omit") or []) + list(COVERAGE_OMIT)
    names = [str(path) if path.is_dir() else path.stem for path in source]
    cov = coverage.Coverage(
        data_file=None,
        config_file=config_file,
        source=None if configured else names,
        omit=omit,
        branch=True if branch else None,
    )
    # What these warnings say, the coverage gate reports itself, with its verdict.
    cov.set_option(
        "run:disable_warnings", [*(cov.get_option("run:disable_warnings") or []), *QUIET]
    )
    core = cheapest_core(cov)
    if core is not None:
        cov.set_option("run:core", core)
    return cov


def cheapest_core(
    cov: coverage.Coverage, version: tuple[int, ...] = tuple(sys.version_info[:2])
) -> str | None:
    """The fastest core able to measure what ``cov`` is set to: ``sysmon`` (sys.monitoring, Python
    3.12+) for lines, and for branches from 3.14; ``ctrace`` otherwise. None leaves the choice
    to coverage.py: it has no ``core`` setting, or the project (or COVERAGE_CORE) made its own.
    """
    try:
        chosen = cov.get_option("run:core")
    except CoverageException:
        return None  # a coverage.py older than its core setting
    if chosen or os.environ.get("COVERAGE_CORE"):
        return None
    sysmon_can = (
        platform.python_implementation() == "CPython"
        and version >= (3, 12)
        and (version >= (3, 14) or not cov.get_option("run:branch"))
        and not cov.get_option("run:dynamic_context")
        and not cov.get_option("run:plugins")  # file tracers need the C tracer
        and not cov.get_option("run:timid")
        and not set(cov.get_option("run:concurrency") or ()) & {"greenlet", "eventlet", "gevent"}
    )
    return "sysmon" if sysmon_can else "ctrace"


def running() -> coverage.Coverage | None:
    """The Coverage that pytest-cov or ``coverage run`` started in this process, if any."""
    return coverage.Coverage.current()


def configures_source(cov: coverage.Coverage) -> bool:
    """Whether ``cov`` was told what to measure (else it measured everything it saw)."""
    return bool(cov.get_option("run:source") or cov.get_option("run:source_pkgs"))


def saved(data_file: Path, config_file: str | bool, source: list[str] | None) -> coverage.Coverage:
    """The data another tool (pytest-cov) combined and saved in ``data_file``, ready to report."""
    cov = coverage.Coverage(data_file=str(data_file), config_file=config_file, source=source)
    cov.load()
    return cov


def from_data_file(data_file: Path, rootdir: Path) -> coverage.Coverage:
    """A data file measured in an earlier step, read under the project's settings, checked first.

    Refused (CheckCouldNotRun) when it is missing, not coverage data, empty, or older than a
    file it measured: line numbers of changed code would no longer match.
    """
    if not data_file.is_file():
        parallel = sorted(data_file.parent.glob(data_file.name + ".*"))
        hint = (
            f"; {len(parallel)} parallel data files beside it: run `coverage combine`"
            if parallel
            else ""
        )
        raise CheckCouldNotRun(f"coverage data file {data_file} does not exist{hint}")
    cov = coverage.Coverage(data_file=str(data_file), config_file=config_file_of(rootdir))
    try:
        cov.load()
        measured = cov.get_data().measured_files()
    except CoverageException as error:
        raise CheckCouldNotRun(f"{data_file} is not readable coverage data: {error}") from error
    if not measured:
        raise CheckCouldNotRun(f"coverage data file {data_file} holds no measurement")
    written = data_file.stat().st_mtime
    for path in sorted(measured):
        if not os.path.exists(path):
            raise CheckCouldNotRun(
                f"coverage data file {data_file} is stale: it measured {path}, which no longer "
                "exists; measure again"
            )
        if os.path.getmtime(path) > written:
            raise CheckCouldNotRun(
                f"coverage data file {data_file} is stale: {path} changed after it was written; "
                "measure again"
            )
    return cov


def data_file_of(config_file: str | bool, directory: Path) -> Path:
    """Where coverage.py, configured by ``config_file``, saves its data when run in ``directory``."""
    configured = coverage.Coverage(config_file=config_file).get_option("run:data_file")
    return directory / str(configured)


def serialise(cov: coverage.Coverage) -> bytes:
    return cov.get_data().dumps()


def merge(cov: coverage.Coverage, payloads: list[bytes]) -> None:
    """Add the data measured by xdist workers to ``cov``."""
    data = cov.get_data()
    for payload in payloads:
        worker = CoverageData(no_disk=True)
        worker.loads(payload)
        data.update(worker)


def totals(
    cov: coverage.Coverage, origin: str, source: list[Path], restrict: bool = False
) -> CoverageTotals:
    """Line and branch coverage of the project's source, read from ``cov``'s JSON report.

    Modules of ``source`` that never ran are counted as fully missed when the measurement could
    not know them: top-level modules (coverage.py cannot find an unimported module by name) and,
    with ``restrict`` (a measurement someone else configured to measure everything), every
    module of ``source``; only ``source`` is counted then, test files omitted.
    """
    include = (
        [f"{path}/**" if path.is_dir() else str(path) for path in source] if restrict else None
    )
    report = _json_report(cov, include, list(COVERAGE_OMIT) if restrict else None)
    data = cov.get_data()
    paths = _absolute_paths(report["files"], data.measured_files())
    rows = {
        paths[name]: _file_coverage(paths[name], entry) for name, entry in report["files"].items()
    }
    executed = {path: frozenset(data.lines(path) or ()) for path in data.measured_files()}
    omit = [*(cov.get_option("run:omit") or []), *(cov.get_option("report:omit") or [])]
    for module in _unreported(source, rows, restrict, omit):
        try:
            _, statements, _, _, _ = cov.analysis2(module)
        except CoverageException as error:
            raise CheckCouldNotRun(f"coverage.py could not analyse {module}: {error}") from error
        rows[module] = FileCoverage(module, frozenset(statements), frozenset(statements))
        executed.setdefault(os.path.abspath(module), frozenset())  # measured: none of it ran
    files = sorted(rows.values(), key=lambda row: (row.percent, row.path))
    statements = sum(len(row.statements) for row in files)
    if statements == 0:
        raise CheckCouldNotRun("coverage.py measured no statement of the project's source")
    # No data at all gives no report metadata: then the configuration says whether branches were on.
    meta = report.get("meta")
    has_branches = bool(meta["branch_coverage"] if meta else cov.get_option("run:branch"))
    return CoverageTotals(
        covered_lines=sum(row.covered for row in files),
        num_statements=statements,
        files=tuple(files),
        origin=origin,
        executed=executed,
        branches=sum(row.branches for row in files) if has_branches else None,
        covered_branches=sum(row.covered_branches for row in files),
        fail_under=float(cov.get_option("report:fail_under") or 0.0),
    )


def _json_report(cov: coverage.Coverage, include: list[str] | None, omit: list[str] | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="agentgates-") as scratch:
        report_path = Path(scratch) / "coverage.json"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. "No data was collected": the numbers say it
                cov.json_report(outfile=str(report_path), include=include, omit=omit)
        except CoverageException as error:
            if "No data to report" not in str(error):
                raise CheckCouldNotRun(f"coverage.py could not report: {error}") from error
            return {"files": {}}
        return json.loads(report_path.read_text(encoding="utf-8"))


def _absolute_paths(names: Iterable[str], measured: Iterable[str]) -> dict[str, str]:
    """The measured absolute path behind each name of the report (relative to where coverage.py
    started, which a test that changes directory may no longer be in)."""
    by_basename: dict[str, list[str]] = {}
    for path in measured:
        by_basename.setdefault(os.path.basename(path), []).append(path)
    found = {}
    for name in names:
        suffix = os.sep + os.path.normpath(name)
        candidates = [
            path
            for path in by_basename.get(os.path.basename(name), [])
            if path == name or path.endswith(suffix)
        ]
        found[name] = candidates[0] if len(candidates) == 1 else os.path.abspath(name)
    return found


def _file_coverage(path: str, entry: dict) -> FileCoverage:
    executed, missing = frozenset(entry["executed_lines"]), frozenset(entry["missing_lines"])
    summary = entry["summary"]
    return FileCoverage(
        path,
        executed | missing,
        missing,
        summary.get("num_branches", 0),
        summary.get("covered_branches", 0),
        tuple((start, end) for start, end in entry.get("missing_branches", ())),
    )


def _unreported(
    source: list[Path], reported: Mapping[str, FileCoverage], everywhere: bool, omit: list[str]
) -> list[str]:
    """Modules of ``source`` missing from the report that the measurement could not have known."""
    found = []
    for root in source:
        if root.is_file():
            candidates: Iterable[Path] = [root]
        elif everywhere and root.is_dir():
            candidates = (p for p in sorted(root.rglob("*.py")) if _is_module(root, p))
        else:
            continue
        found.extend(str(path) for path in candidates
                     if str(path) not in reported and not _omitted(str(path), omit))  # fmt: skip
    return found


def _omitted(path: str, omit: list[str]) -> bool:
    """coverage.py's omit globs, near enough: ``*`` stays within a folder, ``**`` crosses them,
    a pattern without a slash matches a file name, a relative one matches the end of the path."""
    name = path.replace(os.sep, "/")
    for rule in omit:
        rule = rule.replace(os.sep, "/")
        target = name.rsplit("/", 1)[-1] if "/" not in rule else name
        pattern = re.sub(
            r"\*\*/|\*\*|\*|\?|[^*?]+",
            lambda m: {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}.get(
                m.group(0), re.escape(m.group(0))
            ),
            rule,
        )
        prefix = "" if rule.startswith(("/", "*")) or "/" not in rule else "(?:.*/)?"
        if re.fullmatch(prefix + pattern, target):
            return True
    return False


def _is_module(root: Path, path: Path) -> bool:
    folders = path.relative_to(root).parts[:-1]
    return is_source_module(path.name) and not any(
        part in NOT_SOURCE or part.startswith(".") for part in folders
    )


def config_file_of(rootdir: Path) -> str | bool:
    """The project's coverage configuration, found from rootdir rather than the current directory."""
    rcfile, pyproject = rootdir / ".coveragerc", rootdir / "pyproject.toml"
    if rcfile.is_file():
        return str(rcfile)
    if pyproject.is_file() and "[tool.coverage" in pyproject.read_text(encoding="utf-8"):
        return str(pyproject)
    return True  # coverage.py's own search: COVERAGE_RCFILE, setup.cfg, tox.ini


def describe_config(rootdir: Path) -> str:
    """Where the project's coverage.py settings live, for messages."""
    found = config_file_of(rootdir)
    if found is True:
        return "coverage.py's configuration"
    name = os.path.basename(found)
    return "[tool.coverage.report] in pyproject.toml" if name == "pyproject.toml" else name
