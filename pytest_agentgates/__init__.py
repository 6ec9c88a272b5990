"""pytest-agentgates: the promises in AI-agent definitions, checked as pytest items.

The package reads as its layers, each importing only those below it (tests/test_layers.py holds
the rule): ``model`` (plain data) at the bottom; ``definitions/`` (reading agent files) and
``project/`` (what the plugin learns about the project under test) beside each other, with the
``migration_runner/`` child process; ``checks/`` above them; ``reports/`` above the checks;
``session/`` (the pytest layer) on top, entered through ``plugin`` (pytest11).
"""

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    # The warning's public path, for `-W ignore::pytest_agentgates.AgentGatesWarning`; imported
    # lazily so that the child processes (migration runner, OpenAPI reader) never import pytest.
    if name == "AgentGatesWarning":
        from .session.nodes import AgentGatesWarning

        return AgentGatesWarning
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
