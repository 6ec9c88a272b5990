"""Attestations and waivers in agent-gates.yaml: each state, strict mode, and the file's validation."""

from __future__ import annotations

import datetime as dt
import json
import textwrap

import pytest

from pytest_agentgates.checks import attestations
from pytest_agentgates.checks.verdict import Verdict
from pytest_agentgates.model import (
    ATTESTED,
    ERROR,
    FAILED,
    MANUAL,
    PASSED,
    SKIPPED,
    WAIVED,
    ChecklistItem,
    Gate,
)
from pytest_agentgates.project.project_config import ConfigError, ProjectConfig

DONE = """
    ---
    name: backend
    ---

    ## Definition of Done
    - All tests pass
    - No linter warnings
    - Requirements clearly defined and understood
    - Customers are delighted
    """
LINT_ID = ".claude/agents/backend.md::done::no-linter-warnings"
REQUIREMENTS_ID = ".claude/agents/backend.md::done::requirements-clearly-defined-and-understood"
DELIGHT_ID = ".claude/agents/backend.md::done::customers-are-delighted"
TESTS = {"tests/test_app.py": "def test_ok():\n    assert True\n"}
DIRTY = {**TESTS, "app.py": "import os\n"}  # ruff F401: the lint gate fails
CLEAN = {**TESTS, "app.py": "VALUE = 1\n"}
WARNINGS = ("-W", "default::pytest_agentgates.AgentGatesWarning")


def config(text: str) -> dict[str, str]:
    return {"agent-gates.yaml": textwrap.dedent(text).lstrip()}


def waiver(expires: str) -> dict[str, str]:
    return config(f"""
        waivers:
          - item: {LINT_ID}
            by: Ana
            why: ruff upgrade pending
            expires: {expires}
        """)


ATTESTED_REQUIREMENTS = config(f"""
    attestations:
      - item: {REQUIREMENTS_ID}
        promise: Requirements clearly defined and understood
        by: Bo
        date: 2025-01-10
        why: reviewed with the product owner in planning
    """)


def report(pytester) -> dict:
    return json.loads((pytester.path / "gates.json").read_text(encoding="utf-8"))


def items(pytester) -> dict[str, dict]:
    (agent,) = report(pytester)["agents"]
    return {item["nodeid"]: item for item in agent["items"]}


# --- waivers -----------------------------------------------------------------------------------
def test_an_active_waiver_makes_the_failing_gate_an_expected_failure(pytester, project):
    project(DONE, {**DIRTY, **waiver("2999-12-31")})
    result = pytester.runpytest("--agent-gates", "-rx", "--agent-gates-json=gates.json")
    result.assert_outcomes(passed=2, xfailed=1, skipped=2)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([
        "  done            1 passed, 1 waived, 2 manual",
        "  WAIVED .claude/agents/backend.md:7 No linter warnings: waived by Ana until 2999-12-31*",
        "2 of 4 promises machine-verified",
        "waived: failing, accepted until the waiver in agent-gates.yaml expires",
        f"XFAIL {LINT_ID} - waived by Ana until 2999-12-31: ruff upgrade pending",
    ])  # fmt: skip
    gate = items(pytester)[LINT_ID]
    assert gate["status"] == WAIVED
    assert gate["findings"][0]["code"] == "F401"  # the evidence is kept
    assert gate["notes"] == [
        "still failing: ruff found 1 problem(s) under ruff's default rules (no project configuration)"
    ]
    assert gate["review"] == {
        "kind": "waiver", "state": "active", "by": "Ana", "expires": "2999-12-31",
        "why": "ruff upgrade pending", "source": "agent-gates.yaml:2",
    }  # fmt: skip
    assert report(pytester)["totals"]["waived"] == 1


