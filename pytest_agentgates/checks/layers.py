"""The ``layers`` section of agent-gates.yaml: an ordered list of layers, top first.

    layers:
      - name: api
        modules: [notes.app]
      - name: services
        modules: [notes.services]
      - name: data
        modules: [notes.models, notes.db]

A module may import its own layer and the layers below it, never one above. A pattern names a
module and its submodules (``notes.api`` covers ``notes.api.users``) and may use ``*``, ``?`` and
``[...]`` globs; modules no layer names are free.
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from ..model import CheckCouldNotRun
from ..project.project_config import ProjectConfig

SECTION = "layers"
KEYS = ("name", "modules")


@dataclass(frozen=True)
class Layer:
    name: str
    rank: int  # 0 is the top
    patterns: tuple[str, ...]


def read(config: ProjectConfig, modules: set[str]) -> dict[str, Layer]:
    """Each project module named by a layer, with its layer; a malformed section cannot be checked."""
    entries = config.section(SECTION)
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise _error(
            config, None, "expected a list of layers, top first, each with name and modules"
        )
    layer_of: dict[str, Layer] = {}
    names: set[str] = set()
    for index, entry in enumerate(entries):
        layer = _layer(config, index, entry)
        if layer.name in names:
            raise _error(config, index, f"layer {layer.name!r} is listed twice")
        names.add(layer.name)
        for pattern in layer.patterns:
            matched = [module for module in sorted(modules) if _matches(module, pattern)]
            if not matched:
                raise _error(config, index, f"layer {layer.name!r}: {pattern!r} names no module "
                             "of the project")  # fmt: skip
            for module in matched:
                other = layer_of.setdefault(module, layer)
                if other is not layer:
                    raise _error(config, index, f"module {module} is in layers {other.name!r} "
                                 f"and {layer.name!r}")  # fmt: skip
    return layer_of


def _layer(config: ProjectConfig, index: int, entry: object) -> Layer:
    if not isinstance(entry, dict):
        raise _error(config, index, "a layer is a mapping with name and modules")
    unknown = sorted(str(key) for key in entry if key not in KEYS)
    if unknown:
        raise _error(config, index, f"unknown key(s) {', '.join(unknown)}; a layer has "
                     f"{' and '.join(KEYS)}")  # fmt: skip
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise _error(config, index, "a layer needs a name")
    patterns = entry.get("modules")
    if isinstance(patterns, str):
        patterns = [patterns]
    if (
        not isinstance(patterns, list)
        or not patterns
        or not all(isinstance(p, str) and p.strip() for p in patterns)
    ):
        raise _error(config, index, f"layer {name!r}: modules must be a non-empty list of "
                     "dotted module names or patterns")  # fmt: skip
    return Layer(name.strip(), index, tuple(p.strip() for p in patterns))


def _matches(module: str, pattern: str) -> bool:
    return fnmatchcase(module, pattern) or fnmatchcase(module, pattern + ".*")


def _error(config: ProjectConfig, index: int | None, message: str) -> CheckCouldNotRun:
    return CheckCouldNotRun(str(config.error(SECTION, index, message)))
