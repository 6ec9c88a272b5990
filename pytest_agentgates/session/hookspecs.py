"""The plugin's own hooks: how third parties add checks, catalogs and a matcher."""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("pytest")


@hookspec
def pytest_agentgates_register_checks(config):
    """Return a list of ``pytest_agentgates.model.Check`` to register.

    The built-in checks come from a ``trylast`` implementation of this hook; a check returned by
    another implementation with the same id replaces the built-in one.
    """


@hookspec
def pytest_agentgates_catalogs(config):
    """Return a list of paths of YAML catalogs; rules of earlier-called plugins win."""


@hookspec(firstresult=True)
def pytest_agentgates_match(item, catalog, config):
    """Return the ``Match`` (check ids and parameters) for a checklist item, or None.

    The built-in implementation is ``trylast`` and asks the catalog; the first non-None
    result wins.
    """
