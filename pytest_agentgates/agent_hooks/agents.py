"""Find the definition an agent tool means by an agent's name, where the plugin would find it."""

from __future__ import annotations

from pathlib import Path

from ..definitions.codex_toml import DefinitionError
from ..definitions.extract import read_definition
from ..model import DEFAULT_DEFINITIONS, AgentDefinition

PROJECT_MARKERS = ("pyproject.toml", "pytest.ini", "tox.ini", "setup.cfg", ".git")


def project_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds pytest's configuration or .git."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return start


def definition_files(root: Path, patterns: list[str]) -> list[Path]:
    found: dict[Path, None] = {}
    for pattern in patterns or DEFAULT_DEFINITIONS:
        base = root / pattern
        if base.is_file():
            found[base] = None
        elif base.is_dir():
            found.update(dict.fromkeys(sorted(base.glob("*.md")) + sorted(base.glob("*.toml"))))
        else:
            found.update(dict.fromkeys(p for p in sorted(root.glob(pattern)) if p.is_file()))
    return list(found)


def find(root: Path, name: str, patterns: list[str]) -> AgentDefinition | None:
    """The definition named ``name``; a file that cannot be read is not it."""
    for path in definition_files(root, patterns):
        try:
            agent = read_definition(path, path.relative_to(root).as_posix())
        except (OSError, DefinitionError):
            continue
        if agent.name == name:
            return agent
    return None
