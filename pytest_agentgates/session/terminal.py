"""The ``agent gates`` section of the terminal summary."""

from __future__ import annotations

from collections import Counter

from ..checks.verdict import STATUSES, machine_verified, status_of
from ..model import ATTESTED, ERROR, FAILED, MANUAL, PHASES, SKIPPED, WAIVED


def summarise(terminalreporter, rows, left_out: int = 0) -> None:
    """``left_out``: gates --agent-gates-static did not run, since they need the test session."""
    if not rows:
        return
    write = terminalreporter.write_line
    terminalreporter.write_sep("=", "agent gates")
    verified = total = 0
    for agent, entries in rows:
        write(f"{agent.name} ({agent.path})")
        if not entries:
            write("  no gate items selected")
        for phase in PHASES:
            statuses = Counter(status_of(verdict) for _, gate, verdict in entries
                               if gate.phase == phase)  # fmt: skip
            if not statuses:
                continue
            counts = ", ".join(f"{statuses[s]} {s}" for s in STATUSES if statuses[s])
            write(f"  {phase:<15} {counts}")
        verified += sum(1 for _, gate, verdict in entries if machine_verified(gate, verdict))
        total += len(entries)
        for _, gate, verdict in entries:
            if verdict and verdict.status in (FAILED, ERROR):
                write(_gate_line(verdict.status, gate), red=True)
            elif verdict and verdict.review and verdict.status != ATTESTED:
                _review_lines(write, gate, verdict)  # waived, waiver unneeded, stale attestation
            elif verdict and terminalreporter.verbosity > 0:
                write(_gate_line(verdict.status, gate, verdict.summary))
    write(f"{verified} of {total} promises machine-verified")
    if left_out:
        write(f"static run: {left_out} more promise(s) need the test session and were not checked")
    statuses = {verdict.status for _, entries in rows for _, _, verdict in entries if verdict}
    if WAIVED in statuses:
        write("waived: failing, accepted until the waiver in agent-gates.yaml expires")
    if ATTESTED in statuses:
        write("attested: manual promises a person vouched for; not machine-verified")
    if MANUAL in statuses:
        write("manual: no repository evidence can prove these; a person has to confirm them")
    if SKIPPED in statuses:
        write("skipped: their check does not apply here")
    if statuses & {MANUAL, SKIPPED} and not set("sa") & set(
        terminalreporter.config.option.reportchars.lower()
    ):
        write("(-rs lists each one with its reason)")


def _gate_line(label: str, gate, summary: str = "") -> str:
    """``  STATUS path:line promise[: summary]``, the label padded so that the paths line up."""
    line = f"  {label.upper():<6} {gate.location} {gate.item.text}"
    return f"{line}: {summary}" if summary else line


def _review_lines(write, gate, verdict) -> None:
    if verdict.status == WAIVED:
        write(_gate_line(WAIVED, gate, verdict.summary), yellow=True)
    else:
        write(_gate_line("note", gate), yellow=True)
        for note in verdict.notes:
            write(f"         {note}")


def explain(terminalreporter, rows) -> None:
    """The ``explain`` section: every candidate line of each definition, gate or not, and why."""
    write = terminalreporter.write_line
    terminalreporter.write_sep("=", "agent gates: explain")
    for agent, entries in rows:
        gates = sum(1 for entry in entries if entry.gate is not None)
        write(f"{agent.name} ({agent.path}): {len(entries)} candidate lines, {gates} gates")
        for entry in entries:
            verdict = "GATE" if entry.gate is not None else "left"
            write(
                f"  {agent.path}:{entry.line} {verdict} {entry.text}", green=entry.gate is not None
            )
            write(f"      {entry.why}")


def lint(terminalreporter, rows) -> None:
    """The ``checklist lint`` section: promises nothing could verify, with rewrites that map."""
    write = terminalreporter.write_line
    terminalreporter.write_sep("=", "agent gates: checklist lint")
    count = 0
    for agent, found in rows:
        if not found:
            write(f"{agent.name} ({agent.path}): no manual promise worded vaguely")
            continue
        write(f"{agent.name} ({agent.path})")
        for vague in found:
            count += 1
            write(f"  {vague.gate.location} {vague.gate.item.text}")
            write(f"    vague: {', '.join(vague.words)}; nothing in it can be measured")
            if vague.rewrite:
                write(f'    rewrite: "{vague.rewrite}" (checked by {", ".join(vague.checks)})')
            else:
                write("    rewrite: none known; keep it manual and have a person attest it")
    write(
        f"{count} promise(s) nothing could verify (lint only: the outcome of the run is unchanged)"
    )
