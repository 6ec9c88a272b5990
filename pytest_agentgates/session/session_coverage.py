"""Where a session's coverage comes from: our own measurement, xdist workers, pytest-cov,
``coverage run``, or a data file named by the user; and one snapshot of it before any gate runs."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import coverage
import pytest

from ..model import CheckCouldNotRun
from ..project import coverage_engine, layout
from . import early, options
from .settings import Settings

WORKER_COVERAGE = "agentgates_coverage"
OWN_MEASUREMENT = "pytest-agentgates"
MEASUREMENT_KEY = pytest.StashKey[object]()  # the plugin's own measurement, when it measures
NOT_MEASURED_KEY = pytest.StashKey[str]()  # why the plugin chose not to measure, when it did not
NO_WORKER_COVERAGE = "no coverage data came back from the xdist workers"
NO_SOURCE = "no project source found under the rootdir (set agent_gates_source)"
NOT_PROMISED = (
    "no promise read before the conftest.py files loaded needed coverage, so it was not "
    "measured (is this promise mapped by a matcher or catalog in a conftest.py?); measure with "
    "pytest-cov (--cov) or name a data file with --agent-gates-coverage-file"
)


def start_early(early_config: pytest.Config) -> None:
    """Start measuring before conftest files import the project, as pytest-cov does.

    Only when a promised check reads coverage, nobody else measures, and no data file is named;
    branches too when a promise needs them.
    """
    # Read first, before any tracer runs: the session reuses the catalog loaded here.
    promised = early.promised_checks(early_config)
    if getattr(early_config.known_args_namespace, "cov_source", None) or coverage_engine.running():
        return  # pytest-cov or `coverage run` measures; the coverage gates reuse that measurement
    if options.resolve(early_config, "agent_gates_coverage_file")[0]:
        return  # the coverage gates read the data file named
    if promised is not None and not promised & coverage_engine.COVERAGE_CHECKS:
        early_config.stash[NOT_MEASURED_KEY] = NOT_PROMISED
        return
    branch = promised is not None and bool(promised & coverage_engine.BRANCH_CHECKS)
    source, _ = options.resolve(early_config, "agent_gates_source")
    rootdir = early_config.rootpath
    measurement = coverage_engine.new_measurement(
        rootdir, layout.find_source(rootdir, source), branch=branch
    )
    if measurement is not None:
        measurement.start()
        early_config.stash[MEASUREMENT_KEY] = measurement


class SessionCoverage:
    """The session's coverage data, whoever measured it; the pytest layer's side of the gates."""

    def __init__(
        self,
        config: pytest.Config,
        settings: Settings,
        source: list[Path],
        measurement: coverage.Coverage | None,
        distributed: Callable[[], bool],
    ) -> None:
        self.config = config
        self.settings = settings
        self.source = source
        self.measurement = measurement  # our own Coverage, started early; None when reusing one
        self.distributed = distributed
        self.started = time.time()
        self.worker_payloads: list[bytes] = []
        self.reused: coverage.Coverage | None = None  # pytest-cov's or `coverage run`'s, once seen

    # --- measurement life cycle ----------------------------------------------------------
    def discard(self) -> None:
        if self.measurement is not None:
            self.measurement.stop()
            self.measurement = None

    def worker_output(self) -> bytes | None:
        """On an xdist worker: this worker's data, for the controller to combine."""
        if self.measurement is None:
            return None
        self.measurement.stop()
        return coverage_engine.serialise(self.measurement)

    def add_worker(self, payload: bytes) -> None:
        self.worker_payloads.append(payload)

    def snapshot(self, compute: Callable[[], object] | None) -> None:
        """The tests are over: stop our measurement and ``compute`` the numbers now, before any
        gate's own work (a migration run importing the project) can add to a measurement that is
        still running; pytest-cov's or `coverage run`'s is paused meanwhile (reporting under a
        tracer is slow) and resumed after, so their own reports stay whole."""
        if self.measurement is not None:
            self.measurement.stop()
        if compute is None:
            return
        reused = None
        if self.measurement is None and not self.distributed():
            reused = self.reused = coverage_engine.running()
        if reused is not None:
            reused.stop()
        try:
            compute()
        except CheckCouldNotRun:
            pass  # remembered by the context: every gate that asks reports it
        finally:
            if reused is not None:
                reused.start()

    # --- the numbers ---------------------------------------------------------------------
    def totals(self) -> coverage_engine.CoverageTotals:
        data_file = self.settings.check_options.get("coverage_file")
        if data_file is not None:
            return self._from_data_file(Path(data_file))
        if self.distributed():
            return self._combined()
        if self.measurement is not None:
            return coverage_engine.totals(self.measurement, OWN_MEASUREMENT, self.source)
        reused = self.reused or coverage_engine.running()
        if reused is None:
            why = self.config.stash.get(NOT_MEASURED_KEY, f"{NO_SOURCE}, or --no-cov")
            raise CheckCouldNotRun(f"coverage was not measured in this session: {why}")
        origin = "the already running coverage (pytest-cov or coverage run)"
        restrict = not coverage_engine.configures_source(reused)
        return coverage_engine.totals(reused, origin, self.source, restrict=restrict)

    def _from_data_file(self, data_file: Path) -> coverage_engine.CoverageTotals:
        cov = coverage_engine.from_data_file(data_file, self.settings.rootdir)
        restrict = not coverage_engine.configures_source(cov)
        origin = f"the coverage data file {data_file}"
        return coverage_engine.totals(cov, origin, self.source, restrict=restrict)

    def _combined(self) -> coverage_engine.CoverageTotals:
        if not self.worker_payloads:
            return self._pytest_cov_saved()
        combined = coverage_engine.new_measurement(self.settings.rootdir, self.source)
        if combined is None:
            raise CheckCouldNotRun(NO_SOURCE)
        coverage_engine.merge(combined, self.worker_payloads)
        origin = f"{OWN_MEASUREMENT}, combined from {len(self.worker_payloads)} xdist workers"
        return coverage_engine.totals(combined, origin, self.source)

    def _pytest_cov_saved(self) -> coverage_engine.CoverageTotals:
        """Under xdist with --cov: the data pytest-cov combined from its workers, saved this session."""
        options = self.config.option
        sources = getattr(options, "cov_source", None)
        if not sources or getattr(options, "no_cov", False):
            why = self.config.stash.get(NOT_MEASURED_KEY, NO_WORKER_COVERAGE)
            raise CheckCouldNotRun(f"coverage was not measured in this session: {why}")
        config_file = getattr(options, "cov_config", ".coveragerc")
        directory = self.config.invocation_params.dir
        config_path = directory / config_file
        config: str | bool = str(config_path) if config_path.is_file() else True
        data_file = coverage_engine.data_file_of(config, directory)
        if not data_file.is_file() or data_file.stat().st_mtime < self.started:
            raise CheckCouldNotRun(
                f"pytest-cov saved no coverage data in this session ({data_file})"
            )
        everything = True in sources
        source = None if everything else [str(directory / s) for s in sources]
        cov = coverage_engine.saved(data_file, config, source)
        origin = "pytest-cov, combined from its xdist workers"
        return coverage_engine.totals(cov, origin, self.source, restrict=everything)
