"""Where a project declares its dependencies and what its lock files hold, read without installing.

Declared: ``pyproject.toml`` (``[project]`` dependencies and optional dependencies,
``[dependency-groups]``, Poetry's dependency tables), ``requirements*.txt``/``.in`` and
``requirements/*.txt``/``.in`` (and the files they include with ``-r``/``-c``), ``setup.cfg``
``install_requires``/``extras_require``, literal ``install_requires``/``extras_require`` of
``setup.py``, and ``Pipfile``. Locked: ``poetry.lock``, ``uv.lock``, ``pdm.lock``, ``Pipfile.lock``,
``pylock*.toml``, and any requirements or ``constraints*.txt`` file that pins every entry with
``==``.
"""

from __future__ import annotations

import ast
import configparser
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from ..model import Finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - pytest depends on tomli below 3.11
    import tomli as tomllib

TOML_LOCKS = ("poetry.lock", "uv.lock", "pdm.lock")
_EXACT = re.compile(r"^\s*(==|===)\s*[^*\s,]+\s*$")
_COMMIT = re.compile(r"@[0-9a-f]{40}\b")
_POETRY_EXACT = re.compile(r"^\s*(==\s*)?\d[\w.+!-]*\s*$")  # Poetry reads "1.2.3" as ==1.2.3


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Declared:
    """One declared requirement and where it is written."""

    name: str  # normalized
    text: str
    path: str
    line: int
    pinned: bool


@dataclass
class Declarations:
    declared: list[Declared] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # files that declare dependencies
    locks: dict[str, frozenset[str]] = field(default_factory=dict)  # lock file -> locked names
    problems: list[Finding] = field(default_factory=list)
    name: str = ""  # the project's own distribution name (its extras refer to it)


def read(rootdir: Path) -> Declarations:
    found = Declarations()
    _pyproject(rootdir, found)
    _setup_cfg(rootdir, found)
    _setup_py(rootdir, found)
    _pipfile(rootdir, found)
    _requirements(rootdir, found)
    _lock_files(rootdir, found)
    return found


def _add(found: Declarations, path: str, text: str, line: int, pinned: bool | None = None) -> None:
    """Record a requirement: a PEP 508 string, or a bare name when its format says if it is pinned."""
    if pinned is None:
        _declare(found, _parse(found, path, text, line))
    else:
        _declare(found, Declared(normalize(text), text, path, line, pinned))


def _declare(found: Declarations, entry: Declared | None) -> None:
    if entry is not None:
        found.declared.append(entry)
        if entry.path not in found.files:
            found.files.append(entry.path)


def _parse(found: Declarations, path: str, text: str, line: int) -> Declared | None:
    """A PEP 508 requirement string; unreadable ones are recorded as problems."""
    try:
        requirement = Requirement(text)
    except InvalidRequirement as error:
        found.problems.append(Finding(path, line, "DEP-UNREADABLE", f"{text!r}: {error}"))
        return None
    pinned = (
        bool(_COMMIT.search(requirement.url))
        if requirement.url
        else bool(_EXACT.match(str(requirement.specifier)))
    )
    return Declared(normalize(requirement.name), text, path, line, pinned)


def _line_of(text: str, needle: str, default: int = 1) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else default


def _key_line(text: str, key: str) -> int:
    """The line of ``key = ...`` in a TOML text (quoted or not)."""
    match = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _read(
    path: Path, found: Declarations, parse: Callable[[str], Any] = tomllib.loads
) -> tuple[Any, str] | None:
    """A file's parsed data and text; None when it is absent, or unreadable (recorded as a problem).

    ``parse`` reads TOML by default; TOML, JSON and decoding errors are all ValueErrors."""
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
        return parse(text), text
    except (OSError, ValueError, configparser.Error) as error:
        found.problems.append(Finding(path.name, 1, "DEP-UNREADABLE", f"cannot be read: {error}"))
        return None


def _shaped(found: Declarations, path: Path, text: str, key: str, value: object, kind: type) -> Any:
    """``value`` if it is a ``kind`` (dict: a table, list: an array), empty if absent; any other
    value is recorded as a problem, so that a malformed file is reported rather than misread."""
    if isinstance(value, kind):
        return value
    if value is not None:
        shape = "a table" if kind is dict else "a list"
        message = f"{key} should be {shape}, not {type(value).__name__}"
        found.problems.append(Finding(path.name, _key_line(text, key), "DEP-UNREADABLE", message))
    return kind()


def _json_object(text: str) -> dict:
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    return data


