"""The run's outputs: the Implementation Report, the report check, GitHub annotations and step
summary, SARIF 2.1.0 validated against the OASIS schema, and JUnit XML properties."""

from __future__ import annotations

import ast
import json
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema

from pytest_agentgates.checks.verdict import Verdict
from pytest_agentgates.definitions.mapping import MANUAL
from pytest_agentgates.model import (
    FAILED,
    AgentDefinition,
    ChecklistItem,
    Finding,
    Gate,
    Outcome,
)
from pytest_agentgates.project import stack
from pytest_agentgates.project.context import CheckContext, TestRecord
from pytest_agentgates.project.sources import SourceFile
from pytest_agentgates.reports import github, report_facts, report_json, report_markdown, sarif

SCHEMA = Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json"

AGENT = """
    ---
    name: backend
    ---

    ## Definition of Done
    - Implementation Report delivered
    - All tests pass
    - No linter warnings
    - 50%+ test coverage
    - Requirements clearly defined and agreed
    """
# Line numbers of the promises above in the written file (front matter included).
REPORT_LINE, TESTS_LINE, LINT_LINE, COVERAGE_LINE, MANUAL_LINE = 6, 7, 8, 9, 10
PYPROJECT = """
    [project]
    name = "demo-service"
    requires-python = ">=3.10"
    dependencies = ["flask>=3", "requests==2.32.0"]

    [tool.pytest.ini_options]
    testpaths = ["tests"]
    pythonpath = ["."]
    """
APP = {
    "app/__init__.py": "",
    "app/web.py": """
        from flask import Flask

        app = Flask(__name__)


        @app.get("/notes")
        def list_notes():
            return []


        @app.post("/notes")
        def create_note():
            return {}, 201
        """,
    "app/schemas.py": "import pydantic\n\n\nclass Note(pydantic.BaseModel):\n    text: str\n",
    "old_module.py": "VALUE = 1\n",
    "tests/test_web.py": """
        import pytest

        from app.web import app


        def test_list():
            assert app.test_client().get("/notes").status_code == 200


        def test_create():
            assert app.test_client().post("/notes").status_code == 201


        @pytest.mark.skip(reason="not today")
        def test_later():
            pass
        """,
}


def git(path: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=Reviewer", "-c", "user.email=r@example.com", *args]
    return subprocess.run(command, cwd=path, check=True, capture_output=True, text=True).stdout


def make_service(project, pytester, files=None, agent=AGENT) -> Path:
    root = project(agent, {**APP, **(files or {})})
    (root / "pyproject.toml").write_text(textwrap.dedent(PYPROJECT).lstrip(), encoding="utf-8")
    return root


def committed_then_changed(root: Path) -> str:
    """A repository whose one commit is the service; then a file added, one changed, one deleted."""
    (root / ".gitignore").write_text(
        "__pycache__/\nout/\nstdout\nstderr\nrunpytest-current\n", encoding="utf-8"
    )  # the last three are pytester's
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "service")
    sha = git(root, "rev-parse", "HEAD").strip()
    (root / "app" / "tags.py").write_text("def tags():\n    return []\n", encoding="utf-8")
    with (root / "app" / "web.py").open("a", encoding="utf-8") as web:
        web.write("\n\ndef unused():\n    x = 1\n")  # a lint finding at line 17
    (root / "old_module.py").unlink()
    return sha


