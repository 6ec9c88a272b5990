"""Every agent format is discovered where its tool keeps it, and read like a Claude Code agent."""

from __future__ import annotations

import textwrap

import pytest

from pytest_agentgates.definitions import codex_toml

GATES = """
## Definition of Done
- [ ] All tests pass
- [ ] No print statements: use logging
"""
FRONT = "---\nname: {name}\ndescription: an agent\n---\n" + GATES
PASSING_TEST = "def test_ok():\n    assert True\n"
CODEX = '''name = "reviewer"
description = "Reviews changes"
model = "gpt-5"
developer_instructions = """
You review changes.

## Definition of Done
- [ ] All tests pass
- [ ] No print statements: use logging
"""
'''


def make(pytester: pytest.Pytester, files: dict[str, str], ini: str = "") -> None:
    pytester.makefile(".toml", pyproject=f"[tool.pytest.ini_options]\n{ini}\n")
    files = {"tests/test_app.py": PASSING_TEST, "app.py": '"""The app."""\n', **files}
    for name, content in files.items():
        path = pytester.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "nodeid"),
    [
        (".github/agents/backend.agent.md", ".github/agents/backend.agent.md::done::"),
        (".gemini/agents/backend.md", ".gemini/agents/backend.md::done::"),
        (".kiro/agents/backend.md", ".kiro/agents/backend.md::done::"),
        (".cursor/agents/backend.md", ".cursor/agents/backend.md::done::"),
    ],
)
def test_markdown_agents_of_each_tool_are_found(pytester, path, nodeid):
    make(pytester, {path: FRONT.format(name="backend")})
    result = pytester.runpytest("--agent-gates", "--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [f"{nodeid}all-tests-pass", f"{nodeid}no-print-statements-use-logging"]
    )
    selected = pytester.runpytest("--agent-gates", "--agent-gates-agent=backend", "-q")
    selected.assert_outcomes(passed=3)


def test_copilot_agent_without_a_name_is_named_without_the_agent_suffix(pytester):
    make(pytester, {".github/agents/reviewer.agent.md": GATES})
    result = pytester.runpytest("--agent-gates", "--agent-gates-agent=reviewer", "-q")
    result.assert_outcomes(passed=3)


def test_claude_code_agents_come_first(pytester):
    make(
        pytester,
        {
            ".gemini/agents/a.md": FRONT.format(name="a"),
            ".claude/agents/z.md": FRONT.format(name="z"),
        },
    )
    result = pytester.runpytest("--agent-gates", "--collect-only", "-q")
    lines = [line for line in result.outlines if "::done::all-tests-pass" in line]
    assert lines == [
        ".claude/agents/z.md::done::all-tests-pass",
        ".gemini/agents/a.md::done::all-tests-pass",
    ]


@pytest.mark.skipif(codex_toml.tomllib is None, reason="no tomllib (or tomli) to read TOML")
def test_codex_toml_agent_prompt_is_read_like_a_markdown_body(pytester):
    make(pytester, {".codex/agents/reviewer.toml": CODEX, "app.py": "print('hi')\n"})
    result = pytester.runpytest("--agent-gates", "--agent-gates-agent=reviewer", "-q")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*.codex/agents/reviewer.toml:9: [[]done[]] No print statements: use logging",
            "*app.py:1 * print() in application code*",
        ]
    )


def test_malformed_codex_toml_is_an_error_naming_file_and_line(pytester):
    bare = CODEX.replace('model = "gpt-5"', "model = gpt-5")
    unclosed = CODEX.rstrip().removesuffix('"""')
    for broken, line in ((bare, 3), (unclosed, 9)):
        make(pytester, {".codex/agents/reviewer.toml": broken})
        result = pytester.runpytest("--agent-gates", "-q")
        assert result.ret == pytest.ExitCode.INTERRUPTED
        result.stdout.fnmatch_lines([f".codex/agents/reviewer.toml:{line}: not valid TOML (*)"])
        result.stdout.no_fnmatch_line("*Traceback*")


def test_kiro_spec_tasks_are_the_features_checklist(pytester):
    tasks = "# Implementation Plan\n\n- [ ] 1. All tests pass\n- [x] 2. No print statements\n"
    make(pytester, {".kiro/specs/notes-search/tasks.md": tasks, "app.py": "print('hi')\n"})
    result = pytester.runpytest("--agent-gates", "--agent-gates-agent=notes-search", "-q")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*.kiro/specs/notes-search/tasks.md:4: *No print statements"])


def test_agents_md_and_claude_md_only_when_named(pytester):
    rules = "# Project rules\n\n## Quality gates\n- All tests pass\n"
    make(
        pytester,
        {"AGENTS.md": rules, "CLAUDE.md": rules, ".claude/agents/b.md": FRONT.format(name="b")},
    )
    default = pytester.runpytest("--agent-gates", "--collect-only", "-q")
    default.stdout.no_fnmatch_line("AGENTS.md::*")
    default.stdout.no_fnmatch_line("CLAUDE.md::*")
    named = pytester.runpytest(
        "--agent-gates", "--collect-only", "-q", "--agent-gates-definitions=AGENTS.md",
        "--agent-gates-definitions=CLAUDE.md",
    )  # fmt: skip
    named.stdout.fnmatch_lines(["AGENTS.md::testing::all-tests-pass", "CLAUDE.md::testing::*"])


def test_without_a_toml_parser_a_codex_agent_is_a_warning_not_a_crash(monkeypatch):
    monkeypatch.setattr(codex_toml, "tomllib", None)  # Python 3.10 without tomli
    read = codex_toml.read(CODEX, ".codex/agents/reviewer.toml")
    assert read.body == "" and read.warning.startswith("line 1: TOML definitions need")
