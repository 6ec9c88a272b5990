"""The built-in checks, catalog and matcher, registered through the plugin's own hooks."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import pytest

from ..checks import builtin_checks


@pytest.hookimpl(trylast=True)
def pytest_agentgates_register_checks(config):
    return builtin_checks()


@pytest.hookimpl(trylast=True)
def pytest_agentgates_catalogs(config):
    return sorted(Path(str(files("pytest_agentgates.gates"))).glob("*.yaml"))


@pytest.hookimpl(trylast=True)
def pytest_agentgates_match(item, catalog, config):
    return catalog.match(item)
