"""Write the hook into an agent tool's settings, merged as JSON, and take out only what it wrote."""

from __future__ import annotations

import json
import re
from pathlib import Path

SETTINGS = {
    "claude": ".claude/settings.json",
    "codex": ".codex/hooks.json",
    "gemini": ".gemini/settings.json",
}
HOOK_TIMEOUT = 600  # seconds; the hook's own child run ends at 540
# Escaped in a matcher, which the tools read as a (JavaScript) regex; "-" stays as it is, as
# an escaped "-" outside a class is an error there.
_REGEX_CHARS = re.compile(r"([.^$*+?()\[\]{}|\\])")
MARK = "agent-gates hook"  # every command install writes starts so; uninstall removes only these


class InstallError(Exception):
    """A settings file that cannot be merged safely; it is left as it was."""


def command(tool: str, agent: str | None) -> str:
    # A Gemini AfterAgent event names no agent: the command says which one to gate.
    named = f" --agent {agent}" if agent and tool == "gemini" else ""
    return f"{MARK} --tool {tool}{named}"


def group(tool: str, agent: str | None) -> tuple[str, dict]:
    """The event and the matcher group that install writes for ``tool``."""
    if tool == "gemini":
        handler = {
            "name": "agent-gates",
            "type": "command",
            "command": command(tool, agent),
            "timeout": HOOK_TIMEOUT * 1000,
        }  # fmt: skip  (Gemini counts milliseconds)
        return "AfterAgent", {"hooks": [handler]}
    handler = {"type": "command", "command": command(tool, agent), "timeout": HOOK_TIMEOUT}
    matcher = {"matcher": "^" + _REGEX_CHARS.sub(r"\\\1", agent) + "$"} if agent else {}
    return "SubagentStop", {**matcher, "hooks": [handler]}


def install(root: Path, tool: str, agent: str | None) -> str:
    path = root / SETTINGS[tool]
    settings = _load(path)
    event, wanted = group(tool, agent)
    groups = _event_groups(settings, event, path)
    if wanted in groups:
        return f"{SETTINGS[tool]}: the {event} hook is already installed; nothing changed"
    groups.append(wanted)
    _write(path, settings)
    return f"{SETTINGS[tool]}: {event} hook installed: {wanted['hooks'][0]['command']}"


def uninstall(root: Path, tool: str) -> str:
    path = root / SETTINGS[tool]
    if not path.is_file():
        return f"{SETTINGS[tool]}: not there; nothing to remove"
    settings = _load(path)
    hooks = settings.get("hooks")
    removed = 0
    if isinstance(hooks, dict):
        for event in list(hooks):
            groups = hooks[event]
            if not isinstance(groups, list):
                continue
            for entry in list(groups):
                handlers = entry.get("hooks") if isinstance(entry, dict) else None
                if not isinstance(handlers, list):
                    continue
                kept = [h for h in handlers if not _ours(h)]
                if len(kept) == len(handlers):
                    continue
                removed += len(handlers) - len(kept)
                if kept:
                    entry["hooks"] = kept
                else:
                    groups.remove(entry)
            if not groups:
                del hooks[event]
        if not hooks:
            del settings["hooks"]
    if not removed:
        return f"{SETTINGS[tool]}: no agent-gates hook; nothing changed"
    _write(path, settings)
    return f"{SETTINGS[tool]}: removed {removed} agent-gates hook(s)"


def _ours(handler) -> bool:
    return isinstance(handler, dict) and str(handler.get("command", "")).startswith(MARK)


def _load(path: Path) -> dict:
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        return {}
    try:
        settings = json.loads(text)
    except json.JSONDecodeError as error:
        raise InstallError(
            f"{path}:{error.lineno}: not valid JSON ({error.msg}); fix it first, it was not changed"
        ) from None
    if not isinstance(settings, dict):
        raise InstallError(f"{path}:1: not a JSON object; it was not changed")
    return settings


def _event_groups(settings: dict, event: str, path: Path) -> list:
    hooks = settings.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise InstallError(f'{path}: "hooks" is not an object; it was not changed')
    groups = hooks.setdefault(event, [])
    if not isinstance(groups, list):
        raise InstallError(f'{path}: "hooks"."{event}" is not a list; it was not changed')
    return groups


def _write(path: Path, settings: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
