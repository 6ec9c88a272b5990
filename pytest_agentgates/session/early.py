"""Read the selected promises before conftest files load, to decide what coverage must measure."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from ..checks import builtin_checks
from ..definitions.catalog import Catalog, CatalogError
from ..definitions.extract import read_definition
from ..definitions.mapping import build_gates
from ..model import AgentDefinition, Check, Gate
from . import settings as settings_module
from .builtin import pytest_agentgates_catalogs as builtin_catalogs

SETTINGS_KEY = pytest.StashKey[settings_module.Settings]()
CATALOG_KEY = pytest.StashKey[tuple[tuple, Catalog]]()
DEFINITIONS_KEY = pytest.StashKey[dict[Path, AgentDefinition]]()


def definition(config: pytest.Config, path: Path) -> AgentDefinition:
    """The agent defined in ``path``, read from disk once per session by whoever asks first: the
    early read here, before conftest.py files load, or the session's collection."""
    read = config.stash.setdefault(DEFINITIONS_KEY, {})
    if path not in read:
        rootdir = config.rootpath
        shown = (
            path.relative_to(rootdir).as_posix()
            if path.is_relative_to(rootdir)
            else path.as_posix()
        )
        read[path] = read_definition(path, shown)
    return read[path]


def is_static(gate: Gate, checks: Mapping[str, Check]) -> bool:
    """Every check of the gate decides from the project's files alone (``Check.static``)."""
    return all(check in checks and checks[check].static for check in gate.checks)


def promised_checks(early_config: pytest.Config) -> frozenset[str] | None:
    """The check ids of the gates this session will run, as far as can be told this early.

    Plugins installed as packages take part; conftest.py files are not loaded yet, so a matcher
    or catalog defined there is not. None when the settings or definitions cannot be read: the
    session reports why later.
    """
    try:
        settings = settings_module.load(early_config)
        early_config.stash[SETTINGS_KEY] = settings  # the session's own, read once
        hook = early_config.hook
        checks = {check.id: check for check in builtin_checks()}
        for extra in reversed(hook.pytest_agentgates_register_checks(config=early_config)):
            checks.update({check.id: check for check in extra or ()})
        paths = (
            *settings.catalogs,
            *(
                path
                for paths in hook.pytest_agentgates_catalogs(config=early_config)
                for path in paths
            ),
            *builtin_catalogs(early_config),
        )
        catalog = Catalog.load(paths)
        early_config.stash[CATALOG_KEY] = (paths, catalog)

        def match(item):
            found = hook.pytest_agentgates_match(item=item, catalog=catalog, config=early_config)
            return found if found is not None else catalog.match(item)

        wanted: set[str] = set()
        for path in settings.definitions:
            agent = definition(early_config, path)
            if settings.agents and agent.name not in settings.agents:
                continue
            for gate in build_gates(agent, match, checks):
                if settings.phases and gate.phase not in settings.phases:
                    continue
                if not settings.static or is_static(gate, checks):
                    wanted.update(gate.checks)
        return frozenset(wanted)
    except (pytest.UsageError, CatalogError, OSError, ValueError):
        return None
