"""The machine-readable report, schema ``pytest-agentgates/1`` (documented in the README)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..checks.verdict import STATUSES, Verdict, machine_verified
from ..model import NOT_RUN, AgentDefinition, Gate

SCHEMA = "pytest-agentgates/1"


def build(
    rows: list[tuple[AgentDefinition, list[tuple[str, Gate, Verdict | None]]]],
) -> dict[str, Any]:
    agents, totals = [], Counter({status: 0 for status in STATUSES})
    verified = 0
    for agent, entries in rows:
        items = [_item(nodeid, gate, verdict) for nodeid, gate, verdict in entries]
        totals.update(item["status"] for item in items)
        verified += sum(machine_verified(gate, verdict) for _, gate, verdict in entries)
        agents.append(
            {
                "name": agent.name,
                "path": agent.path,
                "warnings": list(agent.warnings),
                "items": items,
            }
        )
    total = sum(totals.values())
    return {
        "schema": SCHEMA,
        "agents": agents,
        "totals": {
            **dict(totals),
            "total": total,
            "machine_verified": verified,
        },
    }


def _item(nodeid: str, gate: Gate, verdict: Verdict | None) -> dict[str, Any]:
    result = (verdict or Verdict(NOT_RUN, "not run")).to_dict()
    return {
        "nodeid": nodeid,
        "line": gate.item.line,
        "heading": gate.item.heading,
        "phase": gate.phase,
        "text": gate.item.text,
        "checks": list(gate.checks),
        "params": dict(gate.params),
        "rule": gate.rule,
        **result,
    }


def write(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build(rows), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
