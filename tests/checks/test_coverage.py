"""coverage, branch-coverage and diff-coverage against real coverage.py, pytest-cov, xdist and git."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_agentgates.checks.coverage import branch_coverage
from pytest_agentgates.model import SKIPPED
from pytest_agentgates.project.context import CheckContext, TestRecord
from pytest_agentgates.project.coverage_engine import CoverageTotals

# pkg/big.py: 3998 assignments and a function definition run on import, 1000 lines of a function
# never called: 3999 of 4999 statements, 79.99599...%, which two decimals would show as "80.00".
BIG = (
    "".join(f"v{n} = {n}\n" for n in range(3998))
    + "\n\ndef never():\n"
    + "".join(f"    x{n} = {n}\n" for n in range(1000))
)
BOUNDARY_AGENT = """
    ## Definition of Done
    - 80%+ test coverage
    - Test coverage > 79.99%
    """
BOUNDARY_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/big.py": BIG,
    "conftest.py": "import pkg.big  # imported before the tests: still measured\n",
    "tests/test_big.py": "import pkg.big\n\n\ndef test_big():\n    assert pkg.big.v1 == 1\n",
}
COVERAGE_RUN = (sys.executable, "-m", "coverage", "run", "--source=pkg", "-m", "pytest")
PYTEST = (sys.executable, "-m", "pytest", "-p", "no:randomly", "-p", "no:cacheprovider")


@pytest.mark.parametrize(
    ("mode", "origin"),
    [
        ("serial", "pytest-agentgates"),
        ("pytest-cov", "the already running coverage (pytest-cov or coverage run)"),
        ("coverage run", "the already running coverage (pytest-cov or coverage run)"),
        ("xdist", "pytest-agentgates, combined from 2 xdist workers"),
        ("xdist pytest-cov", "pytest-cov, combined from its xdist workers"),
        ("data file", "the coverage data file */.coverage"),
    ],
)
def test_one_number_the_same_verdict_however_coverage_is_measured(pytester, project, mode, origin):
    project(BOUNDARY_AGENT, BOUNDARY_PROJECT)
    args = {
        "serial": (*PYTEST,),
        "pytest-cov": (*PYTEST, "--cov=pkg", "--cov-report="),
        "coverage run": (*COVERAGE_RUN, "-p", "no:cov"),
        "xdist": (*PYTEST, "-n", "2"),
        "xdist pytest-cov": (*PYTEST, "-n", "2", "--cov=pkg", "--cov-report="),
        "data file": (*PYTEST, "-p", "no:cov", "--agent-gates-coverage-file=.coverage"),
    }[mode]
    if mode == "data file":  # CI that measures in one step and gates in another
        pytester.run(*COVERAGE_RUN, "-p", "no:agentgates", "-p", "no:cov").assert_outcomes(passed=1)
    result = pytester.run(*args, "--agent-gates")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*[[]done[]] 80%+ test coverage",
            "*coverage: failed - line coverage 79.996%, required >= 80% "
            f"(3999 of 4999 lines, measured by {origin})",
            "    measured 79.9959991998*, required >= 80%",
            "*pkg/big.py:4002 COVERAGE 79.996% of 4999 lines covered; not run: 4002-5001",
        ]
    )
    result.stdout.no_fnmatch_line("*80.00*")


def test_a_data_file_that_is_missing_or_stale_is_an_error_and_nothing_is_measured(
    pytester, project
):
    project("## Definition of Done\n- 50%+ test coverage\n", {
        "pkg/__init__.py": "def f():\n    return 1\n",
        "tests/test_f.py": """
            import coverage

            from pkg import f


            def test_f():
                assert f() == 1


            def test_the_plugin_does_not_measure_when_given_data():
                assert coverage.Coverage.current() is None
            """,
    })  # fmt: skip
    missing = pytester.run(*PYTEST, "-p", "no:cov", "--agent-gates",
                           "--agent-gates-coverage-file=nowhere/.coverage")  # fmt: skip
    missing.assert_outcomes(passed=2, errors=1)
    missing.stdout.fnmatch_lines(["*coverage could not run: coverage data file */nowhere/.coverage"
                                  " does not exist"])  # fmt: skip
    pytester.run(*COVERAGE_RUN, "-p", "no:agentgates", "-p", "no:cov", "-k", "test_f")
    later = time.time() + 5
    os.utime(pytester.path / "pkg" / "__init__.py", (later, later))
    stale = pytester.run(*PYTEST, "-p", "no:cov", "--agent-gates",
                         "--agent-gates-coverage-file=.coverage")  # fmt: skip
    stale.assert_outcomes(passed=2, errors=1)
    stale.stdout.fnmatch_lines(
        ["*coverage data file */.coverage is stale: */pkg/__init__.py changed after it was "
         "written; measure again"]
    )  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [(*PYTEST, "--cov", "--cov-report=", "-n", "2"), (*COVERAGE_RUN[:4], "-m", "pytest")],
    ids=["pytest-cov-xdist", "coverage-run"],
)
def test_a_measurement_of_everything_counts_the_source_only_and_its_unimported_modules(
    pytester, project, command
):
    project("## Definition of Done\n- 100% test coverage\n", {
        "pkg/__init__.py": "",
        "pkg/a.py": "def f():\n    return 1\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/b.py": "def g():\n    return 1\n",
        "tests/test_a.py": "from pkg.a import f\n\n\ndef test_f():\n    assert f() == 1\n",
    })  # fmt: skip
    result = pytester.run(*command, "--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*line coverage 50%, required >= 100% (2 of 4 lines, measured by *",
         "    pkg/sub/b.py:1 COVERAGE 0% of 2 lines covered; not run: 1-2"]
    )  # fmt: skip


PER_FILE_AGENT = """
    ## Definition of Done
    - 62.5%+ test coverage
    - Test coverage > 62.5%
    """
# 5 of 8 statements run: 62.5 % exactly; pkg/core.py 3 of 6 (50 %), pkg/util.py 2 of 2.
PER_FILE_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/core.py": """
        def used():
            return 1


        def unused(x):
            y = x + 1
            z = y * 2
            return z
        """,
    "pkg/util.py": "def double(x):\n    return 2 * x\n",
    "tests/test_pkg.py": """
        from pkg.core import used
        from pkg.util import double


        def test_pkg():
            assert used() == 1 and double(2) == 4
        """,
}


def test_per_file_floors_the_exact_boundary_and_drift_from_fail_under(pytester, project):
    project(PER_FILE_AGENT, PER_FILE_PROJECT,
            ini='agent_gates_coverage_per_file = ["*=60", "pkg/util.py=100"]\n\n'
                "[tool.coverage.report]\nfail_under = 70")  # fmt: skip
    floors = pytester.run(*PYTEST, "--agent-gates")
    floors.assert_outcomes(passed=1, failed=2)
    floors.stdout.fnmatch_lines(
        [
            "*[[]done[]] 62.5%+ test coverage",
            "*coverage: failed - line coverage 62.5% (5 of 8 lines, measured by pytest-agentgates)"
            ", but 1 file under the per-file floor",
            "    measured 62.5, required >= 62.5%, per file *=60%, pkg/util.py=100%",
            "    pkg/core.py:6 COVERAGE 50% of 6 lines covered, under the floor of 60% for '*'; "
            "not run: 6-8",
            "    note: drift: fail_under in [[]tool.coverage.report[]] in pyproject.toml is 70%, "
            "the promise says >= 62.5%; the promise is what this gate enforces",
            "*[[]done[]] Test coverage > 62.5%",
            "*coverage: failed - line coverage 62.5%, required > 62.5% (5 of 8 lines*",
        ]
    )
    floors.stdout.no_fnmatch_line("*pkg/util.py:*COVERAGE*")
    # The last glob that matches a file sets its floor; > 62.5 still fails on 62.5 exactly.
    later = pytester.run(*PYTEST, "--agent-gates", "-v", "--agent-gates-coverage-per-file=*=60",
                         "--agent-gates-coverage-per-file=pkg/core.py=50")  # fmt: skip
    later.assert_outcomes(passed=2, failed=1)
    later.stdout.fnmatch_lines(
        ["*line coverage 62.5%, required > 62.5%*",
         "  PASSED *:2 62.5%+ test coverage: line coverage 62.5% (5 of 8 lines, measured by "
         "pytest-agentgates); drift: fail_under in * is 70%, the promise says >= 62.5%; *"]
    )  # fmt: skip
    bad = pytester.run(*PYTEST, "--agent-gates", "--agent-gates-coverage-per-file=pkg/core.py")
    bad.assert_outcomes(passed=1, errors=2)
    bad.stdout.fnmatch_lines(
        ["*coverage could not run: agent_gates_coverage_per_file: 'pkg/core.py' is not "
         "GLOB=PERCENT (e.g. '*=60', 'app/core/*=90')"]
    )  # fmt: skip


BRANCH_AGENT = """
    ## Definition of Done
    - 50%+ branch coverage
    - All branches covered
    - 80%+ diff coverage
    """
BRANCH_PROJECT = {
    "pkg/__init__.py": "",
    "pkg/logic.py": """
        def sign(x):
            if x < 0:
                return -1
            return 1
        """,
    "tests/test_logic.py": "from pkg.logic import sign\n\n\ndef test_sign():\n    assert sign(5) == 1\n",
}


@pytest.mark.parametrize(
    ("args", "origin"),
    [
        ((), "pytest-agentgates"),
        (("-n", "2", "--cov=pkg", "--cov-branch", "--cov-report="), "pytest-cov, combined*"),
    ],
    ids=["own", "xdist-pytest-cov-branch"],
)
def test_branch_coverage_is_measured_when_promised(pytester, project, args, origin):
    project(BRANCH_AGENT, BRANCH_PROJECT)
    result = pytester.run(*PYTEST, "--agent-gates", *args)
    result.assert_outcomes(passed=2, failed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*[[]done[]] 80%+ diff coverage",
            "*diff-coverage could not run: * is not in a git repository*",
            "*[[]done[]] All branches covered",
            f"*branch-coverage: failed - branch coverage 50%, required >= 80% (1 of 2 branches, "
            f"measured by {origin})",
            "    pkg/logic.py:2 BRANCH line 2 never jumped to line 3",
        ]
    )


def test_branch_coverage_without_branch_data_says_how_to_measure_branches(pytester, project):
    project(BRANCH_AGENT, BRANCH_PROJECT)
    result = pytester.run(*PYTEST, "--agent-gates", "-k", "branch", "--cov=pkg", "--cov-report=")
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        ["*branch-coverage could not run: the coverage measured by the already running coverage "
         "(pytest-cov or coverage run) has no branch data: set `branch = true` under "
         "[[]tool.coverage.run[]] (or pass --cov-branch to pytest-cov, --branch to coverage run)"]
    )  # fmt: skip


def test_nothing_is_measured_when_no_promise_reads_coverage(pytester, project):
    project("## Definition of Done\n- Requirements clearly defined and understood\n", {
        "pkg/__init__.py": "",
        "tests/test_probe.py": "import coverage\n\n\ndef test_probe():\n"
                               "    assert coverage.Coverage.current() is None\n",
    })  # fmt: skip
    pytester.run(*PYTEST, "--agent-gates", "-p", "no:cov").assert_outcomes(passed=1, skipped=1)


def test_branch_coverage_of_source_without_a_branch_is_skipped_not_passed():
    totals = CoverageTotals(2, 2, (), "pytest-agentgates", branches=0)
    context = CheckContext(Path("."), [], TestRecord(), lambda: totals)
    outcome = branch_coverage({"threshold": 80.0}, context)
    assert (outcome.status, outcome.summary) == (
        SKIPPED,
        "no branch in the source measured by pytest-agentgates",
    )


def test_coverage_tells_a_file_it_did_not_measure_from_one_that_did_not_run(tmp_path):
    measured, unimported = str(tmp_path / "a.py"), str(tmp_path / "b.py")
    totals = CoverageTotals(1, 3, (), "o", {measured: frozenset({1}), unimported: frozenset()})
    assert totals.ran(measured, [1, 2]) is True
    assert totals.ran(measured, [2]) is False
    assert totals.ran(unimported, [1]) is False
    assert totals.ran(tmp_path / "omitted.py", [1]) is None


def git(pytester, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                    "-c", "init.defaultBranch=main", *args],
                   cwd=pytester.path, check=True, capture_output=True)  # fmt: skip


MODULE = "def old():\n    return 1\n"
NEW = "\n\ndef new(x):\n    if x:\n        y = x * 2\n        return y\n    return 0\n"


def test_diff_coverage_counts_changed_statements_and_lists_uncovered_lines(pytester, project):
    project("## Definition of Done\n- 80%+ diff coverage\n", {
        "pkg/__init__.py": "",
        "pkg/mod.py": MODULE,
        "tests/test_mod.py": "from pkg.mod import old\n\n\ndef test_old():\n    assert old() == 1\n",
    })  # fmt: skip
    git(pytester, "init", "-q")
    git(pytester, "add", "-A")
    git(pytester, "commit", "-q", "-m", "base")
    (pytester.path / "pkg" / "mod.py").write_text(MODULE + NEW, encoding="utf-8")
    # Only `def new` runs (on import): 1 of the 5 changed statements; lines 6-9 are listed.
    uncovered = pytester.run(*PYTEST, "--agent-gates")
    uncovered.assert_outcomes(passed=1, failed=1)
    uncovered.stdout.fnmatch_lines(
        [
            "*diff-coverage: failed - diff coverage 20%, required >= 80% (1 of 5 changed lines "
            "against HEAD, measured by pytest-agentgates)",
            "    pkg/mod.py:6 UNCOVERED changed lines 6-9 not run by any test",
        ]
    )
    # An untracked test runs new(1): 4 of 5, exactly 80 %; the blank and comment lines not counted.
    (pytester.path / "tests" / "test_new.py").write_text(
        "from pkg.mod import new\n\n\ndef test_new():\n    assert new(1) == 2\n", encoding="utf-8"
    )
    covered = pytester.run(*PYTEST, "--agent-gates", "--agent-gates-base=HEAD", "-v")
    covered.assert_outcomes(passed=3)
    covered.stdout.fnmatch_lines(["*diff coverage 80% (4 of 5 changed lines against HEAD*"])
    git(pytester, "add", "-A")
    git(pytester, "commit", "-q", "-m", "new")
    (pytester.path / "pkg" / "mod.py").write_text(MODULE + "# a comment\n" + NEW, "utf-8")
    moved = pytester.run(*PYTEST, "--agent-gates", "-rs", "-k", "diff")
    moved.assert_outcomes(skipped=1)  # nothing to measure is no evidence: never a pass
    moved.stdout.fnmatch_lines(["SKIPPED * no changed line against HEAD is a measured statement"])


def test_a_conftest_matcher_that_asks_for_coverage_gets_an_error_that_says_why(pytester, project):
    project("## Definition of Done\n- The code is well exercised\n", {
        "pkg/__init__.py": "VALUE = 1\n",
        "tests/test_pkg.py": "import pkg\n\n\ndef test_pkg():\n    assert pkg\n",
        "conftest.py": """
            from pytest_agentgates.definitions.catalog import Match, Rule


            def pytest_agentgates_match(item, catalog, config):
                if "well exercised" in item.text:
                    return Match(Rule("mine", ("coverage",), ()), ("coverage",), {"threshold": 50})
                return None
            """,
    })  # fmt: skip
    result = pytester.run(*PYTEST, "--agent-gates", "-p", "no:cov")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        ["*coverage could not run: coverage was not measured in this session: no promise read "
         "before the conftest.py files loaded needed coverage*--agent-gates-coverage-file"]
    )  # fmt: skip
    pytester.run(*PYTEST, "--agent-gates", "--cov=pkg").assert_outcomes(passed=2)