# --- the Implementation Report -----------------------------------------------------------------
def test_report_states_commit_stack_changes_tests_coverage_verdicts_and_manual_items(
    pytester, project
):
    root = make_service(project, pytester)
    (root / "uv.lock").write_text("version = 1\n", encoding="utf-8")
    sha = committed_then_changed(root)
    result = pytester.runpytest_subprocess("--agent-gates", "--agent-gates-report=out/report.md")
    result.assert_outcomes(passed=5, failed=1, skipped=2)  # lint fails; 1 skipped test, 1 manual
    report = (root / "out" / "report.md").read_text(encoding="utf-8")

    assert report.startswith("# Implementation Report: demo-service\n")
    assert f"- **Commit:** `{sha[:12]}` on `main`, **dirty**: 3 uncommitted path(s)" in report
    assert "- **Command:** `pytest --basetemp=" in report
    assert " --agent-gates --agent-gates-report=out/report.md`\n" in report
    assert (
        "- **Promises:** 3 passed, 1 failed, 1 manual; 4 of 5 promises machine-verified" in report
    )
    # Stack: declared, imported, lock files, the rest of the dependencies.
    assert "- Python: `>=3.10` required" in report
    assert "- Lock files: `uv.lock`" in report
    assert "| Flask | declared in pyproject.toml (flask>=3); imported by app/web.py |" in report
    assert "| pydantic | imported by app/schemas.py |" in report
    assert "Other declared dependencies: `requests==2.32.0`" in report
    # The change against the only commit, untracked file included.
    changes = _section(report, "## Changes against `HEAD`")
    assert "1 added, 1 modified, 1 deleted; +" in changes
    assert "**Added**\n\n- `app/tags.py`" in changes
    assert "**Modified**\n\n- `app/web.py`" in changes
    assert "**Deleted**\n\n- `old_module.py`" in changes
    # The session's own tests, counted by outcome; gates are not tests.
    assert "| 2 | 0 | 0 | 1 | 0 | 0 | 0 |" in _section(report, "## Tests")
    assert "Line coverage **" in _section(report, "## Coverage")
    assert "measured by pytest-agentgates." in report
    # Every promise with its verdict and evidence; findings of the failed one.
    promises = _section(report, "## Promises")
    assert "### backend (`.claude/agents/backend.md`)" in promises
    assert (
        f"| done | {LINT_LINE} | No linter warnings | lint | **failed** | ruff found 1 problem(s) "
        "under ruff's default rules (no project configuration) |" in promises
    )
    assert (
        f"| done | {TESTS_LINE} | All tests pass | tests-pass | passed | all tests passed: 2 passed, 0 failed, 0 errors, 1 skipped |"
        in promises
    )
    assert (
        f"| done | {REPORT_LINE} | Implementation Report delivered | report | passed | Implementation Report written to out/report.md"
        in promises
    )
    assert (
        "- lint: failed — ruff found 1 problem(s) under ruff's default rules (no project "
        "configuration) (measured 1, required 0)"
    ) in promises
    assert "  - `app/web.py:17` F841 Local variable `x` is assigned to but never used" in promises
    reviewer = _section(report, "## For the reviewer")
    assert (
        "- [ ] Requirements clearly defined and agreed — backend, done, "
        f"`.claude/agents/backend.md:{MANUAL_LINE}`: manual: a planning or review activity: only "
        "a person can confirm it"
    ) in reviewer


def test_report_endpoints_of_a_flask_app(pytester, project):
    make_service(project, pytester)
    pytester.runpytest_subprocess("--agent-gates", "--agent-gates-report=report.md")
    endpoints = _section(
        (pytester.path / "report.md").read_text(encoding="utf-8"), "## HTTP endpoints"
    )
    assert "| GET | `/notes` | `app.web.list_notes` | `app/web.py:7` |" in endpoints
    assert "| POST | `/notes` | `app.web.create_note` | `app/web.py:12` |" in endpoints


def test_report_without_git_says_so_and_still_reports(pytester, project):
    make_service(project, pytester)
    result = pytester.runpytest_subprocess(
        "--agent-gates", "--agent-gates-report=report.md", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=6, skipped=2)
    report = (pytester.path / "report.md").read_text(encoding="utf-8")
    assert "- **Commit:** unknown: " in report and "is not in a git repository" in report
    assert "## Changes\n\n_Not available: " in report
    assert "| Flask |" in report  # the sections that need no git are all there


def test_report_leaves_the_files_the_run_writes_out_of_the_change(pytester, project):
    root = make_service(project, pytester)
    committed_then_changed(root)
    args = ("--agent-gates", "--agent-gates-report=report.md", "--agent-gates-json=gates.json")
    pytester.runpytest_subprocess(*args)
    assert (root / "report.md").is_file() and (root / "gates.json").is_file()
    pytester.runpytest_subprocess(*args)  # now they are untracked files of the working tree
    report = (root / "report.md").read_text(encoding="utf-8")
    assert "**dirty**: 3 uncommitted path(s)" in report
    assert "1 added, 1 modified, 1 deleted; +6 −1 lines. Paths" in report
    commit_line = report.splitlines()[2]
    changes = _section(report, "## Changes against `HEAD`")
    for written in ("`report.md`", "`gates.json`"):
        assert written not in commit_line and written not in changes


