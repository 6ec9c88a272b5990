"""SQL migration folders: golang-migrate up/down files, dbmate sections, Flyway undo scripts."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..model import Finding
from ..project.layout import Folders

_UP_FILE = re.compile(r"^(?P<stem>.+)\.up\.sql$", re.IGNORECASE)
_FLYWAY_VERSIONED = re.compile(r"^V(?P<version>[\d._]+)__.+\.sql$")
_DBMATE_UP = re.compile(r"^--\s*migrate:up\b", re.MULTILINE)
_DBMATE_DOWN = re.compile(r"^--\s*migrate:down\b.*$", re.MULTILINE)
_KNEX = re.compile(r"exports\.up|export\s+(async\s+)?function\s+up")
_YOYO = re.compile(r"^\s*from yoyo import|^\s*steps\s*=", re.MULTILINE)


def check(
    folders: Folders, relative: Callable[[Path], str]
) -> tuple[list[tuple[str, str]], list[Finding]]:
    """The SQL migrations found (path, style), and the ones without a real down path."""
    found: list[tuple[str, str]] = []
    findings: list[Finding] = []
    for folder, files in folders:
        names = set(files)
        for name in files:
            path = folder / name
            if up := _UP_FILE.match(name):
                found.append((relative(path), "SQL up/down migration"))
                down = folder / f"{up.group('stem')}.down.sql"
                if not down.is_file() or not _has_sql(down.read_text(errors="replace")):
                    findings.append(
                        Finding(relative(path), 1, "MIG020", f"no non-empty {down.name}")
                    )
            elif flyway := _FLYWAY_VERSIONED.match(name):
                found.append((relative(path), "Flyway migration"))
                undo = [n for n in names if n.startswith(f"U{flyway.group('version')}__")]
                if not undo or not _has_sql((folder / undo[0]).read_text(errors="replace")):
                    findings.append(Finding(relative(path), 1, "MIG022",
                                            f"no non-empty undo script U{flyway.group('version')}__*.sql"))  # fmt: skip
            elif name.endswith(".sql") and _DBMATE_UP.search(
                text := path.read_text(errors="replace")
            ):
                found.append((relative(path), "dbmate migration"))
                down = _DBMATE_DOWN.search(text)
                if down is None or not _has_sql(text[down.end() :]):
                    line = text.count("\n", 0, down.start()) + 1 if down else 1
                    findings.append(
                        Finding(relative(path), line, "MIG021", "empty -- migrate:down section")
                    )
    return found, findings


def unsupported(folders: Folders) -> list[str]:
    """Migration frameworks recognised by their files whose down paths are not checked yet."""
    found: set[str] = set()
    for folder, files in folders:
        if folder.name != "migrations":
            continue
        for name in files:
            if not name.endswith((".js", ".ts", ".py")):
                continue
            text = (folder / name).read_text(errors="replace")
            if name.endswith((".js", ".ts")) and _KNEX.search(text):
                found.add("knex")
            elif name.endswith(".py") and _YOYO.search(text):
                found.add("Yoyo")
            elif name.endswith(".py") and "BaseDBAsyncClient" in text:
                found.add("Tortoise/Aerich")
    return sorted(found)


def _has_sql(text: str) -> bool:
    """Whether ``text`` holds a statement, not only blank lines and ``--`` comments."""
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())
