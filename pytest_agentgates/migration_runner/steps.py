"""What the runner reports: timed steps, errors placed in the project's files, file fingerprints."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

THROWAWAY = "a throwaway SQLite database"  # how reports name the database the run was given
NAMED = "the database named with --agent-gates-database"
MAX_MESSAGE = 600
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")  # "<function fill at 0x7f...>": differs every run
# What an error says when a migration needs something SQLite does not have.
_SQLITE_LIMITS = ("SQLite", "syntax error", 'near "')
_SQLITE_LIMIT_TYPES = ("CompileError", "UnsupportedCompilationError", "NotImplementedError")


@dataclass
class Report:
    """The runner's answer, as JSON: steps in order, the models comparison, or why nothing ran."""

    database: str
    steps: list[dict[str, Any]] = field(default_factory=list)
    sync: dict[str, Any] | None = None
    problem: str | None = None
    versions: str = ""  # of the libraries the run imported: "Alembic 1.12.1, SQLAlchemy 1.4.54"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Locate = Callable[[BaseException], tuple[str | None, int, str]]  # path, line, which migration


# (module, distribution, shown name) of the libraries whose version decides what the run can do.
_LIBRARIES = (("alembic", "alembic", "Alembic"), ("sqlalchemy", "SQLAlchemy", "SQLAlchemy"),
              ("django", "Django", "Django"), ("flask_migrate", "Flask-Migrate", "Flask-Migrate"),
              ("flask_sqlalchemy", "Flask-SQLAlchemy", "Flask-SQLAlchemy"))  # fmt: skip


def versions() -> str:
    """The versions of the libraries this process imported, found where it imported them from."""
    shown = []
    for module, distribution, name in _LIBRARIES:
        if module in sys.modules:
            try:
                shown.append(f"{name} {metadata.version(distribution)}")
            except metadata.PackageNotFoundError:  # imported from a folder without metadata
                shown.append(f"{name} {getattr(sys.modules[module], '__version__', '?')}")
    return ", ".join(shown)


def timed(label: str, action: Callable[[], object], locate: Locate, sqlite: bool) -> dict[str, Any]:
    """Run one step; its label, duration and (when it failed) the error, placed in the project."""
    start = time.perf_counter()
    error = None
    try:
        action()
    except (Exception, SystemExit) as raised:  # a migration's own failure, whatever its type
        error = describe(raised, locate, sqlite)
    return {"step": label, "seconds": round(time.perf_counter() - start, 3), "error": error}


def describe(error: BaseException, locate: Locate, sqlite: bool) -> dict[str, Any]:
    path, line, migration = locate(error)
    message = message_of(error)
    limit = sqlite and (
        type(error).__name__ in _SQLITE_LIMIT_TYPES or any(s in message for s in _SQLITE_LIMITS)
    )
    return {
        "message": message,
        "path": path,
        "line": line,
        "migration": migration,
        "sqlite_limit": limit,
        "from_database": any(isinstance(link, sqlite3.Error) for link in _chain(error)),
    }


def _chain(error: BaseException) -> list[BaseException]:
    links: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in links:
        links.append(current)
        current = current.__cause__ or current.__context__
    return links


def message_of(error: BaseException) -> str:
    """``Type: message`` without SQLAlchemy's background link, shortened."""
    lines = [
        line.strip() for line in str(error).splitlines()
        if line.strip() and not line.startswith("(Background on this error")
    ]  # fmt: skip
    text = _ADDRESS.sub("", f"{type(error).__name__}: {' '.join(lines)}".strip())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def project_frames(error: BaseException, root: Path) -> list[tuple[Path, int]]:
    """Frames of the traceback in the project's own files (not installed packages), deepest last."""
    frames = []
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename).resolve()
        if in_project(path, root):
            frames.append((path, frame.lineno or 1))
    return frames


def in_project(path: Path, root: Path) -> bool:
    """Under the rootdir and not an installed package (a virtualenv may live in the rootdir)."""
    path = path.resolve()
    return path.is_relative_to(root) and "site-packages" not in path.parts


def relative(path: Path, root: Path) -> str:
    path = path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def fingerprint(path: Path | None) -> tuple[str, int, int] | None:
    """Content hash, size and modification time of a file; None when there is no file."""
    if path is None or not path.is_file():
        return None
    stat = path.stat()
    return hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns


def watch(configured: Iterable[Path | None]) -> Callable[[], str | None]:
    """Fingerprint the files of the project's configured SQLite databases now; the call returned
    names the first one that changed since, so a run that touched one is refused, not trusted."""
    before = {path: fingerprint(path) for path in configured if path is not None}

    def changed() -> str | None:
        moved = [path for path, old in before.items() if fingerprint(path) != old]
        return f"the configured database {moved[0]} changed during the run" if moved else None

    return changed


def has_tables(path: Path) -> bool:
    """Whether the SQLite file at ``path`` exists and holds at least one table."""
    if not path.is_file():
        return False
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        return connection.execute(query).fetchone()[0] > 0
    finally:
        connection.close()