def test_a_tracked_output_the_run_rewrites_is_left_out_of_the_change_and_its_counts(tmp_path):
    (tmp_path / "report.md").write_text("old\nreport\ntext\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("A = 1\nB = 2\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "base")
    (tmp_path / "report.md").write_text("new report\n", encoding="utf-8")  # +1 -3
    (tmp_path / "app.py").write_text("A = 1\nB = 3\nC = 4\n", encoding="utf-8")  # +2 -1
    ctx = CheckContext(tmp_path.resolve(), [], TestRecord(), lambda: None)
    facts = report_facts.gather(ctx, [], "pytest", [tmp_path / "report.md"])
    change = facts.change
    assert set(change.files) == set(change.counts) == {"app.py"}
    assert (change.lines_added, change.lines_removed) == (2, 1)
    assert "report.md" not in facts.commit.dirty


def test_report_check_passes_only_when_the_report_is_written(pytester, project):
    make_service(project, pytester)
    missing = pytester.runpytest("--agent-gates", "-k", "implementation-report")
    missing.assert_outcomes(failed=1)
    missing.stdout.fnmatch_lines(
        [
            "*report: failed - no Implementation Report was written in this run; "
            "--agent-gates-report=PATH (or agent_gates_report in the ini file) writes one",
            "*measured not written, required written in this run",
        ]
    )
    written = pytester.runpytest("--agent-gates", "-k", "implementation-report",
                                 "--agent-gates-report=report.md")  # fmt: skip
    written.assert_outcomes(passed=1)
    assert "| done | 6 | Implementation Report delivered | report | passed |" in (
        pytester.path / "report.md"
    ).read_text(encoding="utf-8")


def test_report_check_fails_when_the_report_cannot_be_written(pytester, project):
    make_service(project, pytester)
    (pytester.path / "taken").mkdir()
    result = pytester.runpytest("--agent-gates", "-k", "implementation-report",
                                "--agent-gates-report=taken")  # fmt: skip
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*report: failed - the Implementation Report could not be written: *Is a directory*",
            "agent gates: could not write */taken: *Is a directory*",
        ]
    )


def test_report_check_fails_when_the_report_does_not_stay_on_disk(pytester, project):
    make_service(project, pytester)
    result = pytester.runpytest("--agent-gates", "-k", "implementation-report",
                                "--agent-gates-report=/dev/null")  # fmt: skip
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*report: failed - /dev/null does not hold the report this run wrote"]
    )


def test_report_gates_run_after_every_other_gate(pytester, project):
    make_service(project, pytester)
    result = pytester.runpytest("--agent-gates", "--collect-only", "-q", "-m", "agent_gate")
    result.stdout.fnmatch_lines(
        [
            ".claude/agents/backend.md::done::all-tests-pass",
            ".claude/agents/backend.md::done::no-linter-warnings",
            ".claude/agents/backend.md::done::50-test-coverage",
            ".claude/agents/backend.md::done::requirements-clearly-defined-and-agreed",
            ".claude/agents/backend.md::done::implementation-report-delivered",
            "",
        ]
    )


# --- GitHub Actions ----------------------------------------------------------------------------
def test_github_annotations_and_step_summary(pytester, project, monkeypatch):
    make_service(project, pytester, {"app/extra.py": "import sys\n"})
    summary = pytester.path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for name in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"):
        monkeypatch.delenv(name, raising=False)
    result = pytester.runpytest("--agent-gates", "-k", "not implementation-report")
    result.assert_outcomes(passed=4, failed=1, skipped=2)
    result.stdout.fnmatch_lines(
        [
            f"::error file=.claude/agents/backend.md,line={LINT_LINE},"
            "title=agent gate failed%3A No linter warnings::"
            f".claude/agents/backend.md:{LINT_LINE}: [[]done[]] No linter warnings%0A  agent: backend;*"
            "%0A    app/extra.py:1 F401 `sys` imported but unused%0A  To pass: *",
            "::error file=app/extra.py,line=1,title=lint%3A F401::F401 `sys` imported but unused"
            f"%0Apromise: No linter warnings (.claude/agents/backend.md:{LINT_LINE})",
        ]
    )
    assert result.stdout.str().count("::error ") == 2  # passed, manual and skipped: none
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(
        "earlier step\n## Agent gates\n\n### Failures\n\n"
        f"- **failed** `.claude/agents/backend.md:{LINT_LINE}` [done] No linter warnings — "
        "ruff found 1 problem(s) under ruff's default rules (no project configuration)\n"
        "  - `app/extra.py:1` F401 `sys` imported but unused\n\n"
        "**2 passed, 1 failed, 1 manual, 1 not-run**; 3 of 5 "
    )  # the deselected report gate did not run
    assert "<details><summary>All 5 promises</summary>" in text and text.endswith("</details>\n")
    assert (
        f"| backend | done | No linter warnings (`.claude/agents/backend.md:{LINT_LINE}`) | "
        "**failed** | ruff found 1 problem(s) under ruff's default rules (no project "
        "configuration) |"
    ) in text


