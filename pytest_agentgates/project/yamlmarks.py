"""YAML read safely with the line of every mapping, list and string kept, for ``file:line`` findings."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml


class LineDict(dict):
    """A YAML mapping that remembers the line it starts on."""

    line = 1


class LineList(list):
    """A YAML sequence that remembers the line it starts on."""

    line = 1


class LineStr(str):
    """A YAML string that remembers the line it starts on."""

    line = 1


class _Loader(yaml.SafeLoader):
    """SafeLoader whose mappings, sequences and strings carry their line (anchors and merges kept)."""


def _mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    value = LineDict(loader.construct_mapping(node, deep=True))
    value.line = node.start_mark.line + 1
    return value


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    value = LineList(loader.construct_sequence(node, deep=True))
    value.line = node.start_mark.line + 1
    return value


def _string(loader: _Loader, node: yaml.ScalarNode) -> LineStr:
    value = LineStr(loader.construct_scalar(node))
    value.line = node.start_mark.line + 1
    return value


# YAML 1.2 booleans, as GitHub, GitLab, Kubernetes and compose read them: `on`, `off`, `yes` and
# `no` are strings (PyYAML's YAML 1.1 would turn a GitHub `on:` or a job named `off` into booleans).
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)
_Loader.add_constructor("tag:yaml.org,2002:str", _string)


@dataclass(frozen=True)
class YamlError:
    """Why a YAML file could not be read, and where."""

    line: int
    message: str


def load_all(text: str) -> list[Any] | YamlError:
    """Every document of ``text`` (empty ones dropped), or where and why it is not valid YAML."""
    try:
        return [doc for doc in yaml.load_all(text, Loader=_Loader) if doc is not None]  # noqa: S506  # nosec B506 (a SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        return YamlError(mark.line + 1 if mark else 1, f"not valid YAML: {problem}")


def line_of(value: Any, default: int = 1) -> int:
    return getattr(value, "line", default)
