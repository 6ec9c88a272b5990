"""Say allow or block in the format each agent tool reads from a hook."""

from __future__ import annotations

import json
from dataclasses import dataclass

# Claude Code's TaskCompleted is held only by exit code 2, with the reason on stderr.
BLOCK_BY_EXIT = {"TaskCompleted"}


@dataclass(frozen=True)
class Answer:
    stdout: str
    stderr: str
    exit_code: int


def block(tool: str, event: str, reason: str) -> Answer:
    if event in BLOCK_BY_EXIT:
        return Answer("", reason + "\n", 2)
    decision = "deny" if tool == "gemini" else "block"
    return Answer(json.dumps({"decision": decision, "reason": reason}) + "\n", "", 0)


def allow(tool: str, message: str = "") -> Answer:
    """Allow the stop; a message is shown to the person, never to the agent as an order."""
    if message:
        return Answer(json.dumps({"systemMessage": message}) + "\n", message + "\n", 0)
    # Codex and Gemini read stdout as JSON; an empty object says nothing either way.
    return Answer("" if tool == "claude" else "{}\n", "", 0)
