"""What the agent is told: each failed promise, measured against promised, the first findings."""

from __future__ import annotations

import shlex

from ..model import FAILED

SHOWN_GATES = 5
SHOWN_FINDINGS = 3


def failed(report: dict) -> list[tuple[dict, dict]]:
    """(agent, item) of every failed gate; manual, skipped and errored gates never block."""
    return [
        (agent, item)
        for agent in report.get("agents", [])
        for item in agent.get("items", [])
        if item.get("status") == FAILED
    ]


def errored(report: dict) -> list[tuple[dict, dict]]:
    return [
        (agent, item)
        for agent in report.get("agents", [])
        for item in agent.get("items", [])
        if item.get("status") == "error"
    ]


def explain(failures: list[tuple[dict, dict]], command: tuple[str, ...]) -> str:
    names = sorted({agent.get("name", "?") for agent, _ in failures})
    count = len(failures)
    lines = [
        f"{count} promise{'s' if count > 1 else ''} of {', '.join(names)} "
        f"{'are' if count > 1 else 'is'} not kept yet. Fix {'them' if count > 1 else 'it'}, "
        "then stop:"
    ]
    for number, (agent, item) in enumerate(failures[:SHOWN_GATES], 1):
        lines.append(f'{number}. {agent.get("path")}:{item.get("line")} "{item.get("text")}"')
        lines.extend(f"   {text}" for text in _evidence(item))
    if count > SHOWN_GATES:
        lines.append(f"... and {count - SHOWN_GATES} more.")
    lines.append(f"Reproduce: {shlex.join(command)}")
    return "\n".join(lines)


def _evidence(item: dict) -> list[str]:
    measured, required = item.get("measured") or {}, item.get("required") or {}
    lines = [str(item.get("summary", ""))]
    for check in item.get("checks", []):
        if required.get(check) not in (None, ""):
            lines.append(f"{check}: measured {measured.get(check)}, promised {required[check]}")
    findings = item.get("findings") or []
    for finding in findings[:SHOWN_FINDINGS]:
        lines.append(
            f"{finding.get('path')}:{finding.get('line')} {finding.get('code')} "
            f"{finding.get('message')}"
        )
    if len(findings) > SHOWN_FINDINGS:
        lines.append(f"... and {len(findings) - SHOWN_FINDINGS} more findings")
    return lines
