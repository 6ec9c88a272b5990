"""Answer one stop event: run the stopping agent's gates, block while a promise fails, never trap."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import agents, events, reasons, runner
from .answers import Answer, allow, block
from .blocks import BlockCount

DEFAULT_MAX_BLOCKS = 3


@dataclass(frozen=True)
class HookOptions:
    tool: str = "claude"
    agents: tuple[str, ...] = ()  # for a top-level session's stop; none: what the config names
    definitions: tuple[str, ...] = ()
    python: str | None = None
    timeout: float = runner.DEFAULT_TIMEOUT
    max_blocks: int = DEFAULT_MAX_BLOCKS
    changed: bool = False  # --agent-gates-changed
    root: str | None = None


def answer(stdin: str, options: HookOptions) -> Answer:
    tool = options.tool
    try:
        return _answer(stdin, options)
    except (events.EventError, runner.RunError) as error:
        return allow(tool, f"agent-gates: {error}\nagent-gates: the stop is allowed.")
    except Exception as error:  # a bug of ours must never keep an agent from stopping
        return allow(
            tool, f"agent-gates: internal error: {error!r}\nagent-gates: the stop is allowed."
        )


def _answer(stdin: str, options: HookOptions) -> Answer:
    tool = options.tool
    event = events.read(stdin)
    if event.name not in events.STOP_EVENTS[tool]:
        return allow(tool)
    root = agents.project_root(Path(options.root or event.cwd or os.getcwd()))
    patterns = list(options.definitions)
    if event.of_subagent:
        if not event.agent_type:
            return allow(tool)  # a known quirk: SubagentStop events with an empty agent_type
        agent = agents.find(root, events.agent_name(event.agent_type), patterns)
        if agent is None or not agent.items:
            return allow(tool)  # not an agent of this project, or one that promises nothing
        selected = [agent.name]
    else:
        selected = list(options.agents)
        if not agents.definition_files(root, patterns):
            return allow(tool)
    python = runner.interpreter(root, options.python)
    run = runner.run(
        root, python, runner.gate_args(selected, patterns, options.changed), options.timeout
    )
    count = BlockCount(root, event.session_id, ",".join(selected))
    failures = reasons.failed(run.report)
    if not failures:
        count.set(0)
        return allow(tool)
    reason = reasons.explain(failures, run.command)
    blocked = count.get()
    if event.stop_hook_active or blocked >= options.max_blocks:
        count.set(0)
        why = (
            "the agent is already continuing after a stop hook"
            if event.stop_hook_active
            else f"it was sent back {blocked} times in a row"
        )
        return allow(tool, f"agent-gates: the gates still fail; the stop is allowed, as {why}.\n"
                           f"{reason}")  # fmt: skip
    count.set(blocked + 1)
    return block(tool, event.name, reason)