def test_an_expired_waiver_is_ignored_and_the_failure_says_so(pytester, project):
    project(DONE, {**DIRTY, **waiver("2000-01-31")})
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=gates.json")
    result.assert_outcomes(passed=2, failed=1, skipped=2)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*.claude/agents/backend.md:7: [[]done[]] No linter warnings",
        "*app.py:1 F401*",
        "  note: the waiver by Ana (*agent-gates.yaml:2) expired on 2000-01-31; it no longer applies",
        "  To pass: fix what is listed, or change the promise in the agent definition.",
    ])  # fmt: skip
    gate = items(pytester)[LINT_ID]
    assert (gate["status"], gate["review"]["state"]) == (FAILED, "expired")
    assert gate["summary"] == (
        "ruff found 1 problem(s) under ruff's default rules (no project configuration) "
        "(waiver expired on 2000-01-31)"
    )


def test_a_waived_gate_that_passes_says_the_waiver_can_go_even_with_xfail_strict(pytester, project):
    project(DONE, {**CLEAN, **waiver("2999-12-31")}, ini="xfail_strict = true")
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=gates.json")
    result.assert_outcomes(passed=3, skipped=2)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([
        "  NOTE   .claude/agents/backend.md:7 No linter warnings",
        "         the waiver by Ana (*agent-gates.yaml:2) can be removed: the gate passes now",
    ])  # fmt: skip
    gate = items(pytester)[LINT_ID]
    assert (gate["status"], gate["review"]["state"]) == (PASSED, "unneeded")


def test_without_a_waiver_the_failure_says_how_to_waive_it(pytester, project):
    project(DONE, DIRTY)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=2, failed=1, skipped=2)
    result.stdout.fnmatch_lines([
        f"  To waive it for a while: a waiver for {LINT_ID} in agent-gates.yaml (by, why, expires)."
    ])  # fmt: skip


def _gate(text: str, checks: tuple[str, ...] = ("lint",)) -> Gate:
    item = ChecklistItem(text=text, line=7, heading="Definition of Done", kind="gate-list")
    return Gate("backend", "agents/b.md", item, checks, {}, "done", "no-linter-warnings")


def test_a_waiver_applies_through_its_expiry_day_and_not_after():
    gate = _gate("No linter warnings")
    expires = dt.date(2030, 6, 30)
    ledger = attestations.Ledger(waivers={gate.id: attestations.Waiver(
        gate.id, "Ana", "upgrade", expires, "agent-gates.yaml:2")})  # fmt: skip
    failing = Verdict(FAILED, "ruff found 1 problem(s)")
    on_the_day = attestations.apply(ledger, gate, failing, today=expires)
    day_after = attestations.apply(ledger, gate, failing, today=expires + dt.timedelta(days=1))
    assert (on_the_day.status, day_after.status) == (WAIVED, FAILED)


@pytest.mark.parametrize(
    ("status", "state", "note"),
    [
        (ERROR, "unused", "does not cover a check that could not run"),
        (SKIPPED, "unused", "was not used: the gate was skipped"),
        (PASSED, "unneeded", "can be removed: the gate passes now"),
    ],
)
def test_a_waiver_covers_failures_only(status, state, note):
    gate = _gate("No linter warnings")
    ledger = attestations.Ledger(waivers={gate.id: attestations.Waiver(
        gate.id, "Ana", "upgrade", dt.date(2999, 1, 1), "agent-gates.yaml:2")})  # fmt: skip
    verdict = attestations.apply(ledger, gate, Verdict(status, "as it was"))
    assert (verdict.status, verdict.summary, verdict.review["state"]) == (
        status,
        "as it was",
        state,
    )
    assert verdict.notes == (f"the waiver by Ana (agent-gates.yaml:2) {note}",)


