"""change-size and tests-for-changes on real temporary git repositories."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pytest_agentgates.checks import change as change_checks
from pytest_agentgates.checks.change import imported_modules, is_test
from pytest_agentgates.model import FAILED, PASSED
from pytest_agentgates.project import gitdiff
from pytest_agentgates.project.context import CheckContext, TestRecord
from pytest_agentgates.reports import report_facts

SIZE = "## Definition of Done\n- Maximum {n} files per response\n"
TESTS_ALONGSIDE = "## Definition of Done\n- Write unit tests alongside the code\n"
SOURCE = {
    "app/__init__.py": "",
    "app/notes.py": "def title(text):\n    return text.title()\n",
    "app/users.py": "def make_user(name):\n    return {'name': name}\n",
    "tests/test_notes.py": "from app.notes import title\n\n\ndef test_title():\n"
    "    assert title('a b') == 'A B'\n",
    "README.md": "# notes\n",
}
INI = "pythonpath = ['.']"


def git(path: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com",
         "-c", "commit.gpgsign=false", *args],
        cwd=path, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return done.stdout


def committed(path: Path) -> str:
    """Make ``path`` a repository on main with everything committed; the commit's sha."""
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "base")
    return git(path, "rev-parse", "HEAD").strip()


def write(path: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")


def feature_branch(path: Path) -> str:
    """On a branch off main: one file added and committed, one modified, one deleted, one untracked."""
    base = committed(path)
    git(path, "checkout", "-q", "-b", "feature")
    write(path, {"app/search.py": "def find(items, word):\n    return [i for i in items if word in i]\n"
                                  "\n# end\n"})  # fmt: skip
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "search")
    write(path, {"app/notes.py": "def title(text):\n    text = text.strip()\n"
                                 "    return text.title() or 'untitled'\n",
                 "scratch.txt": "notes to self\n"})  # fmt: skip
    (path / "README.md").unlink()
    return base


# --- change-size -------------------------------------------------------------------------------
def test_change_size_fails_with_every_changed_file_and_its_line_counts(pytester, project):
    path = project(SIZE.format(n=3), SOURCE, ini=INI)
    base = feature_branch(path)
    write(path, {"app/__pycache__/notes.cpython-311.pyc": "byte code"})  # no .gitignore here
    result = pytester.runpytest("--agent-gates", "--agent-gates-json=gates.json")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*.claude/agents/backend.md:2: [[]done[]] Maximum 3 files per response",
        f"  change-size: failed - 4 files changed against the merge-base {base[:12]} with the "
        "default branch, over the promised at most 3 files",
        "    measured 4 files, 9 lines, required at most 3 files",
        "    README.md:1 CHG001 deleted, +0 -1 lines",
        "    app/notes.py:2 CHG001 modified, +2 -1 lines",
        "    app/search.py:1 CHG001 added, +4 -0 lines",
        "    scratch.txt:1 CHG001 added, +1 -0 lines",
    ])  # fmt: skip
    result.stdout.no_fnmatch_line("*__pycache__*")  # the run's own byte code is not the change
    (agent,) = json.loads((path / "gates.json").read_text(encoding="utf-8"))["agents"]
    assert agent["items"][0]["params"] == {"max_files": 3}


def test_change_size_passes_within_the_promise_and_with_an_explicit_base(pytester, project):
    path = project(SIZE.format(n=4), SOURCE, ini=INI)
    feature_branch(path)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["*4 file(s), 9 line(s) changed against the merge-base *"])
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "rest")
    since_search = pytester.runpytest("--agent-gates", "-v", "--agent-gates-base=HEAD~1")
    since_search.assert_outcomes(passed=2)
    since_search.stdout.fnmatch_lines(["*3 file(s), 5 line(s) changed against HEAD~1; at most 4 *"])


def test_change_size_counts_lines_when_the_promise_caps_them(pytester, project):
    path = project("## Definition of Done\n- No more than 10 files and 6 lines per change\n",
                   SOURCE, ini=INI)  # fmt: skip
    feature_branch(path)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["  change-size: failed - 9 lines changed against * over the promised at most 10 files, 6 lines"]
    )  # fmt: skip


def test_change_size_in_a_repository_without_history_counts_every_file(pytester, project):
    path = project(SIZE.format(n=3), SOURCE, ini=INI)
    git(path, "init", "-q", "-b", "main")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*change-size: failed - 7 files changed against an empty history (no commit yet: "
        "every file is new)*",
        "    .claude/agents/backend.md:1 CHG001 added, +2 -0 lines",
    ])  # fmt: skip
    roomy = project(SIZE.format(n=7), SOURCE, ini=INI)
    assert roomy == path
    pytester.runpytest("--agent-gates").assert_outcomes(passed=2)


def test_on_the_default_branch_only_uncommitted_changes_count_and_a_note_says_so(pytester, project):
    path = project(SIZE.format(n=1), SOURCE, ini=INI)
    committed(path)
    write(path, {"app/notes.py": SOURCE["app/notes.py"] + "\n\nX = 1\n"})
    result = pytester.runpytest("--agent-gates", "-v", "--agent-gates-json=gates.json")
    result.assert_outcomes(passed=2)
    (agent,) = json.loads((path / "gates.json").read_text(encoding="utf-8"))["agents"]
    (gate,) = agent["items"]
    assert gate["summary"] == (
        "1 file(s), 3 line(s) changed against HEAD (uncommitted changes only); at most 1 files"
    )
    assert gate["notes"][0].startswith("HEAD has no commits of its own beyond a default branch")


def test_outside_a_git_repository_the_change_checks_are_errors_not_passes(pytester, project):
    project(SIZE.format(n=3) + "- Write tests before implementation (TDD)\n", SOURCE, ini=INI)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(["*change-size could not run: * is not in a git repository*"])


def test_a_bad_base_ref_is_an_error(pytester, project):
    path = project(SIZE.format(n=3), SOURCE, ini=INI)
    committed(path)
    result = pytester.runpytest("--agent-gates", "--agent-gates-base=no-such-branch")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines([
        "*change-size could not run: the base 'no-such-branch' names no commit of this repository"
    ])  # fmt: skip


def test_git_changes_keep_sql_comments_and_binary_files_apart_from_headers(tmp_path):
    write(tmp_path, {"schema.sql": "-- the users\nCREATE TABLE users (id INT);\n-- end\n"})
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\0\0\1")
    committed(tmp_path)
    # Removed lines starting "-- " read "--- " in the diff, added "++ x" reads "+++ x".
    write(tmp_path, {"schema.sql": "CREATE TABLE users (id INT);\n++ added\n"})
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\0\0\2")
    change = gitdiff.changes(tmp_path)
    assert change.base == "HEAD"
    assert set(change.files) == {"schema.sql", "logo.png"}
    assert dict(change.counts) == {"schema.sql": (1, 2), "logo.png": (0, 0)}
    assert change.files["schema.sql"] == frozenset({2})
    assert (change.lines_added, change.lines_removed) == (1, 2)


def test_the_change_is_read_from_git_once_for_every_gate_and_the_report(tmp_path, monkeypatch):
    write(tmp_path, SOURCE)
    feature_branch(tmp_path)
    reads = []

    def counted(*args):
        reads.append(args)
        return read(*args)

    read = gitdiff.changes
    monkeypatch.setattr(gitdiff, "changes", counted)
    ctx = CheckContext(tmp_path.resolve(), [tmp_path.resolve()], TestRecord(), lambda: None)
    assert change_checks.change_size({"max_files": 10}, ctx).status == PASSED
    # app/search.py comes without a test
    assert change_checks.tests_for_changes({}, ctx).status == FAILED
    facts = report_facts.gather(ctx, [], "pytest")
    assert len(reads) == 1
    assert facts.change == gitdiff.session_change(ctx)


