"""A gate's verdict as name/value pairs, which JUnit XML carries as the test case's properties."""

from __future__ import annotations

from ..checks.verdict import Verdict
from ..model import Gate

PREFIX = "agent_gate"


def properties(gate: Gate, verdict: Verdict) -> list[tuple[str, str]]:
    """The agent, phase, promise, status, check ids, and each check's measured and required values."""
    pairs = [
        (f"{PREFIX}.agent", gate.agent),
        (f"{PREFIX}.phase", gate.phase),
        (f"{PREFIX}.definition", gate.location),
        (f"{PREFIX}.status", verdict.status),
        (f"{PREFIX}.checks", ",".join(gate.checks)),
    ]
    for check_id, outcome in verdict.outcomes:
        pairs.append((f"{PREFIX}.{check_id}.status", outcome.status))
        for name, value in (("measured", outcome.measured), ("required", outcome.required)):
            if value not in (None, ""):
                pairs.append((f"{PREFIX}.{check_id}.{name}", str(value)))
    return pairs
