"""The pull-request summary: gates that changed state against a base report, failures, counts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..checks.verdict import status_of
from ..model import ERROR, FAILED
from .report_facts import Rows
from .report_json import SCHEMA
from .report_markdown import cell, code, outcome

BAD = frozenset({FAILED, ERROR})
SHOWN_CHANGES = 20
SHOWN_FAILURES = 20
FIRST_FINDINGS = 3  # per failing gate: enough to act on, short enough to read in seconds


class PreviousReportError(Exception):
    """The base report cannot be compared with: unreadable, not JSON, or another schema."""


@dataclass(frozen=True)
class Before:
    """A gate as the base report saw it."""

    location: str
    text: str
    status: str


def read_previous(path: Path) -> dict[str, Before]:
    """The gates of a JSON report written by ``--agent-gates-json``, by node id."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PreviousReportError(f"cannot read {path}: {error.strerror or error}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PreviousReportError(f"{path} is not a JSON report: {error}") from error
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise PreviousReportError(
            f"{path} is not an agent-gates JSON report (schema {SCHEMA!r} expected)"
        )
    try:
        return {
            item["nodeid"]: Before(
                f"{agent['path']}:{item['line']}", str(item["text"]), str(item["status"])
            )
            for agent in data["agents"]
            for item in agent["items"]
        }
    except (KeyError, TypeError) as error:
        raise PreviousReportError(f"{path}: an agent or item lacks {error}") from error


def render(rows: Rows, previous: Mapping[str, Before] | None = None) -> str:
    """What a reviewer reads first; ``previous`` is the base branch's report, when one is given."""
    parts = [_changes(rows, previous)] if previous is not None else []
    parts += [_failures(rows), _counts(rows)]
    return "\n\n".join(parts) + "\n"


def _changes(rows: Rows, previous: Mapping[str, Before]) -> str:
    groups: dict[str, list[str]] = {"Newly failing": [], "Fixed": [], "Changed": [], "New": []}
    seen = set()
    for _, entries in rows:
        for nodeid, gate, verdict in entries:
            seen.add(nodeid)
            now, before = status_of(verdict), previous.get(nodeid)
            where = f"{code(gate.location)} {cell(gate.item.text)}"
            if before is None:
                groups["New"].append(f"{where}: {now}")
            elif now in BAD and before.status not in BAD:
                groups["Newly failing"].append(f"{where}: {before.status} → **{now}**")
            elif before.status in BAD and now not in BAD:
                groups["Fixed"].append(f"{where}: {before.status} → {now}")
            elif before.status != now:
                groups["Changed"].append(f"{where}: {before.status} → {now}")
    groups["Removed"] = [
        f"{code(before.location)} {cell(before.text)}: was {before.status}"
        for nodeid, before in previous.items()
        if nodeid not in seen
    ]
    lines = ["### Changed against the base report", ""]
    if not any(groups.values()):
        return "\n".join([*lines, "No gate changed state."])
    for title, found in groups.items():
        if not found:
            continue
        lines += [f"**{title}** ({len(found)})", ""]
        lines += [f"- {line}" for line in found[:SHOWN_CHANGES]]
        if len(found) > SHOWN_CHANGES:
            lines.append(f"- … and {len(found) - SHOWN_CHANGES} more")
        lines.append("")
    return "\n".join(lines).rstrip()


def _failures(rows: Rows) -> str:
    failing = [
        (gate, verdict)
        for _, entries in rows
        for _, gate, verdict in entries
        if status_of(verdict) in BAD
    ]
    lines = ["### Failures", ""]
    if not failing:
        return "\n".join([*lines, "No gate failed."])
    for gate, verdict in failing[:SHOWN_FAILURES]:
        lines.append(f"- **{verdict.status}** {code(gate.location)} [{gate.phase}] "
                     f"{cell(gate.item.text)} — {cell(verdict.summary)}")  # fmt: skip
        findings = [finding for _, result in verdict.outcomes for finding in result.findings]
        for finding in findings[:FIRST_FINDINGS]:
            where = code(f"{finding.path}:{finding.line}")
            lines.append(f"  - {where} {finding.code} {cell(finding.message)}")
        if len(findings) > FIRST_FINDINGS:
            lines.append(f"  - … and {len(findings) - FIRST_FINDINGS} more")
    if len(failing) > SHOWN_FAILURES:
        lines.append(f"- … and {len(failing) - SHOWN_FAILURES} more failing gate(s)")
    return "\n".join(lines)


def _counts(rows: Rows) -> str:
    counts, verified = outcome(rows).split("; ", 1)
    return f"**{counts}**; {verified}"