# --- tests-for-changes -------------------------------------------------------------------------
def test_changed_modules_with_tests_named_for_them_or_importing_them_pass(pytester, project):
    path = project(TESTS_ALONGSIDE, SOURCE, ini=INI)
    committed(path)
    git(path, "checkout", "-q", "-b", "feature")
    write(path, {
        "app/__init__.py": '"""Notes."""\n',
        "app/notes.py": SOURCE["app/notes.py"] + "\n\ndef shout(text):\n    return text.upper()\n",
        "app/users.py": SOURCE["app/users.py"] + "\n\nADMIN = 'root'\n",
        "tests/test_notes.py": SOURCE["tests/test_notes.py"] + "\n\ndef test_more():\n    pass\n",
        "tests/api_test.py": "from app.users import make_user\n\n\ndef test_user():\n"
                             "    assert make_user('a')['name'] == 'a'\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(
        ["*3 changed module(s), each with an added or changed test, against HEAD (uncommitted*"]
    )


def test_a_changed_module_without_a_changed_test_is_listed(pytester, project):
    path = project(TESTS_ALONGSIDE, {
        **SOURCE, "tests/test_api.py": "def test_api():\n    pass\n",
        "migrations/versions/a1.py": "revision = 'a1'\n",
    }, ini=INI)  # fmt: skip
    committed(path)
    git(path, "checkout", "-q", "-b", "feature")
    write(path, {
        "app/users.py": SOURCE["app/users.py"] + "\n\nADMIN = 'root'\n",
        "app/notes.py": SOURCE["app/notes.py"] + "\n# reviewed\n",
        # Traps: a test that only mentions users, and a migration (not a source module).
        "tests/test_api.py": "def test_api():\n    assert 'app.users' != 'users'\n",
        "migrations/versions/a1.py": "revision = 'a1'\ndown_revision = None\n",
    })  # fmt: skip
    (path / "tests" / "test_notes.py").unlink()  # a deleted test covers nothing
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "users")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "  tests-for-changes: failed - 2 of 2 changed module(s) come without a test in the change "
        "against the merge-base *",
        "    app/notes.py:3 TFC001 app.notes changed (modified, +2 -0 lines) with no added or "
        "changed test: no test_notes.py or notes_test.py, no changed test imports it",
        "    app/users.py:3 TFC001 app.users changed (modified, +3 -0 lines) with no added or "
        "changed test*",
    ])  # fmt: skip
    result.stdout.no_fnmatch_line("*a1.py*TFC001*")


def test_new_modules_in_a_repository_without_history_need_tests_too(pytester, project):
    path = project(TESTS_ALONGSIDE, SOURCE, ini=INI)
    git(path, "init", "-q", "-b", "main")
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*app/users.py:1 TFC001 app.users changed (added, +2 -0 lines)*"])
    result.stdout.no_fnmatch_line("*app/notes.py:1 TFC001*")
    result.stdout.no_fnmatch_line("*app/__init__.py:1 TFC001*")  # tests import app.notes


def test_only_tests_changed_means_nothing_to_check(pytester, project):
    path = project(TESTS_ALONGSIDE, SOURCE, ini=INI)
    committed(path)
    write(path, {"tests/test_notes.py": SOURCE["tests/test_notes.py"] + "\n# more\n"})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(
        ["SKIPPED * skipped: no source module changed against HEAD (uncommitted changes only)"]
    )


@pytest.mark.parametrize(
    ("relative", "expected"),
    [("tests/unit/helpers.py", True), ("test_x.py", True), ("pkg/x_test.py", True),
     ("tests/data.json", False), ("app/testing_tools.py", False), ("contest.py", False)],
)  # fmt: skip
def test_what_counts_as_a_test_file(relative, expected):
    assert is_test(relative) is expected


def test_imports_are_read_without_running_the_file(tmp_path):
    test = tmp_path / "test_x.py"
    test.write_text("import a.b\nfrom c import d, e\nfrom . import local\n"
                    "def f():\n    from g.h import i\n", encoding="utf-8")  # fmt: skip
    ctx = CheckContext(tmp_path, [], TestRecord(), lambda: None)
    assert imported_modules(ctx, test) == {"a.b", "c", "c.d", "c.e", "g.h", "g.h.i"}
    (tmp_path / "broken_test.py").write_text("def (:\n", encoding="utf-8")
    assert imported_modules(ctx, tmp_path / "broken_test.py") == frozenset()