def test_no_annotations_or_summary_outside_github(pytester, project, monkeypatch):
    make_service(project, pytester, {"app/extra.py": "import sys\n"})
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(pytester.path / "summary.md"))
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=4, failed=2, skipped=2)
    result.stdout.no_fnmatch_line("::*")
    assert not (pytester.path / "summary.md").exists()


def test_paths_in_a_monorepo_are_relative_to_the_repository_root(pytester, project, monkeypatch):
    service = pytester.path / "services" / "notes"
    service.mkdir(parents=True)
    agent = service / ".claude" / "agents" / "backend.md"
    agent.parent.mkdir(parents=True)
    agent.write_text("## Definition of Done\n- No linter warnings\n", encoding="utf-8")
    (service / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    (service / "app.py").write_text("import os\n", encoding="utf-8")
    (pytester.path / "README.md").write_text("# Monorepo\n", encoding="utf-8")
    (pytester.path / ".gitignore").write_text(
        "__pycache__/\nstdout\nstderr\nrunpytest-current\n", encoding="utf-8"
    )
    git(pytester.path, "init", "-q")
    monkeypatch.chdir(service)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = pytester.runpytest_subprocess(
        "--agent-gates", "--agent-gates-sarif=out.sarif", "--agent-gates-report=report.md"
    )
    result.assert_outcomes(failed=1)
    changes = _section((service / "report.md").read_text(encoding="utf-8"), "## Changes against")
    assert changes.startswith(
        "## Changes against `the working tree`\n\n3 added, 0 modified, 0 deleted under "
        "`services/notes/` (the rootdir), 4 lines added or changed; 2 more file(s) changed "
        "elsewhere in the repository."
    )
    assert "- `services/notes/app.py`" in changes
    result.stdout.fnmatch_lines(
        [
            "::error file=services/notes/.claude/agents/backend.md,line=2,*",
            "::error file=services/notes/app.py,line=1,title=lint%3A F401::*",
        ]
    )
    log = json.loads((service / "out.sarif").read_text(encoding="utf-8"))
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == pytester.path.resolve().as_uri() + "/"
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "services/notes/app.py",
        "uriBaseId": "SRCROOT",
    }


def test_workflow_commands_escape_data_and_properties():
    assert github.command("error", "100% sure\r\nreally", file="a,b.py", line=3, title="x: y") == (
        "::error file=a%2Cb.py,line=3,title=x%3A y::100%25 sure%0D%0Areally"
    )
    assert github.command("warning", "plain") == "::warning::plain"


def test_annotations_are_capped_and_say_how_many_more():
    findings = tuple(Finding("app.py", line, "F401", "unused") for line in range(1, 61))
    rows = [
        _row(
            "lint",
            Verdict(
                FAILED,
                "ruff found 60",
                (("lint", Outcome(FAILED, "ruff found 60", 60, 0, findings)),),
            ),
        )
    ]
    lines = github.annotations(rows, limit=50)
    assert len(lines) == 51
    assert lines[0].startswith(
        "::error file=.claude/agents/backend.md,line=3,title=agent gate failed"
    )
    assert lines[1].startswith("::error file=app.py,line=1,title=lint%3A F401::")
    assert lines[-1] == (
        "::warning title=agent gates::11 more agent-gate annotation(s) not shown; the job log, "
        "--agent-gates-sarif or --agent-gates-json list them all"
    )


def test_statuses_added_by_other_features_flow_through():
    """A status this module does not know (e.g. a waived gate) is counted and never annotated."""
    failing = Outcome(FAILED, "ruff found 1", 1, 0, (Finding("app.py", 1, "F401", "unused"),))
    rows = [_row("lint", Verdict("waived", "waived until 2030-01-01", (("lint", failing),)))]
    assert github.annotations(rows) == []
    assert "| waived |" in github.step_summary(rows, "")
    # A check decided a waived gate: machine-verified, as the terminal and the JSON report count it.
    assert report_markdown.outcome(rows) == "1 waived; 1 of 1 promises machine-verified"
    assert report_json.build(rows)["totals"]["machine_verified"] == 1
    result = sarif.build(rows, {}, Path("/repo"))["runs"][0]["results"][0]
    assert (result["level"], result["properties"]["gateStatus"]) == ("note", "waived")


