"""``--agent-gates-changed``: file-level checks count only the findings in files changed against the base."""

from __future__ import annotations

from pathlib import Path

from ..model import ERROR, FAILED, PASSED, CheckCouldNotRun, Outcome
from ..project import gitdiff
from ..project.context import CheckContext

# Checks whose every finding is one file's own; the rest (coverage, tests, import cycles,
# routes, migrations, CI ...) judge the project as a whole and are left as they are.
FILE_CHECKS = frozenset(
    {
        "lint", "format", "security-scan", "type-hints", "injection", "secrets",
        "error-handling", "logging", "function-size", "stubs", "config-externalized",
    }
)  # fmt: skip


def changed_files(ctx: CheckContext) -> frozenset[str]:
    """Files changed against the session's base, relative to the rootdir (deleted ones not)."""

    def read() -> frozenset[str]:
        change = gitdiff.session_change(ctx)
        return frozenset(
            ctx.relative(Path(change.root) / name)
            for name in change.files
            if name not in change.deleted
        )

    return ctx.once("changed-files", read)


def limit(check_id: str, outcome: Outcome, ctx: CheckContext) -> Outcome:
    if check_id not in FILE_CHECKS or outcome.status != FAILED or not outcome.findings:
        return outcome
    try:
        changed = changed_files(ctx)
    except CheckCouldNotRun as error:
        return Outcome(ERROR, f"--agent-gates-changed: {error}")
    kept = tuple(finding for finding in outcome.findings if finding.path in changed)
    left = len(outcome.findings) - len(kept)
    if not left:
        return outcome
    base = gitdiff.shown_ref(gitdiff.session_change(ctx).base)
    note = (f"--agent-gates-changed: {left} finding(s) outside the {len(changed)} file(s) "
            f"changed against {base} not counted")  # fmt: skip
    measured = len(kept) if outcome.measured == len(outcome.findings) else outcome.measured
    if not kept:
        summary = f"no finding in the {len(changed)} file(s) changed against {base}"
        return Outcome(PASSED, summary, measured, outcome.required, (), (*outcome.notes, note))
    return Outcome(FAILED, f"{len(kept)} finding(s) in changed files; {outcome.summary}",
                   measured, outcome.required, kept, (*outcome.notes, note))  # fmt: skip
