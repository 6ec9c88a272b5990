"""Whether the project's own ruff configuration selects a rule, read from its TOML files.

The session runs ``ruff check`` once, with the rules other checks need added on the command
line; a result counts for ``lint`` only when the project's configuration selects its code. Ruff
has no machine-readable dump of its resolved settings, so its documented selection semantics
are reproduced here for the few codes that were added: ``select`` replaces, ``extend-select``
adds, ``ignore`` removes; within one configuration the more specific selector wins and, between
equally specific ones, ``ignore``; an ``extend``-ed configuration is applied first; the nearest
configuration file above a file governs it; without one, ruff's defaults.

Ruff's default selection depends on its version and no command prints it as data: up to 0.15
it was E4, E7, E9, F; from 0.16 on it is a curated list (docs.astral.sh/ruff/default-rules),
of which only the added rules' membership matters here. The test suite compares this module
with ruff's own verdicts on the installed version.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import CheckCouldNotRun

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before Python 3.11
    import tomli as tomllib

# Ruff's default selection by version (first that applies), restricted to the rules the shared
# run adds from 0.16 on, which is all this module is ever asked about.
DEFAULT_SELECT = (
    ((0, 16), ("E722", "BLE001", "S102", "S110", "S112")),
    ((0, 0), ("E4", "E7", "E9", "F")),
)
CONFIG_NAMES = (".ruff.toml", "ruff.toml", "pyproject.toml")  # ruff's order of precedence
GROUPS = {"C": ("C4", "C90"), "T": ("T10", "T20")}  # legacy selectors spanning two linters
REDIRECTS = {"C9": "C90", "T1": "T10", "T2": "T20", "TRY302": "TRY203", "PGH001": "S307"}
# Specificity, as ruff orders it: ALL < category < C/T < linter < prefix (by length) < rule.
ALL, CATEGORY, GROUP, LINTER, RULE = 0, 1, 2, 3, 8


@dataclass(frozen=True)
class RuleInfo:
    """What ``ruff rule --all`` says about one rule."""

    code: str
    linter_prefix: str  # "" for pycodestyle's E/W codes, as ruff has it
    status: str  # Stable, Preview, Deprecated or Removed
    name: str = ""
    category: str = ""


@dataclass(frozen=True)
class Layer:
    """The selection options of one configuration file (lint section or top level)."""

    select: tuple[str, ...] | None
    extend_select: tuple[str, ...]
    ignore: tuple[str, ...]


@dataclass(frozen=True)
class Settings:
    """The layers in the order ruff applies them, and the preview options."""

    layers: tuple[Layer, ...]
    preview: bool = False
    explicit_preview: bool = False


class ProjectSelection:
    """Answers "does the project's configuration select this rule for this file?"."""

    def __init__(self, rules: Mapping[str, RuleInfo], version: tuple[int, ...]) -> None:
        self.rules = rules
        self.defaults = next(select for since, select in DEFAULT_SELECT if version >= since)
        self._settings: dict[Path, Settings] = {}

    def selects(self, code: str, path: Path) -> bool:
        rule = self.rules.get(code)
        if rule is None:
            return True  # not a rule this module knows; it came from the project's own config
        settings = self._settings_for(path.parent)
        enabled = False
        carried: tuple[str, ...] = ()
        default = Layer(self.defaults, (), ())
        for layer in (default, *settings.layers):
            decision = _decide(rule, layer, carried, settings)
            carried = ()
            if layer.select is not None:
                enabled = decision is True
                if not layer.select and not layer.extend_select and layer.ignore:
                    carried = layer.ignore  # ruff carries these over to the next layer
            elif decision is not None:
                enabled = decision
        return enabled

    def _settings_for(self, folder: Path) -> Settings:
        if folder not in self._settings:
            found = _config_in(folder)
            if found is not None:
                self._settings[folder] = _settings(found)
            elif folder.parent == folder:
                self._settings[folder] = Settings(())
            else:
                self._settings[folder] = self._settings_for(folder.parent)
        return self._settings[folder]


def _decide(
    rule: RuleInfo, layer: Layer, carried: tuple[str, ...], settings: Settings
) -> bool | None:
    """True/False when this layer turns the rule on/off, None when it says nothing about it."""
    best, decision = -1, None
    for selector in (*(layer.select or ()), *layer.extend_select):
        level = _specificity(selector, rule)
        if level is not None and level > best and _status_allows(rule, level, settings):
            best, decision = level, True
    for selector in (*layer.ignore, *carried):
        level = _specificity(selector, rule)
        if level is not None and level >= best:  # equal specificity: ignore wins
            best, decision = level, False
    return decision


def _specificity(selector: str, rule: RuleInfo) -> int | None:
    """How specifically ``selector`` names ``rule``; None when it does not select it."""
    selector = REDIRECTS.get(selector, selector)
    if selector == "ALL":
        return ALL
    if selector in GROUPS:
        return GROUP if rule.linter_prefix in GROUPS[selector] else None
    if selector == rule.code or (rule.name and selector == rule.name):
        return RULE
    if rule.category and selector == rule.category:
        return CATEGORY
    prefix = rule.linter_prefix
    if not selector.startswith(prefix) or not rule.code.startswith(selector):
        return None
    if selector == prefix:
        return LINTER
    return LINTER + len(selector) - len(prefix)


def _status_allows(rule: RuleInfo, level: int, settings: Settings) -> bool:
    exact = level == RULE
    if rule.status == "Preview":
        return settings.preview and (exact or not settings.explicit_preview)
    if rule.status == "Deprecated":
        return exact and not settings.preview
    if rule.status == "Removed":
        return exact
    return True


def _config_in(folder: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = folder / name
        if candidate.is_file() and (name != "pyproject.toml" or _ruff_table(candidate)):
            return candidate
    return None


def _ruff_table(path: Path) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise CheckCouldNotRun(f"cannot read ruff configuration {path}: {error}") from error
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("ruff")
        return table if isinstance(table, dict) else None
    return data


def _settings(path: Path, seen: frozenset[Path] = frozenset()) -> Settings:
    """The layers of ``path``: those of the configuration it extends first, then its own."""
    path = path.resolve()
    if path in seen:
        raise CheckCouldNotRun(f"ruff configuration {path} extends itself")
    table = _ruff_table(path) or {}
    lint = table.get("lint") if isinstance(table.get("lint"), dict) else {}
    base = Settings(())
    if isinstance(table.get("extend"), str):
        target = Path(os.path.expandvars(os.path.expanduser(table["extend"])))
        base = _settings(path.parent / target, seen | {path})

    def option(name: str) -> Any:
        return lint[name] if name in lint else table.get(name)

    select = option("select")
    layer = Layer(
        None if select is None else tuple(select),
        tuple(option("extend-select") or ()),
        tuple(option("ignore") or ()) + tuple(option("extend-ignore") or ()),
    )
    preview = option("preview")
    explicit = option("explicit-preview-rules")
    return Settings(
        (*base.layers, layer),
        base.preview if preview is None else bool(preview),
        base.explicit_preview if explicit is None else bool(explicit),
    )
