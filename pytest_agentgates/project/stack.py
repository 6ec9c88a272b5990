"""Detect a project's stack: declared dependencies, lock files and the frameworks its source imports."""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .sources import SourceFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # a dependency of this package (and of pytest) before Python 3.11
    import tomli as tomllib

# Shown name: (distribution names as normalised by PEP 503, top-level import names).
KNOWN: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    name: (frozenset(distributions.split()), frozenset(imports.split()))
    for name, distributions, imports in (
        ("Flask", "flask", "flask"),
        ("FastAPI", "fastapi", "fastapi"),
        ("Django", "django", "django"),
        ("Django REST framework", "djangorestframework", "rest_framework"),
        ("Starlette", "starlette", "starlette"),
        ("Litestar", "litestar", "litestar"),
        ("Quart", "quart", "quart"),
        ("Sanic", "sanic", "sanic"),
        ("aiohttp", "aiohttp", "aiohttp"),
        ("Tornado", "tornado", "tornado"),
        ("Falcon", "falcon", "falcon"),
        ("Pyramid", "pyramid", "pyramid"),
        ("SQLAlchemy", "sqlalchemy flask-sqlalchemy", "sqlalchemy flask_sqlalchemy"),
        ("SQLModel", "sqlmodel", "sqlmodel"),
        ("Alembic", "alembic flask-migrate", "alembic flask_migrate"),
        ("Tortoise ORM", "tortoise-orm", "tortoise"),
        ("Peewee", "peewee", "peewee"),
        ("pydantic", "pydantic pydantic-settings", "pydantic pydantic_settings"),
        ("marshmallow", "marshmallow", "marshmallow"),
        ("Celery", "celery", "celery"),
        ("Redis client", "redis", "redis"),
        (
            "PostgreSQL driver",
            "psycopg psycopg2 psycopg2-binary asyncpg",
            "psycopg psycopg2 asyncpg",
        ),
        ("MySQL driver", "pymysql mysqlclient", "pymysql MySQLdb"),
        ("MongoDB driver", "pymongo motor", "pymongo motor"),
        ("Uvicorn", "uvicorn", "uvicorn"),
        ("Gunicorn", "gunicorn", "gunicorn"),
    )
}
# Files whose presence says the project uses a framework, without an import to show it.
MARKER_FILES = {"alembic.ini": "Alembic", "manage.py": "Django"}
LOCK_FILES = ("uv.lock", "poetry.lock", "Pipfile.lock", "pdm.lock", "pylock.toml",
              "requirements.lock", "conda-lock.yml")  # fmt: skip
SHOWN_IMPORTERS = 3
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class Component:
    """A framework or library of the stack and what shows it is used."""

    name: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Stack:
    name: str  # the project's name in pyproject.toml, "" when it has none
    python: str  # the project's requires-python, "" when it states none
    components: tuple[Component, ...]
    other_dependencies: tuple[str, ...]  # declared, none of the known components
    lock_files: tuple[str, ...]
    notes: tuple[str, ...] = ()  # what could not be read


def detect(rootdir: Path, files: Iterable[SourceFile]) -> Stack:
    notes: list[str] = []
    pyproject = _pyproject(rootdir, notes)
    declared = _declared(rootdir, pyproject)
    evidence: dict[str, list[str]] = {}
    other: list[str] = []
    for requirement, origin in declared:
        name = _normalise(requirement)
        component = _component(name, 0)
        if component is None:
            other.append(requirement)
        else:
            evidence.setdefault(component, []).append(f"declared in {origin} ({requirement})")
    for marker, component in MARKER_FILES.items():
        if (rootdir / marker).is_file():
            evidence.setdefault(component, []).append(marker)
    importers: dict[str, list[str]] = {}
    for source in files:
        for module in _imports(source):
            component = _component(module, 1)
            if component is not None and source.relative not in importers.get(component, []):
                importers.setdefault(component, []).append(source.relative)
    for component, paths in importers.items():
        shown = ", ".join(paths[:SHOWN_IMPORTERS])
        more = f" and {len(paths) - SHOWN_IMPORTERS} more" if len(paths) > SHOWN_IMPORTERS else ""
        evidence.setdefault(component, []).append(f"imported by {shown}{more}")
    components = tuple(Component(name, tuple(evidence[name])) for name in KNOWN if name in evidence)
    project, poetry = _table(pyproject, "project"), _table(_table(pyproject, "tool"), "poetry")
    name = str(project.get("name") or poetry.get("name") or "")
    python = str(project.get("requires-python") or "")
    locks = [name for name in LOCK_FILES if (rootdir / name).is_file()]
    locks += sorted(path.name for path in rootdir.glob("pylock.*.toml"))
    return Stack(name, python, components, tuple(dict.fromkeys(other)), tuple(locks), tuple(notes))


def _pyproject(rootdir: Path, notes: list[str]) -> dict[str, Any]:
    path = rootdir / "pyproject.toml"
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        notes.append(f"pyproject.toml could not be read: {error}")
        return {}


def _declared(rootdir: Path, pyproject: dict[str, Any]) -> list[tuple[str, str]]:
    """(requirement, where it is declared) from pyproject.toml and requirements files."""
    found: list[tuple[str, str]] = []
    project = _table(pyproject, "project")
    found += [(req, "pyproject.toml") for req in _strings(project.get("dependencies"))]
    for extra, requirements in _table(project, "optional-dependencies").items():
        found += [(req, f"pyproject.toml [{extra}]") for req in _strings(requirements)]
    for group, requirements in _table(pyproject, "dependency-groups").items():
        found += [(req, f"pyproject.toml group {group}") for req in _strings(requirements)]
    poetry = _table(_table(pyproject, "tool"), "poetry")
    poetry_groups = {"": _table(poetry, "dependencies")}
    for group in _table(poetry, "group"):
        poetry_groups[f" group {group}"] = _table(
            _table(_table(poetry, "group"), group), "dependencies"
        )
    for suffix, table in poetry_groups.items():
        found += [(name, f"pyproject.toml (Poetry{suffix})") for name in table if name != "python"]
    for path in sorted(rootdir.glob("requirements*.txt")):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            requirement = line.split("#", 1)[0].strip()
            if requirement and not requirement.startswith("-"):
                found.append((requirement.split(";", 1)[0].strip(), path.name))
    return found


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    """``data[key]`` when it is a table; whatever else a hand-written file holds there, empty."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _strings(value: Any) -> list[str]:
    """The strings of a list (PEP 735 groups may also hold tables: those are skipped)."""
    return [entry for entry in value if isinstance(entry, str)] if isinstance(value, list) else []


def _normalise(requirement: str) -> str:
    match = _NAME.match(requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else ""


def _component(name: str, kind: int) -> str | None:
    """The known component with this distribution (kind 0) or import (kind 1) name."""
    for component, names in KNOWN.items():
        if name in names[kind]:
            return component
    return None


def _imports(source: SourceFile) -> set[str]:
    if source.tree is None:
        return set()
    modules: set[str] = set()
    for node in source.nodes:
        if isinstance(node, ast.Import):
            modules.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules
