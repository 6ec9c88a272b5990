"""The ``agent gates`` section of the terminal summary."""

from __future__ import annotations

from collections import Counter

from .model import ERROR, FAILED, MANUAL, NOT_RUN, PASSED, PHASES, SKIPPED

COLUMNS = (PASSED, FAILED, ERROR, MANUAL, SKIPPED)


def summarise(terminalreporter, rows) -> None:
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
            statuses = Counter(verdict.status if verdict else NOT_RUN for _, gate, verdict in entries
                               if gate.phase == phase)  # fmt: skip
            if not statuses:
                continue
            counts = ", ".join(f"{statuses[s]} {s}" for s in (*COLUMNS, NOT_RUN) if statuses[s])
            write(f"  {phase:<15} {counts}")
        verified += sum(1 for _, _, v in entries if v and v.status in (PASSED, FAILED))
        total += len(entries)
        for _, gate, verdict in entries:
            if verdict and verdict.status in (FAILED, ERROR):
                write(f"  {verdict.status.upper():<6} {gate.location} {gate.item.text}", red=True)
            elif verdict and terminalreporter.verbosity > 0:
                write(
                    f"  {verdict.status.upper():<6} {gate.location} {gate.item.text}: {verdict.summary}"
                )
    write(f"{verified} of {total} promises machine-verified")
    statuses = {verdict.status for _, entries in rows for _, _, verdict in entries if verdict}
    if MANUAL in statuses:
        write("manual: no repository evidence can prove these; a person has to confirm them")
    if SKIPPED in statuses:
        write("skipped: their check does not apply here or is not available yet")
    if statuses & {MANUAL, SKIPPED} and not set("sa") & set(
        terminalreporter.config.option.reportchars.lower()
    ):
        write("(-rs lists each one with its reason)")