# --- attestations ------------------------------------------------------------------------------
def test_an_attested_manual_promise_is_attested_not_passed(pytester, project):
    project(DONE, {**CLEAN, **ATTESTED_REQUIREMENTS})
    result = pytester.runpytest("--agent-gates", "-rs", "--agent-gates-json=gates.json")
    result.assert_outcomes(passed=3, skipped=2)
    result.stdout.fnmatch_lines([
        "  done            2 passed, 1 attested, 1 manual",
        "2 of 4 promises machine-verified",
        "attested: manual promises a person vouched for; not machine-verified",
        "SKIPPED [[]1[]] .claude/agents/backend.md:8: attested by Bo on 2025-01-10: "
        "reviewed with the product owner in planning",
    ])  # fmt: skip
    gate = items(pytester)[REQUIREMENTS_ID]
    assert gate["status"] == ATTESTED
    assert gate["review"]["kind"] == "attestation" and gate["review"]["state"] == "valid"
    totals = report(pytester)["totals"]
    assert (totals["attested"], totals["manual"], totals["machine_verified"]) == (1, 1, 2)


def test_an_attestation_is_stale_once_the_promise_is_reworded_in_place(pytester, project):
    reworded = DONE.replace("defined and understood", "defined, and understood!")  # same node id
    project(reworded, {**CLEAN, **ATTESTED_REQUIREMENTS})
    result = pytester.runpytest("--agent-gates", "-rs", "--agent-gates-json=gates.json")
    result.assert_outcomes(passed=3, skipped=2)
    result.stdout.fnmatch_lines([
        "  NOTE   .claude/agents/backend.md:8 Requirements clearly defined, and understood!",
        "         the attestation by Bo on 2025-01-10 (*agent-gates.yaml:2) no longer applies: "
        "it vouches for 'Requirements clearly defined and understood', the promise now reads "
        "'Requirements clearly defined, and understood!'; attest the new wording",
        "SKIPPED [[]1[]] .claude/agents/backend.md:8: manual: a planning or review activity*"
        "(the attestation by Bo is stale: the promise was reworded)",
    ])  # fmt: skip
    gate = items(pytester)[REQUIREMENTS_ID]
    assert (gate["status"], gate["review"]["state"]) == (MANUAL, "stale")


def test_a_reworded_promise_with_a_new_id_still_names_the_attestation_it_lost(pytester, project):
    reworded = DONE.replace("defined and understood", "defined and signed off by product")
    project(reworded, {**CLEAN, **ATTESTED_REQUIREMENTS})
    result = pytester.runpytest("--agent-gates", *WARNINGS, "--agent-gates-json=gates.json")
    result.assert_outcomes(passed=3, skipped=2)
    result.stdout.fnmatch_lines(["*it vouches for 'Requirements clearly defined and understood',*"])
    result.stdout.no_fnmatch_line("*AgentGatesWarning*")  # reported on the item instead
    gate = items(pytester)[
        ".claude/agents/backend.md::done::requirements-clearly-defined-and-signed-off-by-product"
    ]
    assert (gate["status"], gate["review"]["state"]) == (MANUAL, "stale")


def test_strict_mode_fails_manual_promises_without_a_valid_attestation(pytester, project):
    project(DONE, {**CLEAN, **ATTESTED_REQUIREMENTS})
    result = pytester.runpytest("--agent-gates", "--agent-gates-strict", "-rs")
    result.assert_outcomes(passed=3, failed=1, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        ".claude/agents/backend.md:9: [[]done[]] Customers are delighted",
        "  manual: failed - not attested (--agent-gates-strict); "
        "manual: no catalog rule matches this wording",
        "  To pass: a person who checked it attests it in agent-gates.yaml:",
        "    attestations:",
        f"      - item: {DELIGHT_ID}",
        '        promise: "Customers are delighted"',
        "        by: <name>",
        f"        date: {dt.date.today().isoformat()}",
        "        why: <how it was checked>",
        "2 of 4 promises machine-verified",  # a strict-mode failure is no check's verdict
        "SKIPPED [[]1[]] .claude/agents/backend.md:8: attested by Bo on 2025-01-10*",
    ])  # fmt: skip


def test_strict_mode_fails_a_stale_attestation_and_says_why(pytester, project):
    reworded = DONE.replace("defined and understood", "defined, and understood!")
    project(reworded, {**CLEAN, **ATTESTED_REQUIREMENTS})
    result = pytester.runpytest("--agent-gates", "--agent-gates-strict", "-k", "requirements")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["  note: the attestation by Bo on 2025-01-10 * no longer applies*"]
    )