def test_a_manual_promise_failed_by_strict_mode_is_not_machine_verified():
    rows = [_row(MANUAL, Verdict(FAILED, "not attested (--agent-gates-strict)"))]
    assert report_markdown.outcome(rows) == "1 failed; 0 of 1 promises machine-verified"
    assert report_json.build(rows)["totals"]["machine_verified"] == 0


# --- SARIF -------------------------------------------------------------------------------------
CONFTEST_WITH_A_BROKEN_TOOL = """
    from pathlib import Path

    from pytest_agentgates.model import Check, CheckCouldNotRun


    def pytest_agentgates_register_checks(config):
        def evaluate(params, ctx):
            raise CheckCouldNotRun("the scanner crashed")

        return [Check("scanner", "done", evaluate, {}, "the in-house scanner finds nothing")]


    def pytest_agentgates_catalogs(config):
        return [Path(__file__).parent / "gates.yaml"]
    """
GATES_YAML = """
    schema: pytest-agentgates-catalog/1
    rules:
      - id: in-house-scanner
        checks: [scanner]
        match: ['\\bin-house scanner\\b']
    """


def test_sarif_is_valid_and_has_a_rule_per_check_and_a_result_per_finding(pytester, project):
    agent = AGENT.rstrip() + "\n    - The in-house scanner reports nothing\n"
    make_service(project, pytester, {"conftest.py": CONFTEST_WITH_A_BROKEN_TOOL,
                                     "gates.yaml": GATES_YAML,
                                     "app/extra.py": "import json\nimport sys\n"}, agent)  # fmt: skip
    result = pytester.runpytest("--agent-gates", "--agent-gates-sarif=reports/gates.sarif")
    result.assert_outcomes(passed=4, failed=2, skipped=2, errors=1)
    log = json.loads((pytester.path / "reports" / "gates.sarif").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    jsonschema.Draft4Validator(schema).validate(log)

    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [
        "coverage", "lint", "manual", "report", "scanner", "tests-pass"
    ]  # fmt: skip
    assert rules[1]["shortDescription"] == {"text": "ruff check under the project's config"}
    assert rules[4]["shortDescription"] == {"text": "the in-house scanner finds nothing"}
    results = [
        (r["ruleId"], r["level"], _where(r["locations"][0]), r["message"]["text"])
        for r in run["results"]
    ]
    promise = f'(promise "No linter warnings", .claude/agents/backend.md:{LINT_LINE})'
    assert results == [
        ("report", "error", (".claude/agents/backend.md", REPORT_LINE),
         "Implementation Report delivered: no Implementation Report was written in this run; "
         "--agent-gates-report=PATH (or agent_gates_report in the ini file) writes one "
         "(measured not written, required written in this run)"),
        ("lint", "error", ("app/extra.py", 1), f"F401 `json` imported but unused {promise}"),
        ("lint", "error", ("app/extra.py", 2), f"F401 `sys` imported but unused {promise}"),
    ]  # fmt: skip
    assert _where(run["results"][1]["relatedLocations"][0]) == (
        ".claude/agents/backend.md",
        LINT_LINE,
    )
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["descriptor"] == {"id": "scanner"}
    assert notification["message"]["text"] == (
        "The in-house scanner reports nothing: scanner could not run: the scanner crashed"
    )


def test_sarif_of_a_passing_run_has_no_results(pytester, project):
    make_service(project, pytester)
    pytester.runpytest("--agent-gates", "--agent-gates-sarif=gates.sarif",
                       "--agent-gates-report=report.md").assert_outcomes(passed=6, skipped=2)  # fmt: skip
    log = json.loads((pytester.path / "gates.sarif").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8"))).validate(log)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


# --- JUnit XML ---------------------------------------------------------------------------------
def test_junit_xml_carries_each_gate_s_checks_measured_and_required(pytester, project):
    make_service(project, pytester, {"app/extra.py": "import sys\n"})
    result = pytester.runpytest_subprocess("--agent-gates", "--junitxml=junit.xml")
    result.assert_outcomes(passed=4, failed=2, skipped=2)
    cases = {
        case.get("name"): {p.get("name"): p.get("value") for p in case.iter("property")}
        for case in ET.parse(pytester.path / "junit.xml").getroot().iter("testcase")
    }
    assert cases["no-linter-warnings"] == {
        "agent_gate.agent": "backend",
        "agent_gate.phase": "done",
        "agent_gate.definition": f".claude/agents/backend.md:{LINT_LINE}",
        "agent_gate.status": "failed",
        "agent_gate.checks": "lint",
        "agent_gate.lint.status": "failed",
        "agent_gate.lint.measured": "1",
        "agent_gate.lint.required": "0",
    }
    coverage = cases["50-test-coverage"]
    assert coverage["agent_gate.coverage.required"] == ">= 50%"
    assert float(coverage["agent_gate.coverage.measured"]) > 50
    assert cases["requirements-clearly-defined-and-agreed"] == {
        "agent_gate.agent": "backend",
        "agent_gate.phase": "done",
        "agent_gate.definition": f".claude/agents/backend.md:{MANUAL_LINE}",
        "agent_gate.status": "manual",
        "agent_gate.checks": "manual",
    }
    assert cases["test_list"] == {}  # the project's own tests are left alone


# --- helpers -----------------------------------------------------------------------------------
def _section(report: str, heading: str) -> str:
    start = report.index("\n" + heading) + 1
    end = report.find("\n## ", start + len(heading))
    return report[start : end if end != -1 else None]


def _where(location: dict) -> tuple[str, int]:
    physical = location["physicalLocation"]
    return physical["artifactLocation"]["uri"], physical["region"]["startLine"]


def _row(check_id: str, verdict: Verdict):
    item = ChecklistItem("No linter warnings", 3, "Definition of Done", "gate-list")
    gate = Gate("backend", ".claude/agents/backend.md", item, (check_id,), {}, "done", "slug")
    agent = AgentDefinition("backend", ".claude/agents/backend.md", (item,))
    return agent, [(".claude/agents/backend.md::done::slug", gate, verdict)]


# --- stack detection ---------------------------------------------------------------------------
def _source(relative: str, text: str) -> SourceFile:
    text = textwrap.dedent(text)
    return SourceFile(Path("/p") / relative, relative, relative[:-3].replace("/", "."), text,
                      ast.parse(text))  # fmt: skip


def test_stack_from_poetry_requirements_markers_and_imports(tmp_path):
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""
        [tool.poetry]
        name = "shop"
        [tool.poetry.dependencies]
        python = "^3.11"
        fastapi = "^0.110"
        [tool.poetry.group.dev.dependencies]
        pytest = "*"
        """), encoding="utf-8")  # fmt: skip
    (tmp_path / "requirements-prod.txt").write_text(
        "# pinned\nSQLAlchemy[asyncio]==2.0.30 ; python_version >= '3.10'\n-r base.txt\n"
        "psycopg2-binary==2.9.9\n", encoding="utf-8")  # fmt: skip
    (tmp_path / "poetry.lock").write_text("", encoding="utf-8")
    (tmp_path / "alembic.ini").write_text("", encoding="utf-8")
    files = [
        _source("shop/api.py", """
            '''Not an import: import django'''
            import fastapi.routing
            from pydantic import BaseModel
            from .flask import helper  # a module of the project's own, not Flask
            import flaskr  # not Flask either
            """),
        SourceFile(Path("/p/shop/broken.py"), "shop/broken.py", "shop.broken", "def (:\n", None),
    ]  # fmt: skip
    found = stack.detect(tmp_path, files)
    assert found.name == "shop" and found.python == ""
    assert found.lock_files == ("poetry.lock",)
    assert {c.name: c.evidence for c in found.components} == {
        "FastAPI": ("declared in pyproject.toml (Poetry) (fastapi)", "imported by shop/api.py"),
        "SQLAlchemy": ("declared in requirements-prod.txt (SQLAlchemy[asyncio]==2.0.30)",),
        "Alembic": ("alembic.ini",),
        "pydantic": ("imported by shop/api.py",),
        "PostgreSQL driver": ("declared in requirements-prod.txt (psycopg2-binary==2.9.9)",),
    }
    assert found.other_dependencies == ("pytest",)


def test_stack_survives_a_hand_written_pyproject_of_odd_shapes(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "odd"\ndependencies = "flask"\noptional-dependencies = ["x"]\n'
        '[dependency-groups]\ndev = [{include-group = "test"}, "django>=5"]\n',
        encoding="utf-8",
    )
    found = stack.detect(tmp_path, [])
    assert [c.name for c in found.components] == ["Django"]
    assert found.notes == ()
    (tmp_path / "pyproject.toml").write_text("[project\n", encoding="utf-8")
    broken = stack.detect(tmp_path, [])
    assert broken.components == () and broken.notes[0].startswith(
        "pyproject.toml could not be read:"
    )
