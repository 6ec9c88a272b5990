"""--agent-gates-changed on a real git repository: file-level findings count only in changed files."""

from __future__ import annotations

import subprocess
from pathlib import Path

AGENT = """\
---
name: backend
---

## Definition of Done
- [ ] No print statements: use logging
- [ ] All tests pass
"""
OLD = '"""Old code."""\n\n\ndef legacy():\n    print("old")\n'
NEW_CLEAN = '"""New code."""\n\n\ndef fresh():\n    return 1\n'
NEW_PRINTING = '"""New code."""\n\n\ndef fresh():\n    print("new")\n'


def git(path: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=path, capture_output=True, text=True, check=True,
    )  # fmt: skip


def repository(pytester) -> Path:
    files = {
        "pyproject.toml": "[tool.pytest.ini_options]\npythonpath = ['.']\n",
        ".claude/agents/backend.md": AGENT,
        "app/__init__.py": '"""The app."""\n',
        "app/old.py": OLD,
        "tests/test_app.py": "def test_ok():\n    assert True\n",
    }
    for name, text in files.items():
        (pytester.path / name).parent.mkdir(parents=True, exist_ok=True)
        (pytester.path / name).write_text(text, encoding="utf-8")
    git(pytester.path, "init", "-q", "-b", "main")
    git(pytester.path, "add", "-A")
    git(pytester.path, "commit", "-q", "-m", "base")
    return pytester.path


def test_findings_outside_the_changed_files_are_not_counted(pytester):
    root = repository(pytester)
    (root / "app" / "new.py").write_text(NEW_CLEAN, encoding="utf-8")  # the change: one new file
    everything = pytester.runpytest("--agent-gates", "-q", "-k", "print")
    everything.assert_outcomes(failed=1, deselected=2)
    everything.stdout.fnmatch_lines(["*app/old.py:5 T201 print()*"])
    changed = pytester.runpytest("--agent-gates", "--agent-gates-changed", "-q", "-k", "print")
    changed.assert_outcomes(passed=1, deselected=2)


def test_a_finding_in_a_changed_file_still_fails_and_only_it_is_shown(pytester):
    root = repository(pytester)
    (root / "app" / "new.py").write_text(NEW_PRINTING, encoding="utf-8")
    result = pytester.runpytest("--agent-gates", "--agent-gates-changed", "-q", "-k", "print")
    result.assert_outcomes(failed=1, deselected=2)
    result.stdout.fnmatch_lines(
        [
            "*logging: failed - 1 finding(s) in changed files; 2 logging problem(s) (checked: no print*",
            "*measured 1, required 0",
            "*app/new.py:5 T201 print() in application code: use logging",
            "*note: --agent-gates-changed: 1 finding(s) outside the 1 file(s) changed against "
            "HEAD not counted",
        ]
    )
    result.stdout.no_fnmatch_line("*app/old.py:5*")


def test_project_wide_checks_are_unchanged(pytester):
    root = repository(pytester)
    (root / "tests" / "test_app.py").write_text("def test_bad():\n    assert False\n")
    git(root, "commit", "-q", "-am", "a failing test, committed: outside the change")
    (root / "app" / "new.py").write_text(NEW_CLEAN, encoding="utf-8")
    result = pytester.runpytest(
        "--agent-gates", "--agent-gates-changed", "-q", "-k", "all-tests or bad"
    )
    result.assert_outcomes(failed=2, deselected=1)
    result.stdout.fnmatch_lines(["*tests-pass: failed*", "*tests/test_app.py:1 FAILED*"])
