"""The pytest entry point: options and hooks; does nothing more unless ``--agent-gates`` is on."""

from __future__ import annotations

import pytest

from .session import options


def pytest_addoption(parser: pytest.Parser) -> None:
    options.add_options(parser)


def pytest_addhooks(pluginmanager: pytest.PytestPluginManager) -> None:
    from .session import hookspecs

    pluginmanager.add_hookspecs(hookspecs)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser, args) -> None:
    """Start measuring before conftest files import the project, as pytest-cov does."""
    if not options.enabled(early_config):
        return
    from .session import session_coverage

    session_coverage.start_early(early_config)


def pytest_configure(config: pytest.Config) -> None:
    if not options.enabled(config) or _only_informational(config):
        return
    config.addinivalue_line(
        "markers",
        "agent_gate(checks, phase, agent): a promise from an agent definition (pytest-agentgates)",
    )
    from .session import builtin, early, session_coverage, settings
    from .session.session import AgentGatesSession

    config.pluginmanager.register(builtin, "agentgates-builtin")
    loaded = config.stash.get(early.SETTINGS_KEY, None) or settings.load(config)
    state = AgentGatesSession(
        config, loaded, config.stash.get(session_coverage.MEASUREMENT_KEY, None)
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
    if not options.enabled(config):
        return
    from .session import session_coverage

    measurement = config.stash.get(session_coverage.MEASUREMENT_KEY, None)
    if measurement is not None:
        measurement.stop()  # a no-op when the session already stopped it
