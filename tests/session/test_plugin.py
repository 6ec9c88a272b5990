"""Plugin behaviour through pytester: options, collection, reporting, exit codes, hooks."""

from __future__ import annotations

import json
import textwrap

import pytest

DONE = """
    ---
    name: backend
    ---

    ## Definition of Done
    - All tests pass
    - No linter warnings
    - Customers are delighted
    - Performance tests meet requirements
    """
PASSING_TEST = {"tests/test_app.py": "def test_ok():\n    assert True\n"}
# lint needs code to read: with none it could not run (an error), so the lint tests bring some
WITH_SOURCE = {**PASSING_TEST, "app.py": '"""The app."""\n'}


def test_installed_but_not_enabled_changes_nothing(pytester, project):
    project(DONE, PASSING_TEST)
    result = pytester.runpytest("-rA")
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*agent gates*")
    result.stdout.no_fnmatch_line("*backend.md*")


def test_node_ids_marker_and_keywords(pytester, project):
    project(DONE, PASSING_TEST)
    result = pytester.runpytest("--agent-gates", "--collect-only", "-q", "-m", "agent_gate")
    result.stdout.fnmatch_lines(
        [
            ".claude/agents/backend.md::done::all-tests-pass",
            ".claude/agents/backend.md::done::no-linter-warnings",
            ".claude/agents/backend.md::done::customers-are-delighted",
            ".claude/agents/backend.md::done::performance-tests-meet-requirements",
            "4/5 tests collected (1 deselected)*",
        ]
    )
    by_check = pytester.runpytest("--agent-gates", "--collect-only", "-q", "-k", "lint")
    by_check.stdout.fnmatch_lines([".claude/agents/backend.md::done::no-linter-warnings", "1/5 *"])


def test_gates_collected_whatever_test_paths_are_given(pytester, project):
    project(DONE, PASSING_TEST, ini='testpaths = ["tests"]')
    for args in ([], ["tests/test_app.py::test_ok"], ["tests"]):
        result = pytester.runpytest("--agent-gates", "--collect-only", "-q", *args)
        result.stdout.fnmatch_lines(["*5 tests collected*"])


def test_passing_failing_manual_and_pending_gates(pytester, project):
    project(DONE, {**PASSING_TEST, "app.py": "import os\n"})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(passed=2, failed=2, skipped=1)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*.claude/agents/backend.md:7: [[]done[]] No linter warnings",
            "*lint: failed - ruff found 1 problem(s) under ruff's default rules (no project configuration)",
            "*app.py:1 F401 *os* imported but unused",
            "*performance: failed - no performance tests found*",
            "SKIPPED [[]1[]] .claude/agents/backend.md:8: manual: no catalog rule matches this wording",
        ]
    )
    result.stdout.no_fnmatch_line("*Traceback*")
    result.stdout.no_fnmatch_line("*def runtest*")
    result.stdout.fnmatch_lines(
        [
            "*= agent gates =*",
            "backend (.claude/agents/backend.md)",
            "  done            1 passed, 2 failed, 1 manual",
            "  FAILED .claude/agents/backend.md:7 No linter warnings",
            "  FAILED .claude/agents/backend.md:9 Performance tests meet requirements",
            "3 of 4 promises machine-verified",
        ]
    )


def test_tests_pass_gate_fails_with_the_failing_tests(pytester, project):
    project(DONE, {"tests/test_app.py": "def test_bad():\n    assert False\n"})
    result = pytester.runpytest("--agent-gates", "-k", "test_bad or all-tests-pass")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        ["*tests did not all pass: 0 passed, 1 failed*", "*tests/test_app.py:1 FAILED*test_bad"]
    )


def test_tests_pass_needs_at_least_one_test(pytester, project):
    project(DONE)
    result = pytester.runpytest("--agent-gates", "-k", "all-tests-pass")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no test ran in this session*"])


def test_a_check_that_cannot_run_is_an_error_not_a_pass(pytester, project):
    project("## Definition of Done\n- No security-scanner warnings\n")  # no source to scan
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*security-scan could not run: no project source found*"])


def test_json_report_and_junit_xml(pytester, project):
    project(DONE, WITH_SOURCE)
    result = pytester.runpytest(
        "--agent-gates", "--agent-gates-json=out/gates.json", "--junitxml=junit.xml"
    )
    result.assert_outcomes(passed=3, failed=1, skipped=1)
    report = json.loads((pytester.path / "out" / "gates.json").read_text(encoding="utf-8"))
    assert report["schema"] == "pytest-agentgates/1"
    (agent,) = report["agents"]
    assert (agent["name"], agent["path"], agent["warnings"]) == (
        "backend",
        ".claude/agents/backend.md",
        [],
    )
    first = agent["items"][0]
    assert first == {
        "nodeid": ".claude/agents/backend.md::done::all-tests-pass",
        "line": 6,
        "heading": "Definition of Done",
        "phase": "done",
        "text": "All tests pass",
        "checks": ["tests-pass"],
        "params": {},
        "rule": "tests-passing",
        "status": "passed",
        "summary": "all tests passed: 1 passed, 0 failed, 0 errors",
        "measured": {"tests-pass": "1 passed, 0 failed, 0 errors"},
        "required": {"tests-pass": "no failures"},
        "findings": [],
        "notes": [],
        "review": None,
    }
    assert [item["status"] for item in agent["items"]] == ["passed", "passed", "manual", "failed"]
    assert report["totals"] == {
        "passed": 2, "failed": 1, "error": 0, "waived": 0, "attested": 0, "manual": 1,
        "skipped": 0, "not-run": 0, "total": 4, "machine_verified": 3,
    }  # fmt: skip
    junit = (pytester.path / "junit.xml").read_text(encoding="utf-8")
    assert (
        'name="all-tests-pass"' in junit and 'classname=".claude.agents.backend.md.done"' in junit
    )


