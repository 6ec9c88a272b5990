"""The plugin's option table and how a value is resolved: command line, environment, ini, default.

Imported on every pytest start, enabled or not, so it stays small and imports only the plain
data of ``model`` (``PHASES``, ``DEFAULT_DEFINITIONS``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..model import DEFAULT_DEFINITIONS, PHASES

if TYPE_CHECKING:
    import pytest

# (ini name, kind, metavar, help); the flag is --agent-gates-..., the variable AGENT_GATES_...
OPTIONS = (
    ("agent_gates", "flag", "", "check the promises in agent definitions as pytest items"),
    ("agent_gates_definitions", "list", "PATH",
     "agent definition file, folder or glob, relative to rootdir (repeatable; "
     f"default: {', '.join(DEFAULT_DEFINITIONS)})"),
    ("agent_gates_agent", "list", "NAME", "only gates of this agent name (repeatable)"),
    ("agent_gates_phase", "list", "PHASE",
     f"only gates of this phase: {', '.join(PHASES)} (repeatable)"),
    ("agent_gates_catalog", "list", "PATH",
     "extra YAML catalog, tried before the built-in one (repeatable)"),
    ("agent_gates_json", "path", "PATH", "write the machine-readable gate report to PATH"),
    ("agent_gates_source", "list", "PATH",
     "the project's source folders/modules that coverage measures and scanners read "
     "(repeatable; default: the packages found under rootdir and src/)"),
    ("agent_gates_config", "path", "PATH",
     "the project's gate configuration (attestations, waivers, one-way migrations, layers; "
     "default: agent-gates.yaml at the rootdir, when present)"),
    ("agent_gates_base", "path", "REF",
     "git ref that changes are measured against (default: merge-base with the default branch, "
     "or the working-tree changes when there is no history)"),
    ("agent_gates_changed", "flag", "",
     "file-level checks (lint, format, security, logging ...) count only findings in the files "
     "changed against the base ref; project-wide checks unchanged"),
    ("agent_gates_coverage_file", "path", "PATH",
     "read coverage from this coverage.py data file instead of measuring (CI that measures in "
     "one step and gates in another)"),
    ("agent_gates_coverage_per_file", "list", "GLOB=PERCENT",
     "per-file coverage floor: '*=60' for every file, 'pkg/core/*=90' for a glob (repeatable)"),
    ("agent_gates_database", "path", "URL",
     "database the migration round trip may use (default: a throwaway SQLite file it creates "
     "and deletes); name one only for migrations that cannot run on SQLite"),
    ("agent_gates_report", "path", "PATH", "write the Markdown Implementation Report to PATH"),
    ("agent_gates_sarif", "path", "PATH", "write the gate findings as SARIF 2.1.0 to PATH"),
    ("agent_gates_compare", "path", "PATH",
     "a previous --agent-gates-json report (the base branch's): the summary lists the gates "
     "that changed state against it"),
    ("agent_gates_static", "flag", "",
     "only the gates that read files (lint, security, stubs, migrations...): no test run, no "
     "coverage; what the pre-commit hook runs"),
    ("agent_gates_strict", "flag", "", "manual promises without an attestation fail"),
    ("agent_gates_lint", "flag", "", "list promises phrased so that nothing could verify them"),
    ("agent_gates_explain", "flag", "",
     "for each definition, every candidate line: whether it became a gate, and why"),
)  # fmt: skip
KINDS = {name: kind for name, kind, _, _ in OPTIONS}


def flag(name: str) -> str:
    return "--" + name.replace("_", "-")


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("agentgates", "agent definition gates (pytest-agentgates)")
    for name, kind, metavar, text in OPTIONS:
        if kind == "flag":
            group.addoption(flag(name), action="store_true", default=None, dest=name, help=text)
            parser.addini(name, text, type="bool", default=False)
        elif kind == "list":
            group.addoption(
                flag(name), action="append", default=None, dest=name, metavar=metavar, help=text
            )
            parser.addini(name, text, type="args", default=[])
        else:
            group.addoption(flag(name), default=None, dest=name, metavar=metavar, help=text)
            parser.addini(name, text, type="string", default="")


def resolve(config: pytest.Config, name: str) -> tuple[Any, str]:
    """The value of option ``name`` and where it came from, for error messages."""
    kind = KINDS[name]
    given = getattr(config.option, name, None)
    if given is None:
        given = getattr(getattr(config, "known_args_namespace", None), name, None)
    if given is not None:
        return given, flag(name)
    variable = name.upper()
    if variable in os.environ:
        raw = os.environ[variable]
        value: Any = raw.strip().lower() in ("1", "true", "yes", "on")
        if kind == "list":
            value = [part for part in raw.split(os.pathsep) if part]
        elif kind == "path":
            value = raw
        return value, f"environment variable {variable}"
    value = config.getini(name)
    where = f"{name} in {config.inipath}" if config.inipath else name
    return (value or ([] if kind == "list" else None)), where


def enabled(config: pytest.Config) -> bool:
    return bool(resolve(config, "agent_gates")[0])
