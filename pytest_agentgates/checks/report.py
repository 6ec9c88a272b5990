"""The report check: the Implementation Report of this very run was written."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import FAILED, PASSED, Outcome
from ..project.context import CheckContext

# Evidence key: a callable the pytest layer provides when a report path is set. It writes the
# report as it stands (every other gate has been evaluated by then) and returns (path, text).
WRITER = "implementation-report"
REQUIRED = "written in this run"
HOW = "--agent-gates-report=PATH (or agent_gates_report in the ini file) writes one"


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    write = ctx.evidence.get(WRITER)
    if write is None:
        return Outcome(FAILED, f"no Implementation Report was written in this run; {HOW}",
                       "not written", REQUIRED)  # fmt: skip
    try:
        path, text = write()
        on_disk = path.read_text(encoding="utf-8")
    except OSError as error:
        return Outcome(FAILED, f"the Implementation Report could not be written: {error}",
                       "not written", REQUIRED)  # fmt: skip
    shown = ctx.relative(path)
    if on_disk != text:
        return Outcome(FAILED, f"{shown} does not hold the report this run wrote", "overwritten",
                       REQUIRED)  # fmt: skip
    return Outcome(
        PASSED,
        f"Implementation Report written to {shown} (rewritten at the end of the session with "
        "this gate's own verdict)",
        f"written to {shown}",
        REQUIRED,
    )
