"""Decide which files are the project's own source: what coverage measures and scanners read."""

from __future__ import annotations

import os
from pathlib import Path

NOT_SOURCE = frozenset(
    [
        "tests",
        "test",
        "testing",
        "docs",
        "doc",
        "examples",
        "example",
        "benchmarks",
        "scripts",
        "build",
        "dist",
        "site-packages",
        "node_modules",
        "migrations",
        "alembic",
    ]
)
NOT_SOURCE_MODULES = frozenset({"conftest.py", "setup.py", "noxfile.py", "tasks.py", "manage.py"})
# coverage.py globs: a pattern without a slash matches a file name anywhere; ** crosses folders.
COVERAGE_OMIT = (
    "test_*.py", "*_test.py", "conftest.py", "**/tests/**", "**/test/**",
    "**/migrations/**", "**/alembic/versions/**",
)  # fmt: skip
# bandit globs (fnmatch), matched against paths relative to the rootdir.
BANDIT_EXCLUDE = (
    "tests/*",
    "*/tests/*",
    "*/test/*",
    "test_*.py",
    "*/test_*.py",
    "*_test.py",
    "*conftest.py",
)


def find_source(rootdir: Path, configured: list[str]) -> list[Path]:
    """The configured source paths, else the top-level packages and modules found under rootdir.

    Found means: a folder with ``__init__.py`` directly under rootdir or under ``src/``, and
    ``*.py`` files directly under rootdir; never tests, docs, examples, benchmarks, build
    output, virtualenvs or hidden folders.
    """
    if configured:
        return [(rootdir / entry).resolve() for entry in configured]
    found: list[Path] = []
    for base in (rootdir, rootdir / "src"):
        if not base.is_dir():
            continue
        for entry in sorted(base.iterdir()):
            if _is_package(entry) or _is_module(entry):
                found.append(entry)
    return found


def _is_package(path: Path) -> bool:
    return (
        path.is_dir()
        and not path.name.startswith((".", "_"))
        and path.name not in NOT_SOURCE
        and (path / "__init__.py").is_file()
        and not (path / "pyvenv.cfg").exists()
    )


def _is_module(path: Path) -> bool:
    return path.is_file() and path.suffix == ".py" and is_source_module(path.name)


def is_source_module(name: str) -> bool:
    """A file name that can be the project's own code: not a test, conftest or tool script."""
    return (
        name not in NOT_SOURCE_MODULES
        and not name.startswith(("test_", "."))
        and not name.endswith("_test.py")
    )


SKIP_DIRS = frozenset({"node_modules", "site-packages", "__pycache__", "build", "dist"})
Folders = list[tuple[Path, list[str]]]


def project_folders(rootdir: Path) -> Folders:
    """Every folder of the project with its file names; no hidden folders, no virtualenvs."""
    found: Folders = []
    for folder, dirs, files in os.walk(rootdir):
        dirs[:] = sorted(
            d for d in dirs
            if not d.startswith(".") and d not in SKIP_DIRS
            and not os.path.exists(os.path.join(folder, d, "pyvenv.cfg"))
        )  # fmt: skip
        found.append((Path(folder), sorted(files)))
    return found
