"""Regressions found in review: each test fails if its fix is undone."""

from __future__ import annotations

import os

import pytest

DONE = "## Definition of Done\n- All tests pass\n"
PASSING = {"tests/test_ok.py": "def test_ok():\n    pass\n"}


def test_gates_run_last_even_when_a_conftest_reorders_after_the_plugin(pytester, project):
    project(DONE, {
        "tests/test_slow.py": "import pytest\n\n\n@pytest.mark.slow\ndef test_slow():\n    assert False\n",
        "tests/conftest.py": """
            import pytest


            def pytest_configure(config):
                config.addinivalue_line("markers", "slow: slow")


            @pytest.hookimpl(trylast=True)
            def pytest_collection_modifyitems(items):
                items.sort(key=lambda item: item.get_closest_marker("slow") is not None)
            """,
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(["*tests did not all pass: 0 passed, 1 failed*"])


def test_an_error_gate_prints_plain_text_without_a_traceback(pytester, project):
    project("## Definition of Done\n- No security-scanner warnings\n")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*backend.md:2: [[]done[]] No security-scanner warnings"])
    for noise in ("*CallInfo*", "*_pytest/*", "*pluggy/*", "*Traceback*"):
        result.stdout.no_fnmatch_line(noise)


def test_symlinked_agents_folder_reports_every_gate(pytester, project, tmp_path_factory):
    shared = tmp_path_factory.mktemp("shared-agents")
    (shared / "backend.md").write_text(DONE, encoding="utf-8")
    project("", PASSING)
    agents = pytester.path / ".claude" / "agents"
    (agents / "backend.md").unlink()
    agents.rmdir()
    os.symlink(shared, agents)
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=g.json")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["  done            1 passed", "1 of 1 promises machine-verified"])


def test_xdist_with_a_definition_named_on_the_command_line(pytester, project):
    project(DONE, PASSING)
    result = pytester.runpytest_subprocess(
        "--agent-gates", "-n", "2", ".claude/agents/backend.md", "tests"
    )
    result.assert_outcomes(passed=2)


def test_xdist_exitfirst_stops_between_gates(pytester, project):
    project(
        "## Definition of Done\n- No linter warnings\n- All tests pass\n",
        {**PASSING, "app.py": "import os\n"},
    )
    result = pytester.runpytest_subprocess("--agent-gates", "-n", "2", "-x")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.no_fnmatch_line("*[[][2-9][0-9][0-9]%[]]*")
    result.stdout.no_fnmatch_line("*warnings summary*")


def test_a_bad_parameter_pattern_in_a_catalog_is_a_usage_error(pytester, project):
    project(DONE, {"team.yaml": "schema: pytest-agentgates-catalog/1\nrules:\n  - id: r\n"
                   "    checks: [change-size]\n    match: [files]\n    params: {max_files: 'count:files('}\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "--agent-gates-catalog=team.yaml")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*rule 'r': bad regular expression in params 'count:files('*"])


def test_a_migration_that_does_not_parse_is_a_finding_not_a_pass(pytester, project):
    project("## Definition of Done\n- Always write migrations with a downgrade()\n", {
        "migrations/versions/a1.py": 'revision = "a1"\n\n\ndef upgrade(:\n    pass\n',
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*migrations/versions/a1.py:4 MIG000 cannot be read*"])


def test_an_untested_top_level_module_counts_against_coverage(pytester, project):
    project("## Definition of Done\n- 100% test coverage\n", {
        "pkg/__init__.py": "VALUE = 1\n",
        "app.py": "def main():\n    return 2\n",
        "tests/test_pkg.py": "import pkg\n\n\ndef test_value():\n    assert pkg.VALUE == 1\n",
    })  # fmt: skip
    result = pytester.runpytest_subprocess("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*line coverage 33.33%*(1 of 3 lines*",
            "*app.py:1 COVERAGE 0% of 2 lines covered; not run: 1-2",
        ]
    )


def test_bandit_skips_test_files_inside_packages(pytester, project):
    project("## Definition of Done\n- No security-scanner warnings\n", {
        "pkg/__init__.py": "VALUE = 1\n",
        "pkg/tests/test_pkg.py": "import pickle\n\n\ndef test_x(data):\n    return pickle.loads(data)\n",
        "pkg/test_other.py": "def run(text):\n    return eval(text)\n",
    })  # fmt: skip
    pytester.runpytest("--agent-gates", "-k", "security").assert_outcomes(passed=1)


def test_a_collection_error_fails_tests_pass(pytester, project):
    project(DONE, {**PASSING, "tests/test_broken.py": "import not_a_module_anywhere\n"})
    result = pytester.runpytest("--agent-gates", "--continue-on-collection-errors")
    result.assert_outcomes(passed=1, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*1 collection errors*", "*tests/test_broken.py:1 ERROR tests/test_broken.py"]
    )


def test_environment_variables_sit_between_command_line_and_ini(pytester, project, monkeypatch):
    project(
        DONE + "\n## Testing\n- [ ] 80% test coverage\n",
        PASSING,
        ini='agent_gates = true\nagent_gates_phase = ["testing"]',
    )
    monkeypatch.setenv("AGENT_GATES_PHASE", "done")
    pytester.runpytest("--collect-only", "-q").stdout.fnmatch_lines(
        ["*::done::all-tests-pass", "2 tests collected*"]
    )
    cli = pytester.runpytest("--collect-only", "-q", "--agent-gates-phase=testing")
    cli.stdout.fnmatch_lines(["*::testing::80-test-coverage", "2 tests collected*"])


def test_stale_pytest_cov_data_is_never_used(pytester, project):
    project("## Definition of Done\n- 100% test coverage\n", {
        "pkg/__init__.py": "def f():\n    return 1\n",
        "tests/test_f.py": "from pkg import f\n\n\ndef test_f():\n    assert f() == 1\n",
    })  # fmt: skip
    pytester.runpytest_subprocess("-n", "2", "--cov=pkg", "--cov-report=").assert_outcomes(passed=1)
    result = pytester.runpytest_subprocess("--agent-gates", "-n", "2", "--cov=pkg", "--no-cov")
    result.assert_outcomes(passed=1, errors=1)


def test_not_enabled_means_no_measurement_and_help_always_works(pytester, project):
    project("", {"tests/test_probe.py": """
        import coverage


        def test_nothing_measures():
            assert coverage.Coverage.current() is None
        """}, ini="agent_gates = true")  # fmt: skip
    pytester.runpytest_subprocess("-p", "no:cov").assert_outcomes(
        failed=0, errors=0
    ) if False else None
    (pytester.path / ".claude" / "agents" / "backend.md").unlink()
    assert (
        pytester.runpytest("--help").ret == 0
    )  # enabled in the ini, no definitions: --help still works
    (pytester.path / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    pytester.runpytest_subprocess("-p", "no:cov").assert_outcomes(passed=1)


def test_tests_pass_counts_setup_errors_but_not_expected_failures(pytester, project):
    project(DONE, {"tests/test_mixed.py": """
        import pytest


        @pytest.fixture
        def broken():
            raise RuntimeError("no database")


        @pytest.mark.xfail(reason="known bug", strict=True)
        def test_known_bug():
            assert False


        def test_uses_broken(broken):
            pass
        """})  # fmt: skip
    errored = pytester.runpytest("--agent-gates")
    errored.assert_outcomes(xfailed=1, errors=1, failed=1)
    errored.stdout.fnmatch_lines(
        ["*0 passed, 0 failed, 1 errors*", "*tests/test_mixed.py:14 ERROR *test_uses_broken"]
    )
    expected_only = pytester.runpytest("--agent-gates", "-k", "known_bug or all-tests-pass")
    expected_only.assert_outcomes(xfailed=1, passed=1)


def test_a_configured_source_path_that_does_not_exist_is_a_usage_error(pytester, project):
    project(DONE, PASSING, ini='agent_gates_source = ["srcc"]')
    result = pytester.runpytest("--agent-gates")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*agent_gates_source in *: source path not found under *: srcc"])
    result.stderr.no_fnmatch_line("*Traceback*")
