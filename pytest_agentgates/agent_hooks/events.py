"""The event an agent tool sends a hook on stdin, read into what the gates need to know."""

from __future__ import annotations

import json
from dataclasses import dataclass

TOOLS = ("claude", "codex", "gemini")
# The events at which an agent is about to stop, per tool; any other event is allowed untouched.
SUBAGENT_STOP = "SubagentStop"
STOP_EVENTS = {
    "claude": {"Stop", SUBAGENT_STOP, "TaskCompleted"},
    "codex": {"Stop", SUBAGENT_STOP},
    "gemini": {"AfterAgent"},
}


class EventError(ValueError):
    """stdin held no hook event this command can read."""


@dataclass(frozen=True)
class Event:
    name: str
    session_id: str
    cwd: str
    agent_type: str | None  # None for a top-level session's stop
    stop_hook_active: bool

    @property
    def of_subagent(self) -> bool:
        return self.name == SUBAGENT_STOP


def read(text: str) -> Event:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise EventError(f"stdin is not JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(data, dict):
        raise EventError("stdin is JSON but not an object")
    agent_type = data.get("agent_type")
    return Event(
        name=str(data.get("hook_event_name") or ""),
        session_id=str(data.get("session_id") or ""),
        cwd=str(data.get("cwd") or ""),
        agent_type=agent_type.strip() if isinstance(agent_type, str) else None,
        stop_hook_active=data.get("stop_hook_active") is True,
    )


def agent_name(agent_type: str) -> str:
    """A plugin's agent is ``plugin:agent``; its definition is named by the last part."""
    return agent_type.rsplit(":", 1)[-1].strip()
