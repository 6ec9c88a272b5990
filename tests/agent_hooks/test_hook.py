"""The real ``agent-gates hook`` command, fed each tool's recorded payload, on a project made here."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

AGENT_GATES = Path(sys.executable).with_name("agent-gates")
PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "hooks"
AGENT = """\
    ---
    name: backend
    description: Builds the service
    ---

    ## Definition of Done
    - [ ] All tests pass
    - [ ] No print statements: use logging
    - [ ] Customers are delighted
    """
PRINTING = '"""The app."""\n\n\ndef run():\n    print("hi")\n'
LOGGING = (
    '"""The app."""\n\nimport logging\n\n\ndef run():\n    logging.getLogger(__name__).info("hi")\n'
)
PROMISE = '.claude/agents/backend.md:8 "No print statements: use logging"'
FINDING = "app.py:5 T201 print() in application code: use logging"


def make(root: Path, app: str = PRINTING, extra: dict[str, str] | None = None) -> Path:
    files = {
        "pyproject.toml": "[tool.pytest.ini_options]\n",
        ".claude/agents/backend.md": textwrap.dedent(AGENT),
        "app.py": app,
        "tests/test_app.py": "def test_ok():\n    assert True\n",
        **(extra or {}),
    }
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    return root


def payload(name: str, project: Path, **changes) -> str:
    data = json.loads((PAYLOADS / name).read_text(encoding="utf-8"))
    data["cwd"] = str(project)
    data.update(changes)
    return json.dumps(data)


def hook(project: Path, stdin: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(AGENT_GATES), "hook", *args], input=stdin, capture_output=True, text=True,
        cwd=project, timeout=300,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("tool", "fixture", "args", "decision"),
    [
        ("claude", "claude-subagent-stop.json", [], "block"),
        ("codex", "codex-subagent-stop.json", [], "block"),
        ("gemini", "gemini-after-agent.json", ["--agent", "backend"], "deny"),
    ],
)
def test_a_failing_promise_blocks_in_the_tools_format(tmp_path, tool, fixture, args, decision):
    project = make(tmp_path)
    done = hook(project, payload(fixture, project), "--tool", tool, *args)
    assert (done.returncode, done.stderr) == (0, "")
    answer = json.loads(done.stdout)
    assert answer["decision"] == decision
    reason = answer["reason"]
    assert PROMISE in reason and FINDING in reason
    assert "logging: measured 1, promised 0" in reason
    assert "Reproduce: python -m pytest --agent-gates --agent-gates-agent=backend" in reason
    assert "Customers are delighted" not in reason  # a manual promise never blocks
    assert "All tests pass" not in reason


@pytest.mark.parametrize(
    ("tool", "fixture", "args", "silence"),
    [
        ("claude", "claude-subagent-stop.json", [], ""),
        ("codex", "codex-subagent-stop.json", [], "{}\n"),
        ("gemini", "gemini-after-agent.json", ["--agent", "backend"], "{}\n"),
    ],
)
def test_kept_promises_allow_the_stop(tmp_path, tool, fixture, args, silence):
    project = make(tmp_path, LOGGING)
    done = hook(project, payload(fixture, project), "--tool", tool, *args)
    assert (done.returncode, done.stdout, done.stderr) == (0, silence, "")


def test_a_plugin_agent_is_found_by_the_last_part_of_its_type(tmp_path):
    project = make(tmp_path)
    event = payload("claude-subagent-stop.json", project, agent_type="notes-plugin:backend")
    done = hook(project, event)
    assert json.loads(done.stdout)["decision"] == "block"


def test_task_completed_is_held_by_exit_code_2(tmp_path):
    project = make(tmp_path)
    done = hook(project, payload("claude-task-completed.json", project), "--agent", "backend")
    assert (done.returncode, done.stdout) == (2, "")
    assert PROMISE in done.stderr and FINDING in done.stderr


def test_stop_hook_active_allows_and_says_the_gates_still_fail(tmp_path):
    project = make(tmp_path)
    done = hook(project, payload("claude-subagent-stop.json", project, stop_hook_active=True))
    assert done.returncode == 0
    answer = json.loads(done.stdout)
    assert "decision" not in answer
    assert answer["systemMessage"].startswith("agent-gates: the gates still fail; the stop is")
    assert "already continuing after a stop hook" in answer["systemMessage"]
    assert PROMISE in answer["systemMessage"] and PROMISE in done.stderr


def test_after_n_blocks_in_a_row_the_stop_is_allowed_and_the_count_starts_again(tmp_path):
    project = make(tmp_path)
    event = payload("claude-subagent-stop.json", project, session_id="capped")
    other = payload("claude-subagent-stop.json", project, session_id="another")
    answers = [json.loads(hook(project, event, "--max-blocks", "2").stdout) for _ in range(3)]
    assert [answer.get("decision") for answer in answers] == ["block", "block", None]
    assert "it was sent back 2 times in a row" in answers[2]["systemMessage"]
    assert PROMISE in answers[2]["systemMessage"]
    assert list((project / ".pytest_cache" / "d" / "agent-gates").iterdir()) == []
    assert json.loads(hook(project, other, "--max-blocks", "2").stdout)["decision"] == "block"
    assert json.loads(hook(project, event, "--max-blocks", "2").stdout)["decision"] == "block"


@pytest.mark.parametrize("agent_type", ["", "frontend", "other-plugin:frontend"])
def test_an_empty_or_unknown_agent_type_allows_silently_without_a_run(tmp_path, agent_type):
    project = make(tmp_path)
    done = hook(project, payload("claude-subagent-stop.json", project, agent_type=agent_type))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert not (project / ".pytest_cache").exists()  # the gates were not run at all


def test_an_event_that_is_no_stop_is_left_alone(tmp_path):
    project = make(tmp_path)
    event = payload("claude-subagent-stop.json", project, hook_event_name="SubagentStart")
    done = hook(project, event)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


@pytest.mark.parametrize(
    ("extra", "stdin", "args", "said"),
    [
        ({"conftest.py": "raise RuntimeError('broken conftest')\n"}, None, [],
         "agent-gates: pytest ended with exit code 4:"),
        ({"tests/test_slow.py": "import time\n\n\ndef test_slow():\n    time.sleep(30)\n"},
         None, ["--timeout", "2"], "agent-gates: the gates took longer than 2s and were stopped"),
        ({}, "not json {", [], "agent-gates: stdin is not JSON (line 1:"),
        ({}, None, ["--python", "/nonexistent/python"], "agent-gates: could not start"),
    ],
)  # fmt: skip
def test_an_internal_error_or_a_timeout_allows_with_the_error_on_stderr(
    tmp_path, extra, stdin, args, said
):
    project = make(tmp_path, extra=extra)
    done = hook(project, stdin or payload("claude-subagent-stop.json", project), *args)
    assert done.returncode == 0
    assert done.stderr.startswith(said)
    assert done.stderr.rstrip().endswith("agent-gates: the stop is allowed.")
    assert "decision" not in json.loads(done.stdout)


def test_a_top_level_stop_gates_the_definitions_the_project_names(tmp_path):
    project = make(tmp_path)
    done = hook(project, payload("claude-stop.json", project))
    answer = json.loads(done.stdout)
    assert answer["decision"] == "block" and PROMISE in answer["reason"]
    elsewhere = make(tmp_path / "none", extra={".claude/agents/backend.md": "# no front matter\n"})
    (elsewhere / ".claude" / "agents" / "backend.md").unlink()
    quiet = hook(elsewhere, payload("claude-stop.json", elsewhere))
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")  # no definitions at all


@pytest.mark.parametrize(
    ("app", "code", "said"), [(PRINTING, 1, PROMISE), (LOGGING, 0, "no promise")]
)
def test_check_is_the_same_run_at_a_terminal(tmp_path, app, code, said):
    project = make(tmp_path, app)
    done = subprocess.run(
        [str(AGENT_GATES), "check", "--agent", "backend"], capture_output=True, text=True,
        cwd=project, timeout=300,
    )  # fmt: skip
    assert done.returncode == code and said in done.stdout


def test_changed_counts_only_the_files_changed_against_the_base(tmp_path):
    project = make(tmp_path)  # app.py prints: committed, so outside the change
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.com",
             "-c", "commit.gpgsign=false", *args],
            cwd=project, check=True, capture_output=True,
        )  # fmt: skip
    (project / "feature.py").write_text('"""New."""\n\n\ndef f():\n    return 1\n')
    event = payload("claude-subagent-stop.json", project)
    assert json.loads(hook(project, event).stdout)["decision"] == "block"
    assert hook(project, event, "--changed").stdout == ""
