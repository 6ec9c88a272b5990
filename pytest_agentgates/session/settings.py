"""The resolved settings of an enabled session, validated with errors that say where a value came from."""

from __future__ import annotations

import configparser
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before Python 3.11
    import tomli as tomllib

from ..checks import attestations
from ..project import project_config
from ..project.project_config import ProjectConfig
from ..reports import pr_summary
from .options import DEFAULT_DEFINITIONS, PHASES, resolve


@dataclass(frozen=True)
class Settings:
    rootdir: Path
    definitions: tuple[Path, ...]
    agents: tuple[str, ...]
    phases: tuple[str, ...]
    catalogs: tuple[Path, ...]
    json_path: Path | None
    source: tuple[str, ...]
    project: ProjectConfig = ProjectConfig()
    report_path: Path | None = None
    sarif_path: Path | None = None
    strict: bool = False
    lint: bool = False
    explain: bool = False
    static: bool = False  # --agent-gates-static: static gates only, no test run
    previous: Mapping[str, pr_summary.Before] | None = None  # --agent-gates-compare
    reviews: attestations.Reviews = attestations.Reviews()  # agent-gates.yaml, validated
    # What checks read through CheckContext.options: base, changed, coverage_file,
    # coverage_per_file, database, django_settings (None or empty when not given).
    check_options: Mapping[str, Any] = field(default_factory=dict)


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
    source, where = resolve(config, "agent_gates_source")
    for entry in source:  # a missing path would leave every code check nothing to read
        if not (rootdir / entry).exists():
            raise pytest.UsageError(f"{where}: source path not found under {rootdir}: {entry}")
    report_path, _ = resolve(config, "agent_gates_report")
    sarif_path, _ = resolve(config, "agent_gates_sarif")
    coverage_file, _ = resolve(config, "agent_gates_coverage_file")
    check_options = {
        "base": resolve(config, "agent_gates_base")[0] or None,
        "changed": bool(resolve(config, "agent_gates_changed")[0]),
        "coverage_file": _absolute(config, coverage_file) if coverage_file else None,
        "coverage_per_file": tuple(resolve(config, "agent_gates_coverage_per_file")[0]),
        "database": resolve(config, "agent_gates_database")[0] or None,
        "django_settings": _django_settings(config),
    }
    project = _project_config(config, rootdir)
    return Settings(
        rootdir=rootdir,
        definitions=definitions,
        agents=tuple(agents),
        phases=tuple(phases),
        catalogs=catalog_paths,
        json_path=_absolute(config, json_path) if json_path else None,
        source=tuple(source),
        project=project,
        report_path=_absolute(config, report_path) if report_path else None,
        sarif_path=_absolute(config, sarif_path) if sarif_path else None,
        strict=bool(resolve(config, "agent_gates_strict")[0]),
        lint=bool(resolve(config, "agent_gates_lint")[0]),
        explain=bool(resolve(config, "agent_gates_explain")[0]),
        static=bool(resolve(config, "agent_gates_static")[0]),
        previous=_previous(config),
        check_options=check_options,
        reviews=_reviews(project, rootdir),
    )


def _project_config(config: pytest.Config, rootdir: Path) -> ProjectConfig:
    named, where = resolve(config, "agent_gates_config")
    path = (rootdir / named).resolve() if named else rootdir / project_config.DEFAULT_NAME
    if named and not path.is_file():
        raise pytest.UsageError(f"{where}: configuration file not found: {named}")
    try:
        return project_config.load(path)
    except project_config.ConfigError as error:
        raise pytest.UsageError(f"agent gates configuration: {error}") from error


def _reviews(project: ProjectConfig, rootdir: Path) -> attestations.Reviews:
    try:
        return attestations.read(project, rootdir)
    except project_config.ConfigError as error:
        raise pytest.UsageError(f"agent gates configuration: {error}") from error


DJANGO_SETTINGS = "DJANGO_SETTINGS_MODULE"  # pytest-django's ini key


def _django_settings(config: pytest.Config) -> str | None:
    """pytest-django's ``DJANGO_SETTINGS_MODULE`` ini key: through pytest-django when it is
    installed (it declares the key), else read from the ini file itself, so that this plugin
    declares no key of another plugin's."""
    try:
        return config.getini(DJANGO_SETTINGS) or None
    except ValueError:  # not declared: pytest-django is not installed
        pass
    path = config.inipath
    if path is None or not path.is_file():
        return None
    try:
        if path.name == "pyproject.toml":
            tool = tomllib.loads(path.read_text(encoding="utf-8")).get("tool", {})
            table = tool.get("pytest", {})
            table = table.get("ini_options", table) if isinstance(table, dict) else {}
            value = table.get(DJANGO_SETTINGS) if isinstance(table, dict) else None
            return value if isinstance(value, str) and value else None
        parser = configparser.RawConfigParser()
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError, ValueError, configparser.Error):
        return None  # pytest read this file already; what it cannot say, it does not say
    section = "tool:pytest" if path.name == "setup.cfg" else "pytest"
    if parser.has_option(section, DJANGO_SETTINGS):
        return parser.get(section, DJANGO_SETTINGS).strip() or None
    return None


def _previous(config: pytest.Config) -> Mapping[str, pr_summary.Before] | None:
    named, where = resolve(config, "agent_gates_compare")
    if not named:
        return None
    try:
        return pr_summary.read_previous(_absolute(config, named))
    except pr_summary.PreviousReportError as error:
        raise pytest.UsageError(f"{where}: {error}") from error


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
        return sorted(
            p.resolve() for suffix in ("*.md", "*.toml") for p in base.glob(suffix) if p.is_file()
        )
    if path.is_absolute():
        return sorted(
            p.resolve() for p in Path(path.anchor).glob(str(path.relative_to(path.anchor)))
        )
    return sorted(p.resolve() for p in rootdir.glob(pattern) if p.is_file())
