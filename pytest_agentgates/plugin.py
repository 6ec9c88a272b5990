"""The pytest entry point: options and hooks; does nothing more unless ``--agent-gates`` is on."""

from __future__ import annotations

import pytest

from . import settings

MEASUREMENT_KEY = pytest.StashKey[object]()


def pytest_addoption(parser: pytest.Parser) -> None:
    settings.add_options(parser)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from . import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser, args) -> None:
    """Start measuring before conftest files import the project, as pytest-cov does."""
    if not settings.enabled(early_config):
        return
    from . import coverage_engine, layout

    if getattr(early_config.known_args_namespace, "cov_source", None) or coverage_engine.running():
        return  # pytest-cov or `coverage run` measures; the coverage gate reuses that measurement
    source, _ = settings.resolve(early_config, "agent_gates_source")
    rootdir = early_config.rootpath
    measurement = coverage_engine.new_measurement(rootdir, layout.find_source(rootdir, source))
    measurement.start()
    early_config.stash[MEASUREMENT_KEY] = measurement


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "agent_gate(checks, phase, agent): a promise from an agent definition (pytest-agentgates)",
    )
    if not settings.enabled(config):
        return
    from . import builtin
    from .session import AgentGatesSession

    config.pluginmanager.register(builtin, "agentgates-builtin")
    state = AgentGatesSession(
        config, settings.load(config), config.stash.get(MEASUREMENT_KEY, None)
    )
    config.pluginmanager.register(state, "agentgates-session")


def pytest_unconfigure(config: pytest.Config) -> None:
    measurement = config.stash.get(MEASUREMENT_KEY, None)
    if measurement is not None:
        measurement.stop()  # a no-op when the session already stopped it