def test_selection_by_agent_and_phase(pytester, project):
    project(
        textwrap.dedent(DONE) + "\n## Testing Phase Validation\n- [ ] Unit tests cover the code\n",
        PASSING_TEST,
    )
    result = pytester.runpytest(
        "--agent-gates", "--collect-only", "-q", "--agent-gates-phase=testing"
    )
    result.stdout.fnmatch_lines(["*::testing::unit-tests-cover-the-code", "2 tests collected*"])
    nobody = pytester.runpytest(
        "--agent-gates", "--collect-only", "-q", "--agent-gates-agent=frontend"
    )
    nobody.stdout.fnmatch_lines(["  no gate items selected", "*", "1 test collected*"])


def test_ini_settings_and_the_command_line_wins(pytester, project):
    project(DONE, PASSING_TEST, ini='agent_gates = true\nagent_gates_phase = ["testing"]')
    from_ini = pytester.runpytest("--collect-only", "-q")
    from_ini.stdout.fnmatch_lines(["1 test collected*"])  # the phase filter leaves no gate
    from_cli = pytester.runpytest("--collect-only", "-q", "--agent-gates-phase=done")
    from_cli.stdout.fnmatch_lines(["5 tests collected*"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--agent-gates-phase=tests"],
            "ERROR: --agent-gates-phase: 'tests' is not a phase; use one of*",
        ),
        (
            ["--agent-gates-definitions=nowhere/*.md"],
            "ERROR: --agent-gates-definitions: no agent definition matches*",
        ),
        (
            ["--agent-gates-catalog=missing.yaml"],
            "ERROR: --agent-gates-catalog: catalog file not found: missing.yaml",
        ),
    ],
)
def test_usage_errors_name_the_option(pytester, project, args, message):
    project(DONE, PASSING_TEST)
    result = pytester.runpytest("--agent-gates", *args)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([message])
    result.stderr.no_fnmatch_line("*Traceback*")


def test_no_definitions_at_all_is_an_error_not_a_silent_pass(pytester):
    pytester.makepyfile(test_x="def test_x():\n    pass\n")
    result = pytester.runpytest("--agent-gates")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: --agent-gates: no agent definitions found (looked for .claude/agents/*.md, agents/*.md*"
        ]
    )


def test_bad_catalog_is_a_usage_error_naming_file_and_rule(pytester, project):
    project(
        DONE,
        {
            "team.yaml": "schema: pytest-agentgates-catalog/1\nrules:\n  - id: r\n    checks: [lint]\n    match: ['(']\n"
        },
    )
    result = pytester.runpytest("--agent-gates", "--agent-gates-catalog=team.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: agent gates catalog: */team.yaml: rule 'r': bad regular expression*"]
    )


def test_broken_front_matter_warns_once_with_file_and_line(pytester, project):
    project(
        "---\nname: backend\ndescription: Use when: it breaks\n---\n## Definition of Done\n- All tests pass\n",
        PASSING_TEST,
    )
    result = pytester.runpytest(
        "--agent-gates", "-W", "default::pytest_agentgates.AgentGatesWarning"
    )
    result.assert_outcomes(passed=2, warnings=1)
    result.stdout.fnmatch_lines(
        ["*.claude/agents/backend.md:3: AgentGatesWarning: front matter is not valid YAML*"]
    )


def test_project_catalog_rules_come_first(pytester, project):
    project(DONE, {**WITH_SOURCE, "team.yaml": """
        schema: pytest-agentgates-catalog/1
        rules:
          - id: delight
            checks: [lint]
            match: ['delighted']
        """})  # fmt: skip
    result = pytester.runpytest(
        "--agent-gates", "--agent-gates-catalog=team.yaml", "-k", "delighted"
    )
    result.assert_outcomes(passed=1)


def test_third_party_checks_and_catalogs_through_the_plugin_hooks(pytester, project):
    project(DONE, {**PASSING_TEST, "conftest.py": """
        from pathlib import Path

        from pytest_agentgates.model import FAILED, Check, Outcome


        def pytest_agentgates_register_checks(config):
            def evaluate(params, ctx):
                return Outcome(FAILED, "nobody is delighted", 0, params["level"])

            return [Check("delight", "done", evaluate, {"level": 11})]


        def pytest_agentgates_catalogs(config):
            return [Path(__file__).parent / "delight.yaml"]
        """, "delight.yaml": """
        schema: pytest-agentgates-catalog/1
        rules:
          - id: delight
            checks: [delight]
            match: ['delighted']
        """})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-k", "delighted")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*delight: failed - nobody is delighted", "*measured 0, required 11"]
    )
