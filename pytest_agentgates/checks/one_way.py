"""Migrations declared one-way, with a reason: a comment marker in the file or an entry of the
``one_way`` section of agent-gates.yaml."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from ..model import CheckCouldNotRun, Finding
from ..project.context import CheckContext
from ..project.sources import python_file

ONE_WAY = re.compile(r"(?:#|--|//)[ \t]*agent-gates:[ \t]*one-way\b[ \t:—-]*(.*)", re.IGNORECASE)
SECTION = "one_way"
ENTRY_KEYS = ("migration", "reason")
ENTRY_CODES = ("MIG031", "MIG032")  # findings about config entries, not about migrations


@dataclass(frozen=True)
class MigrationFile:
    """A migration found in the project, and the names a declaration may give it besides its path."""

    path: str  # relative to the rootdir
    kind: str  # a framework's or SQL style's name (migrations.ALEMBIC, DJANGO, ...)
    names: tuple[str, ...] = ()  # Alembic revision id; Django "app_label.name"


@dataclass(frozen=True)
class Declaration:
    """A migration the team decided cannot be rolled back, where that was said, and why."""

    path: str  # the migration, relative to the rootdir
    where: str  # path:line of the declaration
    reason: str

    def note(self) -> str:
        if self.where.startswith(f"{self.path}:"):
            return f"{self.where} declared one-way: {self.reason}"
        return f"{self.path} declared one-way in {self.where}: {self.reason}"


def declarations(
    ctx: CheckContext, files: Sequence[MigrationFile]
) -> tuple[dict[str, Declaration], list[Finding]]:
    """Declarations by migration path, and declarations that are findings themselves."""
    declared: dict[str, Declaration] = {}
    findings: list[Finding] = []
    for file in files:
        path = ctx.rootdir / file.path
        if path.suffix == ".py":
            text = python_file(ctx, path).text
        else:
            text = path.read_text(encoding="utf-8", errors="replace")
        marker = ONE_WAY.search(text)
        if marker is None:
            continue
        line = text.count("\n", 0, marker.start()) + 1
        if reason := marker.group(1).strip():
            declared[file.path] = Declaration(file.path, f"{file.path}:{line}", reason)
        else:
            findings.append(Finding(file.path, line, "MIG030", "declared one-way without a reason"))
    for index, entry in enumerate(_entries(ctx)):
        name, reason = _entry(ctx, index, entry)
        shown = ctx.relative(ctx.config.path) if ctx.config.path else SECTION
        line = ctx.config.lines.get((SECTION, index), 1)
        wanted = str(PurePosixPath(name.replace("\\", "/"))).removeprefix("./")
        matches = [file for file in files if file.path == wanted or name in file.names]
        if not matches:
            findings.append(Finding(shown, line, "MIG032", f"one-way entry names no migration: "
                                    f"{name!r} (a path relative to the rootdir, an Alembic "
                                    "revision id or a Django app_label.name)"))  # fmt: skip
        elif not reason:
            findings.append(
                Finding(shown, line, "MIG031", f"one-way entry for {name} has no reason")
            )
        for file in matches if reason else ():
            declared.setdefault(file.path, Declaration(file.path, f"{shown}:{line}", reason))
    return declared, findings


def _entries(ctx: CheckContext) -> list[Any]:
    entries = ctx.config.section(SECTION)
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise CheckCouldNotRun(
            str(ctx.config.error(SECTION, None, "expected a list of '- migration: ...' entries"))
        )
    return entries


def _entry(ctx: CheckContext, index: int, entry: Any) -> tuple[str, str]:
    """The migration an entry names and its reason ("" when missing); malformed entries raise."""
    if not isinstance(entry, dict) or not isinstance(entry.get("migration"), str):
        message = "each entry needs 'migration: <path or revision id>' and 'reason: <why>'"
        raise CheckCouldNotRun(str(ctx.config.error(SECTION, index, message)))
    unknown = sorted(str(key) for key in entry if key not in ENTRY_KEYS)
    if unknown:
        message = f"unknown key {unknown[0]!r}; expected {', '.join(ENTRY_KEYS)}"
        raise CheckCouldNotRun(str(ctx.config.error(SECTION, index, message)))
    reason = entry.get("reason")
    return entry["migration"].strip(), reason.strip() if isinstance(reason, str) else ""
