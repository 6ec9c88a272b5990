"""The project's own lint and format conventions: which tool's configuration it keeps, and what
that configuration says (ruff; else flake8, isort and black), read from its files.

Looked for at the rootdir, then at the repository root. flake8 reads the first of ``setup.cfg``,
``tox.ini`` and ``.flake8`` that has a ``[flake8]`` section, else Flake8-pyproject's
``[tool.flake8]``; isort ``.isort.cfg``,
``pyproject.toml`` ``[tool.isort]``, ``setup.cfg`` / ``tox.ini`` ``[isort]``; black
``pyproject.toml`` ``[tool.black]``.
"""

from __future__ import annotations

import configparser
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before Python 3.11
    import tomli as tomllib

RUFF_FILES = (".ruff.toml", "ruff.toml")
FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")
ISORT_FILES = (".isort.cfg", "pyproject.toml", "setup.cfg", "tox.ini")
_CODE_LIST = re.compile(r"[,\s]+")


class ConfigProblem(Exception):
    """A configuration file that cannot be read; the message names it."""


@dataclass(frozen=True)
class Flake8:
    path: Path
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] | None = None
    extend_ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    max_line_length: int = 79
    max_doc_length: int | None = None
    max_complexity: int | None = None
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Isort:
    path: Path
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Black:
    path: Path
    line_length: int = 88
    skip_string_normalization: bool = False
    skip_magic_trailing_comma: bool = False


@dataclass(frozen=True)
class Conventions:
    ruff: Path | None = None
    flake8: Flake8 | None = None
    isort: Isort | None = None
    black: Black | None = None


def conventions(places: Sequence[Path]) -> Conventions:
    """What the first place with each tool's configuration says (rootdir first)."""
    return Conventions(
        ruff=_first(places, _ruff),
        flake8=_first(places, _flake8),
        isort=_first(places, _isort),
        black=_first(places, _black),
    )


def _first(places: Sequence[Path], read):
    for base in places:
        found = read(base)
        if found is not None:
            return found
    return None


def _ruff(base: Path) -> Path | None:
    for name in RUFF_FILES:
        if (base / name).is_file():
            return base / name
    pyproject = base / "pyproject.toml"
    return pyproject if "ruff" in _toml(pyproject).get("tool", {}) else None


def _flake8(base: Path) -> Flake8 | None:
    for name in FLAKE8_FILES:
        section = _ini_section(base / name, "flake8")
        if section is not None:
            return _flake8_section(base / name, section)
    # Flake8-pyproject's [tool.flake8]: the same keys, TOML values
    table = _toml(base / "pyproject.toml").get("tool", {}).get("flake8")
    if isinstance(table, dict):
        section = {str(key): _as_ini(value) for key, value in table.items()}
        return _flake8_section(base / "pyproject.toml", section)
    return None


def _as_ini(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(part) for part in value)
    if isinstance(value, dict):  # per-file-ignores as a table: {pattern = "codes"}
        return "\n".join(f"{pattern}:{_as_ini(codes)}" for pattern, codes in value.items())
    return str(value)


def _flake8_section(path: Path, section: dict[str, str]) -> Flake8:
    def value(key: str) -> str | None:
        return section.get(key.replace("_", "-"), section.get(key))

    def codes(key: str) -> tuple[str, ...] | None:
        found = value(key)
        return None if found is None else _codes(found)

    def number(key: str) -> int | None:
        found = value(key)
        if found is None:
            return None
        try:
            return int(found.strip())
        except ValueError as error:
            raise ConfigProblem(f"{path}: [flake8] {key} is not a number: {found!r}") from error

    exclude = " ".join(value(key) or "" for key in ("exclude", "extend_exclude"))
    return Flake8(
        path=path,
        select=codes("select"),
        extend_select=codes("extend_select") or (),
        ignore=codes("ignore"),
        extend_ignore=codes("extend_ignore") or (),
        per_file_ignores=_per_file(value("per_file_ignores") or ""),
        max_line_length=number("max_line_length") or 79,
        max_doc_length=number("max_doc_length"),
        max_complexity=_complexity(number("max_complexity")),
        exclude=tuple(part for part in _CODE_LIST.split(_strip_comments(exclude)) if part),
    )


def _complexity(value: int | None) -> int | None:
    return value if value is not None and value >= 0 else None  # -1 is mccabe's "off"


def _isort(base: Path) -> Isort | None:
    for name in ISORT_FILES:
        path = base / name
        if name == "pyproject.toml":
            table = _toml(path).get("tool", {}).get("isort")
            if isinstance(table, dict):
                return Isort(path, {key.replace("-", "_"): value for key, value in table.items()})
            continue
        section = _ini_section(path, "settings" if name == ".isort.cfg" else "isort")
        if section is None and name == ".isort.cfg":
            section = _ini_section(path, "isort")
        if section is not None:
            return Isort(path, {key.replace("-", "_"): _ini_value(value)
                                for key, value in section.items()})  # fmt: skip
    return None


def _black(base: Path) -> Black | None:
    table = _toml(base / "pyproject.toml").get("tool", {}).get("black")
    if not isinstance(table, dict):
        return None
    options = {key.replace("-", "_"): value for key, value in table.items()}
    return Black(
        base / "pyproject.toml",
        int(options.get("line_length", 88)),
        bool(options.get("skip_string_normalization", False)),
        bool(options.get("skip_magic_trailing_comma", False)),
    )


# --- reading files ---------------------------------------------------------------------------
def _toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigProblem(f"cannot read {path}: {error}") from error


def _ini_section(path: Path, name: str) -> dict[str, str] | None:
    if not path.is_file():
        return None
    parser = configparser.RawConfigParser()
    try:
        parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        raise ConfigProblem(f"cannot read {path}: {error}") from error
    return dict(parser.items(name)) if parser.has_section(name) else None


def _strip_comments(value: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in value.splitlines())


def _codes(value: str) -> tuple[str, ...]:
    return tuple(code.upper() for code in _CODE_LIST.split(_strip_comments(value)) if code)


def _per_file(value: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """flake8's ``per-file-ignores``: ``pattern:codes`` pairs, on lines or comma-separated."""
    pairs: list[tuple[str, tuple[str, ...]]] = []
    pattern: str | None = None
    codes: list[str] = []
    for token in _CODE_LIST.split(_strip_comments(value)):
        if not token:
            continue
        if ":" in token:
            if pattern is not None:
                pairs.append((pattern, tuple(codes)))
            pattern, _, rest = token.partition(":")
            codes = [rest.upper()] if rest else []
        elif pattern is not None:
            codes.append(token.upper())
    if pattern is not None:
        pairs.append((pattern, tuple(codes)))
    return tuple(pairs)


def _ini_value(value: str) -> Any:
    text = _strip_comments(value).strip()
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    if text.isdigit():
        return int(text)
    if "," in text or "\n" in text:
        return [part for part in _CODE_LIST.split(text) if part]
    return text
