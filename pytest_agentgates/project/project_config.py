"""The project's gate configuration file (agent-gates.yaml): read safely, located for error messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_NAME = "agent-gates.yaml"
SECTIONS = ("attestations", "waivers", "one_way", "layers")


class _Loader(yaml.SafeLoader):
    """Safe loading that keeps dates as text: the sections holding dates check them, with a line."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class ConfigError(Exception):
    """The configuration file is unreadable or malformed; the message names the file and line."""


@dataclass(frozen=True)
class ProjectConfig:
    """The sections of the file, and the line where each entry of a list section starts."""

    path: Path | None = None
    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[tuple[str, int], int] = field(default_factory=dict)

    def section(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)

    def where(self, section: str, index: int | None = None) -> str:
        """``file:line`` of an entry (or of the section), for messages."""
        line = self.lines.get((section, -1 if index is None else index), 1)
        return f"{self.path}:{line}" if self.path else section

    def error(self, section: str, index: int | None, message: str) -> ConfigError:
        return ConfigError(f"{self.where(section, index)}: {message}")


def load(path: Path | None) -> ProjectConfig:
    """Read ``path``; an absent file (when none was named) is an empty configuration."""
    if path is None or not path.is_file():
        return ProjectConfig(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
        node = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {getattr(error, 'problem', error)}") from error
    if data is None:
        return ProjectConfig(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected a mapping of {', '.join(SECTIONS)}")
    lines: dict[tuple[str, int], int] = {}
    for key_node, value_node in node.value:
        name = key_node.value
        if name not in SECTIONS:
            raise ConfigError(
                f"{path}:{key_node.start_mark.line + 1}: unknown section {name!r}; "
                f"expected {', '.join(SECTIONS)}"
            )
        lines[(name, -1)] = key_node.start_mark.line + 1
        if isinstance(value_node, yaml.SequenceNode):
            for index, entry in enumerate(value_node.value):
                lines[(name, index)] = entry.start_mark.line + 1
    return ProjectConfig(path, data, lines)