def test_entries_that_match_nothing_warn_with_file_and_line(pytester, project):
    project(DONE, {**DIRTY, **config(f"""
        attestations:
          - item: .claude/agents/backend.md::done::an-old-promise
            promise: An old promise
            by: Bo
            date: 2025-01-10
            why: checked
          - item: {LINT_ID}
            promise: No linter warnings
            by: Bo
            date: 2025-01-10
            why: I looked
        waivers:
          - item: {DELIGHT_ID}
            by: Ana
            why: later
            expires: 2999-01-01
          - item: agents/gone.md::done::x
            by: Ana
            why: later
            expires: 2999-01-01
        """)})  # fmt: skip
    result = pytester.runpytest("--agent-gates", *WARNINGS)
    result.assert_outcomes(passed=2, failed=1, skipped=2, warnings=4)
    result.stdout.fnmatch_lines([
        "*agent-gates.yaml:2: AgentGatesWarning: no promise has the id "
        ".claude/agents/backend.md::done::an-old-promise (reworded, moved or removed?)*",
        f"*agent-gates.yaml:7: AgentGatesWarning: {LINT_ID} is checked by lint, not manual: "
        "attestations are for manual promises*",
        f"*agent-gates.yaml:13: AgentGatesWarning: {DELIGHT_ID} is manual: a waiver is for a "
        "failing check; attest a manual promise instead",
        "*agent-gates.yaml:17: AgentGatesWarning: agents/gone.md::done::x: there is no agent "
        "definition agents/gone.md",
    ], consecutive=False)  # fmt: skip


def test_with_warnings_as_errors_an_unmatched_entry_is_a_usage_error(pytester, project):
    project(DONE, {**CLEAN, **config("""
        waivers:
          - {item: agents/gone.md::done::x, by: Ana, why: later, expires: 2999-01-01}
        """)}, ini='filterwarnings = ["error"]')  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([
        "ERROR: agent gates configuration: agent-gates.yaml:2: agents/gone.md::done::x: "
        "there is no agent definition agents/gone.md"
    ])  # fmt: skip
    result.stdout.no_fnmatch_line("*INTERNALERROR*")


def test_entries_of_agents_or_phases_left_out_of_the_run_are_not_problems(pytester, project):
    project(DONE, {**CLEAN, **config("""
        attestations:
          - item: .claude/agents/frontend.md::done::designs-approved
            promise: Designs approved
            by: Bo
            date: 2025-01-10
            why: checked
          - item: .claude/agents/backend.md::design::an-old-design-promise
            promise: An old design promise
            by: Bo
            date: 2025-01-10
            why: checked
        """)})  # fmt: skip
    (pytester.path / ".claude/agents/frontend.md").write_text(
        "---\nname: frontend\n---\n## Definition of Done\n- Designs approved by product\n",
        encoding="utf-8",
    )
    filtered = ("--agent-gates-agent=backend", "--agent-gates-phase=done")
    result = pytester.runpytest("--agent-gates", *WARNINGS, *filtered)
    result.assert_outcomes(passed=3, skipped=2)
    result.stdout.no_fnmatch_line("*AgentGatesWarning*")
    unfiltered = pytester.runpytest("--agent-gates", *WARNINGS)
    unfiltered.stdout.fnmatch_lines(["*agent-gates.yaml:7: AgentGatesWarning: no promise has*"])


def test_a_configuration_file_named_on_the_command_line(pytester, project):
    project(DONE, {**CLEAN, "ci/gates.yaml": ATTESTED_REQUIREMENTS["agent-gates.yaml"]})
    result = pytester.runpytest("--agent-gates", "--agent-gates-config=ci/gates.yaml", "-rs")
    result.stdout.fnmatch_lines(["*backend.md:8: attested by Bo on 2025-01-10*"])


