"""The plugin's options: command line, then environment, then ini/pyproject, then default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .model import PHASES

DEFAULT_DEFINITIONS = (".claude/agents/*.md", "agents/*.md")


@dataclass(frozen=True)
class Option:
    name: str  # ini name; the flag is --agent-gates-..., the variable AGENT_GATES_...
    kind: str  # flag | list | path
    help: str
    metavar: str = ""

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return self.name.upper()


OPTIONS = (
    Option("agent_gates", "flag", "check the promises in agent definitions as pytest items"),
    Option("agent_gates_definitions", "list",
           "agent definition file, folder or glob, relative to rootdir (repeatable; "
           f"default: {', '.join(DEFAULT_DEFINITIONS)})", "PATH"),
    Option("agent_gates_agent", "list", "only gates of this agent name (repeatable)", "NAME"),
    Option("agent_gates_phase", "list", f"only gates of this phase: {', '.join(PHASES)} (repeatable)",
           "PHASE"),
    Option("agent_gates_catalog", "list",
           "extra YAML catalog, tried before the built-in one (repeatable)", "PATH"),
    Option("agent_gates_json", "path", "write the machine-readable gate report to PATH", "PATH"),
    Option("agent_gates_source", "list",
           "the project's source folders/modules that coverage measures and scanners read "
           "(repeatable; default: the packages found under rootdir and src/)", "PATH"),
)  # fmt: skip
BY_NAME = {option.name: option for option in OPTIONS}


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("agentgates", "agent definition gates (pytest-agentgates)")
    for option in OPTIONS:
        if option.kind == "flag":
            group.addoption(option.flag, action="store_true", default=None, dest=option.name,
                            help=option.help)  # fmt: skip
            parser.addini(option.name, option.help, type="bool", default=False)
        elif option.kind == "list":
            group.addoption(option.flag, action="append", default=None, dest=option.name,
                            metavar=option.metavar, help=option.help)  # fmt: skip
            parser.addini(option.name, option.help, type="args", default=[])
        else:
            group.addoption(option.flag, default=None, dest=option.name, metavar=option.metavar,
                            help=option.help)  # fmt: skip
            parser.addini(option.name, option.help, type="string", default="")


def resolve(config: pytest.Config, name: str) -> tuple[Any, str]:
    """The value of option ``name`` and where it came from, for error messages."""
    option = BY_NAME[name]
    namespace = getattr(config, "known_args_namespace", None) or config.option
    given = getattr(config.option, name, None)
    if given is None:
        given = getattr(namespace, name, None)
    if given is not None:
        return given, option.flag
    if option.env in os.environ:
        raw = os.environ[option.env]
        value: Any = raw.strip().lower() in ("1", "true", "yes", "on")
        if option.kind == "list":
            value = [part for part in raw.split(os.pathsep) if part]
        elif option.kind == "path":
            value = raw
        return value, f"environment variable {option.env}"
    value = config.getini(name)
    where = f"{name} in {config.inipath}" if config.inipath else name
    return (value or ([] if option.kind == "list" else None)), where


def enabled(config: pytest.Config) -> bool:
    return bool(resolve(config, "agent_gates")[0])


@dataclass(frozen=True)
class Settings:
    rootdir: Path
    definitions: tuple[Path, ...]
    agents: tuple[str, ...]
    phases: tuple[str, ...]
    catalogs: tuple[Path, ...]
    json_path: Path | None
    source: tuple[str, ...]


def load(config: pytest.Config) -> Settings:
    rootdir = config.rootpath
    phases, where = resolve(config, "agent_gates_phase")
    for phase in phases:
        if phase not in PHASES:
            raise pytest.UsageError(
                f"{where}: {phase!r} is not a phase; use one of {', '.join(PHASES)}"
            )
    patterns, where = resolve(config, "agent_gates_definitions")
    definitions = _definitions(
        rootdir, patterns or list(DEFAULT_DEFINITIONS), where, bool(patterns)
    )
    catalogs, where = resolve(config, "agent_gates_catalog")
    catalog_paths = tuple(_existing_file(rootdir, path, where) for path in catalogs)
    json_path, _ = resolve(config, "agent_gates_json")
    agents, _ = resolve(config, "agent_gates_agent")
    source, _ = resolve(config, "agent_gates_source")
    return Settings(
        rootdir=rootdir,
        definitions=definitions,
        agents=tuple(agents),
        phases=tuple(phases),
        catalogs=catalog_paths,
        json_path=_absolute(config, json_path) if json_path else None,
        source=tuple(source),
    )


def _absolute(config: pytest.Config, path: str) -> Path:
    return (config.invocation_params.dir / path).resolve()


def _existing_file(rootdir: Path, path: str, where: str) -> Path:
    resolved = (rootdir / path).resolve()
    if not resolved.is_file():
        raise pytest.UsageError(f"{where}: catalog file not found: {path}")
    return resolved


def _definitions(
    rootdir: Path, patterns: list[str], where: str, explicit: bool
) -> tuple[Path, ...]:
    found: dict[Path, None] = {}
    for pattern in patterns:
        matches = _expand(rootdir, pattern)
        if explicit and not matches:
            raise pytest.UsageError(
                f"{where}: no agent definition matches {pattern!r} under {rootdir}"
            )
        found.update(dict.fromkeys(matches))
    if not found:
        looked = ", ".join(patterns)
        raise pytest.UsageError(
            f"--agent-gates: no agent definitions found (looked for {looked} under {rootdir}); "
            "point --agent-gates-definitions at them"
        )
    return tuple(found)


def _expand(rootdir: Path, pattern: str) -> list[Path]:
    path = Path(pattern)
    base = path if path.is_absolute() else rootdir / path
    if base.is_file():
        return [base.resolve()]
    if base.is_dir():
        return sorted(p.resolve() for p in base.glob("*.md") if p.is_file())
    if path.is_absolute():
        return sorted(
            p.resolve() for p in Path(path.anchor).glob(str(path.relative_to(path.anchor)))
        )
    return sorted(p.resolve() for p in rootdir.glob(pattern) if p.is_file())
