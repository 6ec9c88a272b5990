"""Measure line coverage with coverage.py's public API, merge workers' data, and total it up."""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import coverage
from coverage import CoverageData
from coverage.exceptions import CoverageException

from .layout import COVERAGE_OMIT
from .model import CheckCouldNotRun

QUIET = ("module-not-imported", "no-data-collected", "module-not-measured")


@dataclass(frozen=True)
class CoverageTotals:
    """Line coverage of the measured source, exactly as coverage.py counted it."""

    covered_lines: int
    num_statements: int
    files: tuple[tuple[str, int, int], ...]  # (path, covered, statements), worst first
    origin: str  # who measured: "pytest-agentgates", "pytest-cov / coverage run"
    executed: Mapping[str, frozenset[int]] = field(default_factory=dict)  # abspath -> lines run

    def ran(self, path: str | Path, lines: Iterable[int]) -> bool:
        """Whether any of ``lines`` of the file at ``path`` executed during the session."""
        return not self.executed.get(os.path.abspath(path), frozenset()).isdisjoint(lines)

    @property
    def percent(self) -> float:
        if self.num_statements == 0:
            return 100.0
        return 100.0 * self.covered_lines / self.num_statements


def new_measurement(rootdir: Path, source: list[Path]) -> coverage.Coverage | None:
    """A Coverage object for the project's source, honouring its own [tool.coverage] settings.

    Packages are given as folders, top-level modules by name (coverage.py takes a file path in
    ``source`` for a module name). The data stays in memory: the plugin never writes or erases the
    project's ``.coverage``. None when there is nothing to measure.
    """
    probe = coverage.Coverage(data_file=None, config_file=_config_file(rootdir))
    configured = probe.get_option("run:source") or probe.get_option("run:source_pkgs")
    if not configured and not source:
        return None
    omit = list(probe.get_option("run:omit") or []) + list(COVERAGE_OMIT)
    names = [str(path) if path.is_dir() else path.stem for path in source]
    cov = coverage.Coverage(
        data_file=None,
        config_file=_config_file(rootdir),
        source=None if configured else names,
        omit=omit,
    )
    # What these warnings say, the coverage gate reports itself, with its verdict.
    cov.set_option(
        "run:disable_warnings", [*(cov.get_option("run:disable_warnings") or []), *QUIET]
    )
    return cov


def running() -> coverage.Coverage | None:
    """The Coverage that pytest-cov or ``coverage run`` started in this process, if any."""
    return coverage.Coverage.current()


def saved(data_file: Path, config_file: str | bool, source: list[str] | None) -> coverage.Coverage:
    """The data another tool (pytest-cov) combined and saved in ``data_file``, ready to report."""
    cov = coverage.Coverage(data_file=str(data_file), config_file=config_file, source=source)
    cov.load()
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
    """Total line coverage of the project's source, read from ``cov``'s JSON report.

    Top-level modules of ``source`` that never ran are counted as fully missed (coverage.py
    cannot find an unimported module by name). With ``restrict`` (a measurement someone else
    configured to measure everything), only ``source`` is counted, test files omitted.
    """
    include = (
        [f"{path}/**" if path.is_dir() else str(path) for path in source] if restrict else None
    )
    with tempfile.TemporaryDirectory(prefix="agentgates-") as scratch:
        report_path = Path(scratch) / "coverage.json"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. "No data was collected": the numbers say it
                cov.json_report(outfile=str(report_path), include=include,
                                omit=list(COVERAGE_OMIT) if restrict else None)  # fmt: skip
        except CoverageException as error:
            if "No data to report" not in str(error):
                raise CheckCouldNotRun(f"coverage.py could not report: {error}") from error
            report = {"files": {}}
        else:
            report = json.loads(report_path.read_text(encoding="utf-8"))
    rows = {
        os.path.abspath(name): (
            name,
            entry["summary"]["covered_lines"],
            entry["summary"]["num_statements"],
        )
        for name, entry in report["files"].items()
    }
    for module in (path for path in source if path.is_file() and str(path) not in rows):
        _, statements, _, _, _ = cov.analysis2(str(module))
        rows[str(module)] = (os.path.relpath(module), 0, len(statements))
    files = sorted(rows.values(), key=lambda row: (row[1] / row[2] if row[2] else 1.0, row[0]))
    covered = sum(row[1] for row in files)
    statements = sum(row[2] for row in files)
    if statements == 0:
        raise CheckCouldNotRun("coverage.py measured no statement of the project's source")
    data = cov.get_data()
    executed = {
        os.path.abspath(name): frozenset(data.lines(name) or ()) for name in data.measured_files()
    }
    return CoverageTotals(covered, statements, tuple(files), origin, executed)


def _config_file(rootdir: Path) -> str | bool:
    """The project's coverage configuration, found from rootdir rather than the current directory."""
    rcfile, pyproject = rootdir / ".coveragerc", rootdir / "pyproject.toml"
    if rcfile.is_file():
        return str(rcfile)
    if pyproject.is_file() and "[tool.coverage" in pyproject.read_text(encoding="utf-8"):
        return str(pyproject)
    return True  # coverage.py's own search: COVERAGE_RCFILE, setup.cfg, tox.ini