def test_waivers_and_attestations_hold_under_xdist(pytester, project):
    project(DONE, {**DIRTY, **waiver("2999-12-31"), **ATTESTED_REQUIREMENTS})
    (pytester.path / "agent-gates.yaml").write_text(
        textwrap.dedent(f"""
            waivers:
              - {{item: {LINT_ID}, by: Ana, why: later, expires: 2999-12-31}}
            attestations:
              - item: {REQUIREMENTS_ID}
                promise: Requirements clearly defined and understood
                by: Bo
                date: 2025-01-10
                why: reviewed
            """),
        encoding="utf-8",
    )  # fmt: skip
    result = pytester.runpytest_subprocess("--agent-gates", "-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, xfailed=1, skipped=2)
    result.stdout.fnmatch_lines(["  done            1 passed, 1 waived, 1 attested, 1 manual"])


# --- validation of the file --------------------------------------------------------------------
ENTRY = f"""\
attestations:
  - item: {DELIGHT_ID}
    promise: Customers are delighted
    by: Bo
    date: 2025-01-10
    why: survey
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (ENTRY.replace("    promise: Customers are delighted\n", ""),
         "agent-gates.yaml:2: attestation 1: missing promise ('promise' is the promise's text as "
         "attested: a reworded promise is no longer attested)"),
        (ENTRY + ENTRY[len("attestations:\n"):].replace("2025-01-10", "10/01/2025"),
         "agent-gates.yaml:7: attestation 2: 'date' must be a date written YYYY-MM-DD, not '10/01/2025'"),
        (ENTRY.replace("2025-01-10", "2025-13-01"),
         "agent-gates.yaml:2: attestation 1: 'date' must be a date written YYYY-MM-DD, not '2025-13-01'"),
        (ENTRY + ENTRY[len("attestations:\n"):],
         f"agent-gates.yaml:7: a second attestation for {DELIGHT_ID} (the first is at *agent-gates.yaml:2)"),
        (ENTRY.replace(DELIGHT_ID, "customers-are-delighted"),
         "agent-gates.yaml:2: attestation 1: 'item' must be <definition path>::<phase>::<slug>, "
         "the gate's node id; got 'customers-are-delighted'"),
        (ENTRY.replace("::done::", "::later::"),
         "agent-gates.yaml:2: attestation 1: 'item' *: 'later' is not a phase (design, *)"),
        (ENTRY.replace("why: survey", "why: 42"),
         "agent-gates.yaml:2: attestation 1: 'why' must be text, not 42"),
        ("waivers:\n  - item: a.md::done::x\n    by: Ana\n    why: later\n    expiry: 2030-01-01\n",
         "agent-gates.yaml:2: waiver 1: unknown key(s) expiry; expected item, by, why, expires"),
        ("waivers:\n  item: a.md::done::x\n",
         "agent-gates.yaml:1: 'waivers' must be a list of waiver entries"),
        ("waivers:\n  - just a string\n",
         "agent-gates.yaml:2: waiver 1: must be a mapping with item, by, why, expires"),
    ],
)  # fmt: skip
def test_a_malformed_entry_is_a_usage_error_naming_file_and_line(pytester, project, text, message):
    project(DONE, {**TESTS, "agent-gates.yaml": text})
    result = pytester.runpytest("--agent-gates")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"ERROR: agent gates configuration: */{message}"])
    result.stderr.no_fnmatch_line("*Traceback*")


def test_dates_read_as_text_or_as_yaml_dates_alike():
    config = ProjectConfig(None, {"waivers": [
        {"item": "a.md::done::x", "by": "A", "why": "w", "expires": dt.date(2030, 1, 2)},
        {"item": "a.md::done::y", "by": "A", "why": "w", "expires": "2030-01-02"},
    ]})  # fmt: skip
    first, second = attestations.read(config).waivers
    assert first.expires == second.expires == dt.date(2030, 1, 2)
    with pytest.raises(ConfigError, match="'expires' must be a date"):
        attestations.read(ProjectConfig(None, {"waivers": [{**config.data["waivers"][0],
                                                            "expires": True}]}))  # fmt: skip
