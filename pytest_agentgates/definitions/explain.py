"""Why each candidate line of a definition became a gate or not: what --agent-gates-explain prints."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import AgentDefinition, Gate
from .mapping import MANUAL, Reading


@dataclass(frozen=True)
class Entry:
    """One candidate line: where, its text, whether it is a gate, and why."""

    line: int
    text: str
    gate: Gate | None
    why: str


def entries(agent: AgentDefinition, readings: list[Reading]) -> list[Entry]:
    """The definition's candidate lines in file order: its items, then what the reading left out."""
    found = [Entry(r.item.line, r.item.text, r.gate, _why(r)) for r in readings]
    found += [Entry(left.line, left.text, None, left.reason) for left in agent.left_out]
    return sorted(found, key=lambda entry: (entry.line, entry.gate is None))


def _why(reading: Reading) -> str:
    item, gate = reading.item, reading.gate
    where = f"{item.shape} under {item.heading!r}" if item.heading else item.shape
    if item.negative:
        where += " (negative: names what must not be there)"
    if gate is None:
        return f"{where}; left out: {reading.reason}"
    if gate.wording:
        where += f" ({gate.wording})"
    rule = f"rule {gate.rule}" if gate.rule else "no rule"
    checks = ", ".join(gate.checks)
    if gate.checks == (MANUAL,):
        checks = f"manual: {gate.reason}"
    return f"{where}; {rule} -> {checks} [{gate.phase}]"
