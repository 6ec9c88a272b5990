"""Evaluate a gate's checks, combine them into one verdict, and say it in plain text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..definitions.mapping import MANUAL
from ..model import (
    ATTESTED,
    ERROR,
    FAILED,
    NOT_RUN,
    PASSED,
    SKIPPED,
    WAIVED,
    Check,
    CheckCouldNotRun,
    Gate,
    Outcome,
)
from ..model import MANUAL as MANUAL_STATUS
from ..project.context import CheckContext
from . import changed_only

SHOWN_FINDINGS = 10  # of each check, in every output meant to be read by a person
_SEVERITY = (ERROR, FAILED, SKIPPED, PASSED)
# Every status a gate can end with, in the order the terminal summary and the reports list them.
STATUSES = (PASSED, FAILED, ERROR, WAIVED, ATTESTED, MANUAL_STATUS, SKIPPED, NOT_RUN)


@dataclass(frozen=True)
class Verdict:
    """A gate's combined status and each of its checks' outcomes."""

    status: str
    summary: str
    outcomes: tuple[tuple[str, Outcome], ...] = ()
    # Set from agent-gates.yaml (attestations.apply): remarks about the gate as a whole, the
    # attestation or waiver that applies ({"kind", "by", "why", "state", ...}), and how to pass
    # when that differs from the usual advice.
    notes: tuple[str, ...] = ()
    review: Mapping[str, Any] | None = None
    advice: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "summary": self.summary,
            "measured": {check: outcome.measured for check, outcome in self.outcomes},
            "required": {check: outcome.required for check, outcome in self.outcomes},
            "findings": [
                {"check": check, **finding}
                for check, outcome in self.outcomes
                for finding in outcome.to_dict()["findings"]
            ],
            "notes": [note for _, outcome in self.outcomes for note in outcome.notes]
            + list(self.notes),
            "review": dict(self.review) if self.review else None,
        }


def evaluate(gate: Gate, checks: Mapping[str, Check], ctx: CheckContext) -> Verdict:
    if gate.checks == (MANUAL,):
        return Verdict(MANUAL_STATUS, f"manual: {gate.reason}")
    outcomes = tuple((check_id, _run(check_id, gate, checks, ctx)) for check_id in gate.checks)
    if ctx.options.get("changed"):
        outcomes = tuple((check, changed_only.limit(check, out, ctx)) for check, out in outcomes)
    status = min((outcome.status for _, outcome in outcomes), key=_SEVERITY.index)
    if len(outcomes) == 1:
        return Verdict(status, outcomes[0][1].summary, outcomes)
    summary = "; ".join(f"{check_id}: {outcome.summary}" for check_id, outcome in outcomes)
    return Verdict(status, summary, outcomes)


def _run(check_id: str, gate: Gate, checks: Mapping[str, Check], ctx: CheckContext) -> Outcome:
    check = checks.get(check_id)
    if check is None:
        return Outcome(ERROR, f"no check is registered with id {check_id!r} (rule {gate.rule})")
    if check.evaluate is None:
        return Outcome(ERROR, f"check {check_id!r} is registered without an evaluate function")
    try:
        return check.evaluate(gate.params, ctx)
    except CheckCouldNotRun as error:
        return Outcome(ERROR, f"{check_id} could not run: {error}")


def status_of(verdict: Verdict | None) -> str:
    """A gate's status in the outputs: its verdict's, or not-run when it was not evaluated."""
    return verdict.status if verdict else NOT_RUN


def machine_verified(gate: Gate, verdict: Verdict | None) -> bool:
    """A check decided the gate: passed, failed, or failed under a waiver; never a person's word."""
    return (
        verdict is not None
        and verdict.status in (PASSED, FAILED, WAIVED)
        and gate.checks != (MANUAL,)
    )


def explain(gate: Gate, verdict: Verdict) -> str:
    """The plain-text report of a gate that failed or errored: where, what, measured, evidence."""
    lines = [
        f"{gate.location}: [{gate.phase}] {gate.item.text}",
        f"  agent: {gate.agent}; under heading: {gate.item.heading or '(none)'}",
    ]
    for check_id, outcome in verdict.outcomes:
        lines.append(f"  {check_id}: {outcome.status} - {outcome.summary}")
        if outcome.status == FAILED and outcome.required not in (None, ""):
            lines.append(f"    measured {outcome.measured}, required {outcome.required}")
        for finding in outcome.findings[:SHOWN_FINDINGS]:
            lines.append(f"    {finding}")
        if len(outcome.findings) > SHOWN_FINDINGS:
            lines.append(f"    ... and {len(outcome.findings) - SHOWN_FINDINGS} more")
        lines.extend(f"    note: {note}" for note in outcome.notes)
    lines.extend(f"  note: {note}" for note in verdict.notes)
    if verdict.advice:
        lines.append(verdict.advice)
    elif verdict.status == FAILED:
        lines.append(
            "  To pass: fix what is listed, or change the promise in the agent definition."
        )
        lines.append(
            f"  To waive it for a while: a waiver for {gate.id} in agent-gates.yaml "
            "(by, why, expires)."
        )
    return "\n".join(lines)
