"""Add the Stop hook to one Claude Code agent's own front matter, every other byte left as it was."""

from __future__ import annotations

import re
from pathlib import Path

from .install import HOOK_TIMEOUT, MARK, InstallError

# In an agent's front matter Claude Code runs a Stop hook as that agent's SubagentStop.
BLOCK = (
    "hooks:",
    "  Stop:",
    "    - hooks:",
    "        - type: command",
    f"          command: {MARK} --tool claude",
    f"          timeout: {HOOK_TIMEOUT}",
)
_DELIMITER = re.compile(r"^-{3,}\s*$")
_HOOKS_KEY = re.compile(r"^hooks\s*:")


def _closing(lines: list[str], path: Path) -> int:
    if not lines or lines[0].lstrip("\ufeff").rstrip("\r\n").strip() != "---":
        raise InstallError(f"{path}:1: no front matter to add the hook to; it was not changed")
    for index in range(1, len(lines)):
        if _DELIMITER.match(lines[index].rstrip("\r\n")):
            return index
    raise InstallError(f"{path}:1: the front matter is never closed; it was not changed")


def add(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8")
    lines = raw.splitlines(keepends=True)
    closing = _closing(lines, path)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    block = [line + newline for line in BLOCK]
    if lines[closing - len(block) : closing] == block:
        return f"{path.name}: the Stop hook is already in its front matter; nothing changed"
    for number, line in enumerate(lines[1:closing], 2):
        if _HOOKS_KEY.match(line):
            raise InstallError(
                f"{path}:{number}: the front matter already has a hooks: block; add the "
                f"agent-gates Stop hook to it by hand ({MARK} --tool claude); it was not changed"
            )
    path.write_bytes("".join(lines[:closing] + block + lines[closing:]).encode("utf-8"))
    return f"{path.name}: Stop hook added to its front matter"


def remove(path: Path) -> str:
    raw = path.read_bytes().decode("utf-8")
    lines = raw.splitlines(keepends=True)
    closing = _closing(lines, path)
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    block = [line + newline for line in BLOCK]
    start = closing - len(block)
    if start < 1 or lines[start:closing] != block:
        return f"{path.name}: no agent-gates hook in its front matter; nothing changed"
    path.write_bytes("".join(lines[:start] + lines[closing:]).encode("utf-8"))
    return f"{path.name}: Stop hook removed from its front matter"
