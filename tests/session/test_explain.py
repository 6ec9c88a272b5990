"""--agent-gates-explain: every candidate line of each definition, gate or not, and why."""

from __future__ import annotations

import pytest

AGENT = """
    ---
    name: backend
    ---
    You are a backend engineer who MUST be used proactively.

    ## CI/CD Quality Gates

    **Deployment Blockers:**
    - Coverage below threshold
    - Lead time for changes: <1 hour

    ## Rules
    - Use type hints for all functions and classes
    - Consider caching

    ```python
    assert coverage > 90
    ```
    """
# Would fail if anything ran: collect-only must run neither the tests nor the gates.
FAILING = {"tests/test_app.py": "def test_bad():\n    assert False\n"}


def test_explain_with_collect_only_lists_every_candidate_and_runs_nothing(pytester, project):
    project(AGENT, FAILING)
    result = pytester.runpytest("--agent-gates", "--agent-gates-explain", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.no_fnmatch_line("*passed*")
    result.stdout.no_fnmatch_line("*failed*")
    result.stdout.fnmatch_lines([
        "*= agent gates: explain =*",
        "backend (.claude/agents/backend.md): 6 candidate lines, 2 gates",
        "  .claude/agents/backend.md:4 left You are a backend engineer who MUST be used proactively",
        "      prose; left out: role: a role sentence about the agent, *",
        "  .claude/agents/backend.md:9 GATE Coverage below threshold",
        "      refusal-list under 'Deployment Blockers' (negative: *); "
        "rule test-coverage -> coverage ?deployment?",  # fnmatch: [] is a class
        "  .claude/agents/backend.md:10 left Lead time for changes: <1 hour",
        "      refusal-list under 'Deployment Blockers' (negative: *); left out: kpi: *",
        "  .claude/agents/backend.md:13 GATE Use type hints for all functions and classes",
        "      prose under 'Rules' (imperative); rule type-hints -> type-hints ?implementation?",
        "  .claude/agents/backend.md:14 left Consider caching",
        "      prose under 'Rules'; left out: prose without must/always/never, *",
        "  .claude/agents/backend.md:16 left ```python",
        "      code fence: code and templates are never promises (lines 16-18)",
    ])  # fmt: skip


def test_without_the_option_there_is_no_explain_section(pytester, project):
    project(AGENT, FAILING)
    result = pytester.runpytest("--agent-gates", "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.no_fnmatch_line("*agent gates: explain*")


def test_explain_covers_only_the_selected_agents(pytester, project):
    project(AGENT, FAILING)
    (pytester.path / ".claude/agents/frontend.md").write_text(
        "---\nname: frontend\n---\n## Definition of Done\n- UI is clean\n", encoding="utf-8"
    )
    result = pytester.runpytest(
        "--agent-gates", "--agent-gates-explain", "--collect-only", "--agent-gates-agent=frontend"
    )
    result.stdout.fnmatch_lines(
        ["frontend (.claude/agents/frontend.md): 1 candidate lines, 1 gates"]
    )
    result.stdout.no_fnmatch_line("backend (*): * candidate lines*")