def _config(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    return parser


def _pyproject(rootdir: Path, found: Declarations) -> None:
    path = rootdir / "pyproject.toml"
    read = _read(path, found)
    if read is None:
        return
    data, text = read

    def shaped(key: str, value: object, kind: type) -> Any:
        return _shaped(found, path, text, key, value, kind)

    project = shaped("project", data.get("project"), dict)
    poetry = shaped("poetry", shaped("tool", data.get("tool"), dict).get("poetry"), dict)
    found.name = str(project.get("name") or poetry.get("name", ""))
    lists = [("dependencies", project.get("dependencies"))]
    lists += shaped("optional-dependencies", project.get("optional-dependencies"), dict).items()
    lists += shaped("dependency-groups", data.get("dependency-groups"), dict).items()
    for key, value in lists:
        for entry in shaped(key, value, list):
            if isinstance(entry, str):  # a dependency group may include another as a table
                _add(found, path.name, entry, _line_of(text, entry))
    tables = [(key, poetry.get(key)) for key in ("dependencies", "dev-dependencies")]
    tables += [
        ("dependencies", shaped(name, group, dict).get("dependencies"))
        for name, group in shaped("group", poetry.get("group"), dict).items()
    ]
    for key, table in tables:
        for name, spec in shaped(key, table, dict).items():
            if normalize(name) == "python":
                continue
            _add(found, path.name, name, _key_line(text, name), _poetry_pinned(spec))


def _poetry_pinned(spec: object) -> bool:
    if isinstance(spec, str):
        return bool(_POETRY_EXACT.match(spec))
    if isinstance(spec, dict):
        if "path" in spec:
            return True  # a folder of this repository
        if "git" in spec:
            return bool(re.fullmatch(r"[0-9a-f]{40}", str(spec.get("rev", ""))))
        return bool(_POETRY_EXACT.match(str(spec.get("version", ""))))
    if isinstance(spec, list):  # one spec per platform or Python version
        return all(_poetry_pinned(entry) for entry in spec)
    return False


def _setup_cfg(rootdir: Path, found: Declarations) -> None:
    path = rootdir / "setup.cfg"
    read = _read(path, found, _config)
    if read is None:
        return
    parser, text = read
    values = []
    if parser.has_option("options", "install_requires"):
        values.append(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        values += [value for _, value in parser.items("options.extras_require")]
    for value in values:
        for entry in value.replace(";", "\n;").splitlines():
            entry = entry.split("#")[0].strip()
            if entry and not entry.startswith(";"):
                _add(found, path.name, entry, _line_of(text, entry))


def _setup_py(rootdir: Path, found: Declarations) -> None:
    path = rootdir / "setup.py"
    if not path.is_file():
        return
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError) as error:
        found.problems.append(Finding(path.name, 1, "DEP-UNREADABLE", f"cannot be parsed: {error}"))
        return
    for node in ast.walk(tree):
        if not isinstance(node, ast.keyword) or node.arg not in (
            "install_requires",
            "extras_require",
        ):
            continue
        values = node.value.values if isinstance(node.value, ast.Dict) else [node.value]
        for value in values:
            for element in value.elts if isinstance(value, (ast.List, ast.Tuple)) else ():
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    _add(found, path.name, element.value, element.lineno)


def _pipfile(rootdir: Path, found: Declarations) -> None:
    path = rootdir / "Pipfile"
    read = _read(path, found)
    if read is None:
        return
    data, text = read
    for table in ("packages", "dev-packages"):
        for name, spec in _shaped(found, path, text, table, data.get(table), dict).items():
            version = spec.get("version", "*") if isinstance(spec, dict) else spec
            pinned = bool(_EXACT.match(str(version))) or (isinstance(spec, dict) and "path" in spec)
            _add(found, path.name, name, _key_line(text, name), pinned)


def _requirements(rootdir: Path, found: Declarations) -> None:
    """pip requirements files (they declare; fully pinned ``.txt`` ones lock) and constraints files
    (they only lock), with the files they include."""
    root = rootdir.resolve()
    folder = root / "requirements"
    queue = [(path, False) for pattern in ("requirements*.txt", "requirements*.in")
             for path in sorted(root.glob(pattern))]  # fmt: skip
    queue += [(path, False) for path in sorted(folder.glob("*.txt")) + sorted(folder.glob("*.in"))]
    queue += [(path, True) for path in sorted(root.glob("constraints*.txt"))]
    seen: set[Path] = set()
    while queue:
        path, constraints = queue.pop(0)
        path = path.resolve()
        if path in seen or not path.is_file() or root not in path.parents:
            continue
        seen.add(path)
        relative = path.relative_to(root).as_posix()
        entries = [
            entry
            for line, text in _requirement_lines(path, queue)
            if (entry := _parse(found, relative, text, line)) is not None
        ]
        if not constraints:
            for entry in entries:
                _declare(found, entry)
        if entries and path.suffix == ".txt" and all(entry.pinned for entry in entries):
            found.locks[relative] = frozenset(entry.name for entry in entries)


def _requirement_lines(path: Path, queue: list[tuple[Path, bool]]) -> Iterator[tuple[int, str]]:
    """(line, requirement) of a pip requirements file; included files are queued."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    joined, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        if not joined:
            start = number
        raw = re.sub(r"(^|\s)#.*$", "", raw).rstrip()
        if raw.endswith("\\"):
            joined += raw[:-1] + " "
            continue
        line, joined = (joined + raw).strip(), ""
        include = re.match(r"^(-r|-c|--requirement|--constraint)[\s=]+(\S+)", line)
        if include:
            queue.append(
                (path.parent / include.group(2), include.group(1) in ("-c", "--constraint"))
            )
        elif line and not line.startswith(("-", ".", "/")) and "://" not in line.split("@")[0]:
            yield start, re.split(r"\s+--?\w", line, maxsplit=1)[0].strip()


def _lock_files(rootdir: Path, found: Declarations) -> None:
    candidates = [rootdir / name for name in TOML_LOCKS] + sorted(rootdir.glob("pylock*.toml"))
    for path in candidates:
        read = _read(path, found)
        if read is not None:
            data, _ = read
            packages = [*data.get("package", ()), *data.get("packages", ())]
            found.locks[path.name] = frozenset(
                normalize(str(entry["name"]))
                for entry in packages
                if isinstance(entry, dict) and "name" in entry
            )
    path = rootdir / "Pipfile.lock"
    read = _read(path, found, _json_object)
    if read is not None:
        data, text = read
        found.locks[path.name] = frozenset(
            normalize(name)
            for section in ("default", "develop")
            for name in _shaped(found, path, text, section, data.get(section), dict)
        )
