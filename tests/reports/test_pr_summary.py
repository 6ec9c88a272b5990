"""The pull-request summary: changes against a base JSON report, failures with their first
findings, counts; the same text in the Implementation Report."""

from __future__ import annotations

import json

import pytest

from pytest_agentgates.reports import pr_summary

AGENT = """
    ---
    name: backend
    ---

    ## Definition of Done
    - No print statements
    - No TODO comments left in the code
    - Keep functions under 30 lines
    """
PRINTS = "def greet():\n    print('hi')\n"
LOGS = "import logging\n\n\ndef greet():\n    logging.getLogger(__name__).info('hi')\n"


def test_a_fixed_a_newly_failing_and_an_unchanged_gate_against_the_base_report(pytester, project):
    project(AGENT, {"app/__init__.py": "", "app/core.py": PRINTS})
    base = pytester.runpytest("--agent-gates", "--agent-gates-json=base.json")
    base.assert_outcomes(passed=2, failed=1)
    (pytester.path / "app" / "core.py").write_text("# TODO: retry\n" + LOGS, encoding="utf-8")

    result = pytester.runpytest(
        "--agent-gates", "--agent-gates-compare=base.json", "--agent-gates-report=report.md"
    )
    result.assert_outcomes(passed=2, failed=1)
    report = (pytester.path / "report.md").read_text(encoding="utf-8")
    summary = report.split("## Summary\n\n", 1)[1].split("\n## ", 1)[0]
    assert summary.startswith("### Changed against the base report\n\n")
    assert (
        "**Newly failing** (1)\n\n"
        "- `.claude/agents/backend.md:7` No TODO comments left in the code: passed → **failed**"
    ) in summary
    assert (
        "**Fixed** (1)\n\n- `.claude/agents/backend.md:6` No print statements: failed → passed"
    ) in summary
    assert "under 30 lines" not in summary.split("### Failures")[0]  # unchanged: not listed
    failures = summary.split("### Failures\n\n", 1)[1]
    assert failures.startswith(
        "- **failed** `.claude/agents/backend.md:7` [done] No TODO comments left in the code"
    )
    assert "  - `app/core.py:1` TODO" in failures
    assert summary.rstrip().endswith("**2 passed, 1 failed**; 3 of 3 promises machine-verified")


def test_gates_new_since_the_base_and_gone_from_it_are_listed(pytester, project, tmp_path):
    project(AGENT, {"app/__init__.py": "", "app/core.py": LOGS})
    pytester.runpytest("--agent-gates", "--agent-gates-json=base.json")
    agent = pytester.path / ".claude" / "agents" / "backend.md"
    agent.write_text(
        agent.read_text().replace("- Keep functions under 30 lines", "- No bare except clauses")
    )
    result = pytester.runpytest(
        "--agent-gates", "--agent-gates-compare=base.json", "--agent-gates-report=report.md"
    )
    result.assert_outcomes(passed=3)
    report = (pytester.path / "report.md").read_text(encoding="utf-8")
    assert "**New** (1)\n\n- `.claude/agents/backend.md:8` No bare except clauses: passed" in report
    assert (
        "**Removed** (1)\n\n- `.claude/agents/backend.md:8` Keep functions under 30 lines: "
        "was passed"
    ) in report
    assert "### Failures\n\nNo gate failed." in report


def test_nothing_changed_says_so():
    rows: list = []
    assert pr_summary.render(rows, {}).startswith(
        "### Changed against the base report\n\nNo gate changed state.\n\n### Failures"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "is not a JSON report"),
        (json.dumps({"schema": "other/1"}), "is not an agent-gates JSON report"),
        (json.dumps({"schema": "pytest-agentgates/1", "agents": [{"path": "a"}]}), "lacks"),
    ],
)
def test_an_unusable_base_report_is_a_usage_error_naming_the_option(
    pytester, project, content, message
):
    project(AGENT, {"app/__init__.py": "", "app/core.py": LOGS})
    if content is not None:
        (pytester.path / "base.json").write_text(content, encoding="utf-8")
    result = pytester.runpytest("--agent-gates", "--agent-gates-compare=base.json")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*--agent-gates-compare: *{message}*"])
    result.stderr.no_fnmatch_line("*Traceback*")
