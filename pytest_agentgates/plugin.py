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
    """Start measuring before conftest files import the project, as pytest-cov does."""
    if not options.enabled(early_config):
        return
    from . import coverage_engine, layout

    if getattr(early_config.known_args_namespace, "cov_source", None) or coverage_engine.running():
        return  # pytest-cov or `coverage run` measures; the coverage gate reuses that measurement
    source, _ = options.resolve(early_config, "agent_gates_source")
    rootdir = early_config.rootpath
    measurement = coverage_engine.new_measurement(rootdir, layout.find_source(rootdir, source))
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
    from . import builtin, settings
    from .session import AgentGatesSession

    config.pluginmanager.register(builtin, "agentgates-builtin")
    state = AgentGatesSession(
        config, settings.load(config), config.stash.get(MEASUREMENT_KEY, None)
    )
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
