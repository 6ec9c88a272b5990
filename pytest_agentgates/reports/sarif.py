"""The gate findings as SARIF 2.1.0: one rule per check id, one result per finding."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..checks.verdict import Verdict
from ..model import ERROR, FAILED, Check, Gate
from .provenance import repository_path
from .report_facts import Rows

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
ROOT = "SRCROOT"
# SARIF level of the results of a gate, by the gate's status. A check that failed inside a gate
# whose verdict is not a failure (e.g. accepted by a waiver) is reported as a note.
LEVELS = {FAILED: "error"}
OTHER_LEVEL = "note"


def build(rows: Rows, checks: Mapping[str, Check], root: Path, prefix: str = "") -> dict[str, Any]:
    """The SARIF log of a run. ``prefix`` turns rootdir-relative paths into ``root``-relative ones."""
    used = sorted(
        {check_id for _, entries in rows for _, gate, _ in entries for check_id in gate.checks}
    )
    index = {check_id: position for position, check_id in enumerate(used)}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for _, entries in rows:
        for _, gate, verdict in entries:
            if verdict is not None:
                results += _results(gate, verdict, index, prefix)
                notifications += _notifications(gate, verdict, prefix)
    run = {
        "tool": {
            "driver": {
                "name": "pytest-agentgates",
                "version": __version__,
                "rules": [_rule(check_id, checks.get(check_id)) for check_id in used],
            }
        },
        "originalUriBaseIds": {ROOT: {"uri": root.resolve().as_uri().rstrip("/") + "/"}},
        "invocations": [
            {"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}
        ],
        "results": results,
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def write(path: Path, log: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(log, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _rule(check_id: str, check: Check | None) -> dict[str, Any]:
    description = (check.description if check else "") or f"the {check_id} check"
    rule: dict[str, Any] = {
        "id": check_id,
        "shortDescription": {"text": description},
        "defaultConfiguration": {"level": "error"},
    }
    if check is not None:
        rule["properties"] = {"phase": check.phase}
    return rule


def _results(gate: Gate, verdict: Verdict, index: Mapping[str, int], prefix: str) -> list[dict]:
    level = LEVELS.get(verdict.status, OTHER_LEVEL)
    definition = _location(
        repository_path(prefix, gate.path), gate.item.line, f"the promise: {gate.item.text}"
    )
    properties = {"agent": gate.agent, "phase": gate.phase, "promise": gate.item.text,
                  "gateStatus": verdict.status}  # fmt: skip
    results = []
    for check_id, outcome in verdict.outcomes:
        if outcome.status != FAILED:
            continue
        base = {"ruleId": check_id, "ruleIndex": index[check_id], "level": level,
                "properties": properties}  # fmt: skip
        for finding in outcome.findings:
            results.append({
                **base,
                "message": {"text": f"{finding.code} {finding.message} (promise "
                            f"\"{gate.item.text}\", {gate.location})"},
                "locations": [_location(repository_path(prefix, finding.path), finding.line)],
                "relatedLocations": [{"id": 1, **definition}],
            })  # fmt: skip
        if not outcome.findings:
            text = f"{gate.item.text}: {outcome.summary}"
            if outcome.required not in (None, ""):
                text += f" (measured {outcome.measured}, required {outcome.required})"
            results.append({**base, "message": {"text": text}, "locations": [definition]})
    return results


def _notifications(gate: Gate, verdict: Verdict, prefix: str) -> list[dict[str, Any]]:
    """A check that could not run is a problem of the analysis, not a result about the code."""
    return [
        {
            "level": "error",
            "message": {"text": f"{gate.item.text}: {outcome.summary}"},
            "locations": [_location(repository_path(prefix, gate.path), gate.item.line)],
            "descriptor": {"id": check_id},
        }
        for check_id, outcome in verdict.outcomes
        if outcome.status == ERROR
    ]


def _location(path: str, line: int, message: str = "") -> dict[str, Any]:
    if Path(path).is_absolute():  # outside the repository: an absolute file URI
        artifact = {"uri": Path(path).as_uri()}
    else:
        artifact = {"uri": quote(path), "uriBaseId": ROOT}
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if line >= 1:
        physical["region"] = {"startLine": line}
    location: dict[str, Any] = {"physicalLocation": physical}
    if message:
        location["message"] = {"text": message}
    return location
