"""The pytest entry point: options and hooks; does nothing more unless ``--agent-gates`` is on."""

from __future__ import annotations

import pytest

from . import options

MEASUREMENT_KEY = pytest.StashKey[object]()


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_options(parser)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser, args) -> None:
    """Start measuring before conftest files import the project, as pytest-cov does.

    Only when a promised check reads coverage, nobody else measures, and no data file is named;
    branches too when a promise needs them.
    """
    if not options.enabled(early_config):
        return
    from . import coverage_engine, early, layout, session_coverage

    # Read first, before any tracer runs: the session reuses the catalog loaded here.
    promised = early.promised_checks(early_config)
    if getattr(early_config.known_args_namespace, "cov_source", None) or coverage_engine.running():
        return  # pytest-cov or `coverage run` measures; the coverage gates reuse that measurement
    if options.resolve(early_config, "agent_gates_coverage_file")[0]:
        return  # the coverage gates read the data file named
    if promised is not None and not promised & coverage_engine.COVERAGE_CHECKS:
        early_config.stash[session_coverage.NOT_MEASURED_KEY] = session_coverage.NOT_PROMISED
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


def pytest_configure(config: pytest.Config) -> None:
    if not options.enabled(config) or _only_informational(config):
        return
    config.addinivalue_line(
        "markers",
        "agent_gate(checks, phase, agent): a promise from an agent definition (pytest-agentgates)",
    )
    from . import builtin, early, settings
    from .session import AgentGatesSession

    config.pluginmanager.register(builtin, "agentgates-builtin")
    loaded = config.stash.get(early.SETTINGS_KEY, None) or settings.load(config)
    state = AgentGatesSession(config, loaded, config.stash.get(MEASUREMENT_KEY, None))
    config.pluginmanager.register(state, "agentgates-session")


def _only_informational(config: pytest.Config) -> bool:
    """--help, --markers, --fixtures and friends must work whatever the definitions say."""
    option = config.option
    return any(
        getattr(option, name, False)
        for name in ("help", "version", "markers", "showfixtures", "show_fixtures_per_test")
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    measurement = config.stash.get(MEASUREMENT_KEY, None)
    if measurement is not None:
        measurement.stop()  # a no-op when the session already stopped it
