"""Checklist lint: vaguely worded manual promises, rewrites that really map, and no effect on the run."""

from __future__ import annotations

import pytest

from pytest_agentgates.checks import builtin_checks
from pytest_agentgates.definitions.catalog import Catalog
from pytest_agentgates.definitions.checklist_lint import (
    REFUSALS,
    REWRITES,
    lint,
    suggest,
    vague_words,
)
from pytest_agentgates.definitions.mapping import MANUAL, build_gates
from pytest_agentgates.model import AgentDefinition, ChecklistItem
from pytest_agentgates.session.builtin import pytest_agentgates_catalogs

CATALOG = Catalog.load(pytest_agentgates_catalogs(config=None))
CHECKS = {check.id: check for check in builtin_checks()}

VAGUE = """
    ---
    name: backend
    ---

    ## Definition of Done
    - All tests pass
    - Code is clean and maintainable
    - Solution is robust
    - Edge cases thoroughly tested
    - Go code properly formatted with gofmt
    - Customers are delighted
    """
PASSING = {"tests/test_app.py": "def test_ok():\n    assert True\n"}


def gates_of(*texts: str):
    items = tuple(ChecklistItem(text, n, "Definition of Done", "checkbox")
                  for n, text in enumerate(texts, start=1))  # fmt: skip
    return build_gates(AgentDefinition("a", "a.md", items), CATALOG.match, CHECKS)


@pytest.mark.parametrize(("rewrite", "check"), [(r, c) for _, r, c in REWRITES])
def test_every_suggested_rewrite_maps_to_its_real_check(rewrite, check):
    (gate,) = gates_of(rewrite)
    assert gate.checks == (check,) and check != MANUAL and check in CHECKS
    assert not vague_words(rewrite)  # a rewrite must not itself be vague


@pytest.mark.parametrize(
    ("text", "words", "rewrite"),
    [
        ("Code is clean and maintainable", ("clean", "maintainable"), "No linter warnings"),
        ("Tests are comprehensive", ("comprehensive",), "80%+ test coverage"),
        ("Security robust", ("robust",), "No security-scanner warnings of medium severity or above"),
        ("Performance optimal", ("optimal",), "p95 response time under 200ms in benchmarks"),
        ("Monitoring comprehensive", ("comprehensive",), "Errors are logged and no print() in source"),
        ("Solution is robust", ("robust",), None),
        ("Code coverage properly above 80%", (), "80%+ test coverage"),  # measurable: not vague
        ("Customers are delighted", (), None),
    ],
)  # fmt: skip
def test_vague_words_and_suggestions(text, words, rewrite):
    assert vague_words(text) == words
    assert suggest(text) == rewrite


def test_only_manual_promises_about_this_project_are_linted():
    gates = gates_of(
        "Code is clean and maintainable",
        "Edge cases thoroughly tested",  # vague, but mapped to branch-coverage
        "Go code properly formatted with gofmt",  # manual: not applicable here
        "Customers are delighted",  # manual, but not vague
        "Solution is robust",
    )
    found = lint(gates, CATALOG.match)
    assert [(v.gate.item.text, v.rewrite, v.checks) for v in found] == [
        ("Code is clean and maintainable", "No linter warnings", ("lint",)),
        ("Solution is robust", None, ()),
    ]


def test_a_rewrite_that_maps_to_manual_under_this_runs_catalogs_is_not_offered():
    (gate,) = gates_of("Code is clean and maintainable")
    everything_manual = Catalog.load([]).match  # no rule: every rewrite would be manual
    (found,) = lint([gate], everything_manual)
    assert (found.rewrite, found.checks) == (None, ())


def test_lint_section_lists_vague_promises_and_never_changes_the_outcome(pytester, project):
    project(VAGUE, {**PASSING, "app.py": "VALUE = 1\n"})
    plain = pytester.runpytest("--agent-gates")
    linted = pytester.runpytest("--agent-gates", "--agent-gates-lint")
    assert linted.ret == plain.ret == pytest.ExitCode.OK
    assert linted.parseoutcomes() == plain.parseoutcomes()
    plain.stdout.no_fnmatch_line("*checklist lint*")
    linted.stdout.fnmatch_lines([
        "*= agent gates: checklist lint =*",
        "backend (.claude/agents/backend.md)",
        "  .claude/agents/backend.md:7 Code is clean and maintainable",
        "    vague: clean, maintainable; nothing in it can be measured",
        '    rewrite: "No linter warnings" (checked by lint)',
        "  .claude/agents/backend.md:8 Solution is robust",
        "    vague: robust; nothing in it can be measured",
        "    rewrite: none known; keep it manual and have a person attest it",
        "2 promise(s) nothing could verify (lint only: the outcome of the run is unchanged)",
    ])  # fmt: skip
    linted.stdout.no_fnmatch_line("*:9 Edge cases thoroughly tested")
    linted.stdout.no_fnmatch_line("*gofmt*")


def test_lint_keeps_a_failing_run_failing_and_works_with_collect_only(pytester, project):
    project(VAGUE, {"tests/test_app.py": "def test_bad():\n    assert False\n"})
    linted = pytester.runpytest("--agent-gates", "--agent-gates-lint")
    assert linted.ret == pytest.ExitCode.TESTS_FAILED
    collected = pytester.runpytest("--agent-gates", "--agent-gates-lint", "--collect-only", "-q")
    assert collected.ret == pytest.ExitCode.OK
    collected.stdout.fnmatch_lines(["*Code is clean and maintainable", "2 promise(s) *"])


def test_lint_covers_only_the_selected_agents(pytester, project):
    project(VAGUE, PASSING)
    (pytester.path / ".claude/agents/frontend.md").write_text(
        "---\nname: frontend\n---\n## Definition of Done\n- UI is clean\n", encoding="utf-8"
    )
    everyone = pytester.runpytest("--agent-gates", "--agent-gates-lint", "--collect-only")
    everyone.stdout.fnmatch_lines(["frontend (.claude/agents/frontend.md)", "*UI is clean"])
    backend = pytester.runpytest(
        "--agent-gates", "--agent-gates-lint", "--collect-only", "--agent-gates-agent=backend"
    )
    backend.stdout.no_fnmatch_line("*UI is clean*")
    backend.stdout.fnmatch_lines(["2 promise(s) nothing could verify*"])


@pytest.mark.parametrize(("positive", "check"), [(r, c) for _, r, c in REWRITES])
def test_every_refusal_rewrite_reads_back_as_the_same_promise(positive, check):
    """Under "Never:" the rewrite names the failure; read negatively it is the positive rewrite."""
    negative = REFUSALS[check]
    read = CATALOG.match(ChecklistItem(negative, 1, "Never", "gate-list", negative=True))
    plain = CATALOG.match(ChecklistItem(positive, 1, "", "checkbox"))
    assert (
        (read.checks, dict(read.params))
        == (plain.checks, dict(plain.params))
        == ((check,), dict(plain.params))
    )
    assert not vague_words(negative)


def test_a_vague_item_in_a_refusal_list_gets_a_negative_rewrite():
    item = ChecklistItem("Code that is not thoroughly tested", 3, "Red flags", "gate-list",
                         structure="refusal-list", negative=True)  # fmt: skip
    gates = build_gates(AgentDefinition("a", "a.md", (item,)), CATALOG.match, CHECKS)
    (found,) = lint(gates, CATALOG.match)
    # "80%+ test coverage" in a refusal list would read as "coverage must stay below 80%"
    assert (found.rewrite, found.checks) == ("Test coverage below 80%", ("coverage",))
