"""The plugin object of an enabled session: collects gates, records test outcomes, runs the gates."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from ..checks import attestations
from ..checks.verdict import Verdict, evaluate
from ..definitions import checklist_lint, explain
from ..definitions.catalog import Catalog, CatalogError
from ..definitions.mapping import build_gates, read_items
from ..model import PHASES, AgentDefinition, Check, Gate
from ..project.cache import Store
from ..project.context import CheckContext, TestRecord
from ..project.coverage_engine import COVERAGE_CHECKS
from ..project.layout import find_source
from ..reports import report_json
from . import benchmark_evidence, terminal
from .early import CATALOG_KEY, definition, is_static
from .nodes import STATE_KEY, AgentFile, AgentGatesWarning, GateItem, GateProblem
from .outputs import Outputs
from .session_coverage import WORKER_COVERAGE, SessionCoverage
from .settings import Settings

WORKER_BENCHMARKS = "agentgates_benchmarks"


class AgentGatesSession:
    """Registered only when ``--agent-gates`` is on; everything it learns lives here, not in globals."""

    def __init__(self, config: pytest.Config, settings: Settings, measurement) -> None:
        self.config = config
        self.settings = settings
        self.role = "worker" if hasattr(config, "workerinput") else "main"
        self.source = find_source(settings.rootdir, list(settings.source))
        self.coverage = SessionCoverage(
            config, settings, self.source, measurement, self._distributed
        )
        self.tests = TestRecord()
        self.evidence: dict[str, object] = {}  # session facts for checks besides outcomes
        self.benchmarks: list[dict] = []  # what pytest-benchmark timed, test by test
        self.agents: dict[Path, tuple[AgentDefinition, list[Gate]]] = {}
        self.left_out: list[Gate] = []  # gates --agent-gates-static does not run
        self.verdicts: dict[str, Verdict] = {}
        self.gate_ids: set[str] = set()
        self.nodeids: dict[tuple[str, str, str], str] = {}
        self.controller_items: list[GateItem] = []
        self.ledger: attestations.Ledger | None = None  # agent-gates.yaml entries, by gate id
        self.definition_folders = {
            folder for path in settings.definitions for folder in path.parents
            if folder == settings.rootdir or settings.rootdir in folder.parents
        }  # fmt: skip
        self.checks = self._register_checks()
        self.catalog = self._load_catalog()
        self._context: CheckContext | None = None
        config.stash[STATE_KEY] = self
        if self.role == "main":  # the report, SARIF and GitHub outputs
            outputs = Outputs(config, settings, self.checks, self.evidence, self._report_rows,
                              self._check_context)  # fmt: skip
            config.pluginmanager.register(outputs, "agentgates-outputs")

    # --- set-up ----------------------------------------------------------------------------
    def _register_checks(self) -> dict[str, Check]:
        registered: dict[str, Check] = {}
        for checks in reversed(
            self.config.hook.pytest_agentgates_register_checks(config=self.config)
        ):
            registered.update({check.id: check for check in checks or ()})
        return registered

    def _load_catalog(self) -> Catalog:
        extra = [
            p
            for paths in self.config.hook.pytest_agentgates_catalogs(config=self.config)
            for p in paths
        ]
        paths = (*self.settings.catalogs, *extra)
        early = self.config.stash.get(CATALOG_KEY, None)
        if early is not None and early[0] == paths:
            return early[1]  # read before conftest.py files loaded, and none of them added one
        try:
            return Catalog.load(paths)
        except CatalogError as error:
            raise pytest.UsageError(f"agent gates catalog: {error}") from error

    def read(self, path: Path) -> tuple[AgentDefinition, list[Gate]]:
        """The agent defined in ``path`` and its selected gates, read once per session."""
        if path not in self.agents:
            agent = definition(self.config, path)
            if self.settings.agents and agent.name not in self.settings.agents:
                gates = []
            else:
                gates = build_gates(agent, self._match, self.checks)
                if self.settings.phases:
                    gates = [gate for gate in gates if gate.phase in self.settings.phases]
                if self.settings.static:
                    self.left_out += [gate for gate in gates if not is_static(gate, self.checks)]
                    gates = [gate for gate in gates if is_static(gate, self.checks)]
            self.agents[path] = (agent, gates)
        return self.agents[path]

    def _match(self, item):
        return self.config.hook.pytest_agentgates_match(
            item=item, catalog=self.catalog, config=self.config
        )

    # --- collection ------------------------------------------------------------------------
    def _distributed(self) -> bool:
        return self.role == "main" and self.config.pluginmanager.hasplugin("dsession")

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if self.settings.static:
            self.config.args.clear()  # --agent-gates-static: no test runs, on a worker neither
        if self._distributed():
            self.coverage.discard()  # the workers measure; the controller runs no tests
        elif self.role == "main":
            # Collected whatever paths the user passed, hidden folders included.
            self.config.args.extend(str(path) for path in self.settings.definitions)

    @pytest.hookimpl(tryfirst=True)
    def pytest_ignore_collect(self, collection_path: Path):
        """Walk into the (often hidden) folders that hold definitions, norecursedirs or not."""
        if self.role == "main" and _normal(collection_path) in self.definition_folders:
            return False
        return None

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector):
        # On an xdist worker a definition named on the command line yields no items: its gates
        # run on the controller.
        if _normal(file_path) in self.settings.definitions:
            return AgentFile.from_parent(parent, path=file_path)
        return None

    @pytest.hookimpl(wrapper=True)
    def pytest_collection(self, session: pytest.Session):
        result = yield
        if self._distributed():
            # xdist's controller collects nothing itself; the gates are built and run here, after
            # the workers finish, so that session-wide evidence (coverage, outcomes) is complete.
            items = self._collect_on_controller(session)
            self.config.hook.pytest_collection_modifyitems(
                session=session, config=self.config, items=items
            )
            self.controller_items = items
        return result

    def _collect_on_controller(self, session: pytest.Session) -> list[GateItem]:
        """Collect the definitions through pytest's own collection hooks, errors reported as such."""
        items: list[GateItem] = []
        pending: list[pytest.Collector] = [
            AgentFile.from_parent(session, path=path) for path in self.settings.definitions
        ]
        while pending:
            node = pending.pop(0)
            report = node.ihook.pytest_make_collect_report(collector=node)
            if report.failed:
                self.config.hook.pytest_collectreport(report=report)
                continue
            for child in report.result:
                (items if isinstance(child, GateItem) else pending).append(child)
        return items

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]):
        """Gates run after every test, whatever order other plugins (and conftests) chose."""
        yield
        gates = [item for item in items if isinstance(item, GateItem)]
        items[:] = [item for item in items if not isinstance(item, GateItem)] + gates
        self.gate_ids = {item.nodeid for item in gates}
        self.nodeids.update(
            {(item.gate.path, item.gate.phase, item.gate.slug): item.nodeid for item in gates}
        )
        if self.role == "main":
            self._warn_unmatched_reviews()

    # --- the run ---------------------------------------------------------------------------
    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and not _is_definition(report.nodeid, self.settings):
            self.tests.collection_errors += 1
            self.tests.problems.append((report.nodeid.split("::")[0], 1, "ERROR", report.nodeid))

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.nodeid in self.gate_ids:
            return
        tests, path, line = self.tests, report.location[0], (report.location[1] or 0) + 1
        if report.when == "call":
            if hasattr(report, "wasxfail"):
                tests.xfailed += report.skipped
                tests.xpassed += report.passed
            elif report.failed:
                tests.failed += 1
                tests.problems.append((path, line, "FAILED", report.nodeid))
            else:
                tests.passed += report.passed
                tests.skipped += report.skipped
        elif report.failed:
            tests.errors += 1
            tests.problems.append((path, line, "ERROR", report.nodeid))
        elif report.skipped and not hasattr(report, "wasxfail"):
            tests.skipped += 1

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session):
        """Outermost, so that pytest-cov has combined and saved its data when the gates run."""
        result = yield
        items = self.controller_items
        session.testscollected += len(items)  # xdist counted the workers' items only
        for index, item in enumerate(items):
            if session.shouldfail or session.shouldstop:
                break
            following = items[index + 1] if index + 1 < len(items) else None
            item.ihook.pytest_runtest_protocol(item=item, nextitem=following)
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call):
        report = yield
        if not isinstance(item, GateItem):
            found = benchmark_evidence.record(item, report, self.role == "worker")
            if found is not None:
                self.benchmarks.append(found)
        if (
            isinstance(item, GateItem)
            and call.excinfo is not None
            and isinstance(call.excinfo.value, GateProblem)
        ):
            report.longrepr = str(call.excinfo.value)  # setup errors too: plain text, no traceback
        if isinstance(item, GateItem) and report.skipped and isinstance(report.longrepr, tuple):
            # Point the skip at the promise in the agent definition, not at this plugin's code.
            report.longrepr = (str(item.path), item.gate.item.line, report.longrepr[2])
        return report

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        payload = getattr(node, "workeroutput", {}).get(WORKER_COVERAGE)
        if payload is not None:
            self.coverage.add_worker(payload)
        self.benchmarks.extend(getattr(node, "workeroutput", {}).get(WORKER_BENCHMARKS, ()))

    def verdict(self, item: GateItem) -> Verdict:
        if item.nodeid not in self.verdicts:
            verdict = evaluate(item.gate, self.checks, self._check_context())
            self.verdicts[item.nodeid] = attestations.apply(
                self._ledger(), item.gate, verdict, strict=self.settings.strict
            )
        return self.verdicts[item.nodeid]

    # --- attestations and waivers (agent-gates.yaml) ----------------------------------------
    def _ledger(self) -> attestations.Ledger:
        if self.ledger is None:
            selected = {
                (_relative(path, self.settings.rootdir), phase)
                for path, (agent, _) in self.agents.items()
                if not self.settings.agents or agent.name in self.settings.agents
                for phase in self.settings.phases or PHASES
            }  # fmt: skip
            self.ledger = attestations.bind(
                self.settings.reviews,
                [gate for _, gates in self.agents.values() for gate in gates] + self.left_out,
                selected,
                lambda path: (self.settings.rootdir / path).is_file(),
            )
        return self.ledger

    def _warn_unmatched_reviews(self) -> None:
        for problem in self._ledger().problems:
            message = AgentGatesWarning(problem.message)
            try:
                warnings.warn_explicit(message, AgentGatesWarning, problem.path, problem.line)
            except AgentGatesWarning as error:  # filterwarnings = error: no INTERNALERROR, please
                raise pytest.UsageError(
                    f"agent gates configuration: {problem.path}:{problem.line}: {problem.message}"
                ) from error

    def _check_context(self) -> CheckContext:
        if self._context is None:
            if benchmark_evidence.active(self.config):
                self.evidence["benchmarks"] = self.benchmarks
            self._context = CheckContext(
                self.settings.rootdir,
                self.source,
                self.tests,
                self.coverage.totals,
                options=self.settings.check_options,
                config=self.settings.project,
                evidence=self.evidence,
                cache=self._cache(),
            )
            reads_coverage = any(
                set(gate.checks) & COVERAGE_CHECKS
                for _, gates in self.agents.values()
                for gate in gates
            )
            self.coverage.snapshot(self._context.coverage if reads_coverage else None)
        return self._context

    def _cache(self) -> Store:
        """pytest's cache directory (``--cache-clear`` empties it); written by the controller only."""
        cache = getattr(self.config, "cache", None)  # absent under -p no:cacheprovider
        if cache is None or self.role == "worker":
            return Store()
        return Store(cache.mkdir("agent-gates"))

    # --- the end ---------------------------------------------------------------------------
    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.role == "worker":
            self.config.workeroutput[WORKER_BENCHMARKS] = self.benchmarks
            payload = self.coverage.worker_output()
            if payload is not None:
                self.config.workeroutput[WORKER_COVERAGE] = payload
            return
        self.coverage.discard()
        if self.settings.json_path is not None:
            report_json.write(self.settings.json_path, self._report_rows())

    def pytest_terminal_summary(self, terminalreporter) -> None:
        if self.role == "main":
            terminal.summarise(terminalreporter, self._report_rows(), len(self.left_out))
            if self.settings.lint:
                terminal.lint(terminalreporter, self._lint_rows())
            if self.settings.explain:
                terminal.explain(terminalreporter, self._explain_rows())

    def _explain_rows(self) -> list[tuple[AgentDefinition, list[explain.Entry]]]:
        """Each selected agent's candidate lines, read again with this run's matcher."""
        return [
            (agent, explain.entries(agent, read_items(agent, self._match, self.checks)))
            for agent, _ in self.agents.values()
            if not self.settings.agents or agent.name in self.settings.agents
        ]

    def _lint_rows(self) -> list[tuple[AgentDefinition, list[checklist_lint.Vague]]]:
        """Each selected agent's vaguely worded manual promises, rewrites matched as now."""
        return [
            (agent, checklist_lint.lint(gates, self._match))
            for agent, gates in self.agents.values()
            if not self.settings.agents or agent.name in self.settings.agents
        ]

    def _report_rows(self) -> list[tuple[AgentDefinition, list[tuple[str, Gate, Verdict | None]]]]:
        rows = []
        for path, (agent, gates) in self.agents.items():
            file_id = _relative(path, self.settings.rootdir)
            entries = []
            for gate in gates:
                nodeid = self.nodeids.get(
                    (gate.path, gate.phase, gate.slug), f"{file_id}::{gate.phase}::{gate.slug}"
                )
                entries.append((nodeid, gate, self.verdicts.get(nodeid)))
            rows.append((agent, entries))
        return rows


def _normal(path: Path) -> Path:
    """Absolute and normalised, symlinks kept: node ids follow the path the user sees."""
    return Path(os.path.normpath(path.absolute()))


def _relative(path: Path, rootdir: Path) -> str:
    try:
        return path.relative_to(rootdir).as_posix()
    except ValueError:
        return path.as_posix()


def _is_definition(nodeid: str, settings: Settings) -> bool:
    return _normal(settings.rootdir / nodeid.split("::")[0]) in settings.definitions
