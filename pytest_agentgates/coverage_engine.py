"""Measure line coverage with coverage.py's public API, merge workers' data, and total it up."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import coverage
from coverage import CoverageData
from coverage.exceptions import CoverageException

from .layout import COVERAGE_OMIT
from .model import CheckCouldNotRun


@dataclass(frozen=True)
class CoverageTotals:
    """Line coverage of the measured source, exactly as coverage.py counted it."""

    covered_lines: int
    num_statements: int
    files: tuple[tuple[str, int, int], ...]  # (path, covered, statements), worst first
    origin: str  # who measured: "pytest-agentgates", "pytest-cov / coverage run"

    @property
    def percent(self) -> float:
        if self.num_statements == 0:
            return 100.0
        return 100.0 * self.covered_lines / self.num_statements


def new_measurement(rootdir: Path, source: list[Path]) -> coverage.Coverage:
    """A Coverage object for the project's source, honouring its own [tool.coverage] settings.

    The data stays in memory: the plugin never writes or erases the project's ``.coverage``.
    """
    probe = coverage.Coverage(data_file=None, config_file=_config_file(rootdir))
    configured = probe.get_option("run:source") or probe.get_option("run:source_pkgs")
    omit = list(probe.get_option("run:omit") or []) + list(COVERAGE_OMIT)
    return coverage.Coverage(
        data_file=None,
        config_file=_config_file(rootdir),
        source=None if configured else [str(path) for path in source],
        omit=omit,
    )


def running() -> coverage.Coverage | None:
    """The Coverage that pytest-cov or ``coverage run`` started in this process, if any."""
    return coverage.Coverage.current()


def saved(data_file: Path, config_file: str | bool, source: list[str] | None) -> coverage.Coverage:
    """The data another tool (pytest-cov) combined and saved in ``data_file``, ready to report."""
    if not data_file.is_file():
        raise CheckCouldNotRun(f"no coverage data file at {data_file}")
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


def totals(cov: coverage.Coverage, origin: str) -> CoverageTotals:
    """Total line coverage of what ``cov`` measured, read from its JSON report."""
    with tempfile.TemporaryDirectory(prefix="agentgates-") as scratch:
        report_path = Path(scratch) / "coverage.json"
        try:
            cov.json_report(outfile=str(report_path))
        except CoverageException as error:
            raise CheckCouldNotRun(f"coverage.py could not report: {error}") from error
        report = json.loads(report_path.read_text(encoding="utf-8"))
    files = sorted(
        (
            (name, entry["summary"]["covered_lines"], entry["summary"]["num_statements"])
            for name, entry in report["files"].items()
        ),
        key=lambda row: (row[1] / row[2] if row[2] else 1.0, row[0]),
    )
    summary = report["totals"]
    return CoverageTotals(summary["covered_lines"], summary["num_statements"], tuple(files), origin)


def _config_file(rootdir: Path) -> str | bool:
    """The project's coverage configuration, found from rootdir rather than the current directory."""
    rcfile, pyproject = rootdir / ".coveragerc", rootdir / "pyproject.toml"
    if rcfile.is_file():
        return str(rcfile)
    if pyproject.is_file() and "[tool.coverage" in pyproject.read_text(encoding="utf-8"):
        return str(pyproject)
    return True  # coverage.py's own search: COVERAGE_RCFILE, setup.cfg, tox.ini
