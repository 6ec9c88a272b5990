"""The error-handling check: no bare or blind ``except``, no swallowed exception (ruff's E722,
BLE001, S110, S112); and, when the promise's words ask for chaining (``chained``), exceptions
raised inside ``except`` chained with ``from`` (B904)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from ..model import FAILED, PASSED, Finding, Outcome
from ..project.context import CheckContext
from .code_sites import line_text, parsed_sources, waived
from .ruff_run import ERROR_RULES, results_for

KINDS = {
    "E722": "bare except",
    "BLE001": "blind except",
    "S110": "swallowed (except: pass)",
    "S112": "swallowed (except: continue)",
    "B904": "raise without from",
}


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    sources = parsed_sources(ctx)
    results = sorted(
        results_for(ctx, ERROR_RULES, set(sources)),
        key=lambda r: (r.relative, r.line, ERROR_RULES.index(r.code)),
    )
    if not params.get("chained"):  # chaining is a sub-rule: only when the words ask for it
        results = [result for result in results if result.code != "B904"]
    places: dict[tuple[str, int], list] = {}
    for result in results:
        if result.code.startswith("S") and waived(
            line_text(sources[result.relative], result.line), "B" + result.code[1:]
        ):
            continue  # bandit's own waiver for the same rule (B110/B112)
        places.setdefault((result.relative, result.line), []).append(result)
    if not places:
        return Outcome(PASSED, f"no bare, blind or swallowed except in {len(sources)} module(s)",
                       0, 0)  # fmt: skip
    findings = []
    for (path, line), found in places.items():
        also = [result.code for result in found[1:]]
        suffix = f" (also {', '.join(also)})" if also else ""
        findings.append(Finding(path, line, found[0].code, found[0].message + suffix))
    kinds = Counter(KINDS[result.code] for found in places.values() for result in found)
    detail = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    return Outcome(FAILED, f"{len(places)} place(s) mishandle exceptions: {detail}", len(places),
                   0, tuple(findings))  # fmt: skip
