"""--agent-gates-static: the gates the project's files decide, with no test run and no measurement."""

from __future__ import annotations

AGENT = """
    ---
    name: backend
    ---

    ## Definition of Done
    - No TODO comments left in the code
    - All tests pass
    - 80%+ test coverage
    """
FILES = {
    "app/__init__.py": "",
    "app/core.py": "def greet():\n    return 'hi'\n",
    "tests/test_core.py": "def test_would_fail_if_run():\n    assert False\n",
}
# Loaded after measurement would have started: proves nothing measures (in a process of its own,
# since an in-process run of another test may leave a measurement behind).
PROBE = "import coverage\n\nassert coverage.Coverage.current() is None, 'coverage is measuring'\n"


def test_static_runs_no_test_measures_nothing_and_says_what_it_left_out(pytester, project):
    project(AGENT, {**FILES, "conftest.py": PROBE}, ini='testpaths = ["tests"]')
    result = pytester.runpytest_subprocess("--agent-gates", "--agent-gates-static")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "1 of 1 promises machine-verified",
            "static run: 2 more promise(s) need the test session and were not checked",
        ]
    )
    # Without the flag, the same project runs its failing test and measures coverage.
    full = pytester.runpytest_subprocess("--agent-gates")
    assert full.ret != 0
    full.stderr.fnmatch_lines(["*AssertionError: coverage is measuring*"])


def test_a_static_failure_fails_the_run(pytester, project):
    files = {**FILES, "app/core.py": "def greet():\n    return 'hi'  # TODO: localise\n"}
    project(AGENT, files)
    result = pytester.runpytest("--agent-gates", "--agent-gates-static")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*app/core.py:2 TODO*"])


def test_waivers_of_gates_the_static_run_leaves_out_are_not_reported_as_gone(pytester, project):
    project(AGENT, FILES)
    (pytester.path / "agent-gates.yaml").write_text(
        "waivers:\n"
        "  - item: .claude/agents/backend.md::done::80-test-coverage\n"
        "    by: Sam Lead\n    why: measured in the nightly job\n    expires: 2099-12-31\n",
        encoding="utf-8",
    )
    result = pytester.runpytest(
        "--agent-gates", "--agent-gates-static", "-W", "error::pytest_agentgates.AgentGatesWarning"
    )
    result.assert_outcomes(passed=1)
    result.stdout.no_fnmatch_line("*no longer*")
