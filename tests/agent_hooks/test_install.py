"""``agent-gates install`` and ``uninstall``: merged as JSON, idempotent, others' hooks untouched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

AGENT_GATES = Path(sys.executable).with_name("agent-gates")
CLAUDE = {
    "SubagentStop": [
        {"hooks": [{"type": "command", "command": "agent-gates hook --tool claude",
                    "timeout": 600}]}
    ]
}  # fmt: skip
WRITTEN = {
    "claude": (".claude/settings.json", [], CLAUDE),
    "claude-agent": (
        ".claude/settings.json",
        ["--agent", "backend-developer"],
        {
            "SubagentStop": [
                {"matcher": "^backend-developer$", "hooks": CLAUDE["SubagentStop"][0]["hooks"]}
            ]
        },
    ),  # fmt: skip
    "codex": (
        ".codex/hooks.json",
        [],
        {
            "SubagentStop": [
                {
                    "hooks": [
                        {
                            "type": "command",
                            "command": "agent-gates hook --tool codex",
                            "timeout": 600,
                        }
                    ]
                }
            ]
        },
    ),  # fmt: skip
    "gemini": (
        ".gemini/settings.json",
        ["--agent", "backend-developer"],
        {
            "AfterAgent": [
                {
                    "hooks": [
                        {
                            "name": "agent-gates",
                            "type": "command",
                            "command": "agent-gates hook --tool gemini --agent backend-developer",
                            "timeout": 600000,
                        }
                    ]
                }
            ]
        },
    ),  # fmt: skip
}
THEIRS = {
    "model": "opus",
    "hooks": {
        "PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "audit.sh"}]}],
        "SubagentStop": [{"matcher": "^docs$", "hooks": [{"type": "command", "command": "n.sh"}]}],
    },
}


def agent_gates(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(AGENT_GATES), *args, "--root", str(project)], capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip


def tool_args(case: str, project: Path) -> tuple[Path, list[str], dict]:
    (project / "pyproject.toml").write_text("")
    name, extra, hooks = WRITTEN[case]
    return project / name, ["--tool", case.split("-")[0], *extra], hooks


@pytest.mark.parametrize("case", WRITTEN)
def test_install_on_a_missing_file_writes_the_hook(tmp_path, case):
    path, args, hooks = tool_args(case, tmp_path)
    done = agent_gates(tmp_path, "install", *args)
    assert done.returncode == 0, done.stderr
    assert json.loads(path.read_text(encoding="utf-8")) == {"hooks": hooks}
    assert "hook installed: agent-gates hook --tool" in done.stdout


@pytest.mark.parametrize("case", WRITTEN)
def test_install_merges_into_an_existing_file_and_uninstall_takes_out_only_its_own(tmp_path, case):
    path, args, hooks = tool_args(case, tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(THEIRS, indent=4), encoding="utf-8")
    assert agent_gates(tmp_path, "install", *args).returncode == 0
    merged = json.loads(path.read_text(encoding="utf-8"))
    assert merged["model"] == "opus"
    assert merged["hooks"]["PreToolUse"] == THEIRS["hooks"]["PreToolUse"]
    for event, groups in hooks.items():
        assert merged["hooks"][event] == THEIRS["hooks"].get(event, []) + groups
    done = agent_gates(tmp_path, "uninstall", "--tool", args[1])
    assert done.returncode == 0 and "removed 1 agent-gates hook(s)" in done.stdout
    assert json.loads(path.read_text(encoding="utf-8")) == THEIRS


@pytest.mark.parametrize("case", WRITTEN)
def test_install_twice_changes_nothing_the_second_time(tmp_path, case):
    path, args, _ = tool_args(case, tmp_path)
    agent_gates(tmp_path, "install", *args)
    before = path.read_bytes()
    done = agent_gates(tmp_path, "install", *args)
    assert done.returncode == 0 and "already installed; nothing changed" in done.stdout
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "said", "commands"),
    [
        ('{\n  "hooks": {\n    "Stop": [\n  ,\n}\n', ":4: not valid JSON (Expecting value)",
         ("install", "uninstall")),
        ('[1, 2]\n', ":1: not a JSON object", ("install", "uninstall")),
        ('{"hooks": {"SubagentStop": {"matcher": ""}}}', ': "hooks"."SubagentStop" is not a list',
         ("install",)),
    ],
)  # fmt: skip
def test_a_malformed_settings_file_is_refused_with_its_line_and_never_overwritten(
    tmp_path, content, said, commands
):
    path, args, _ = tool_args("claude", tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    for command in commands:
        done = agent_gates(tmp_path, command, *args)
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.startswith(f"agent-gates: {path}{said}")
        assert "Traceback" not in done.stderr
        assert path.read_text(encoding="utf-8") == content


def test_uninstall_without_a_hook_changes_nothing(tmp_path):
    path, args, _ = tool_args("claude", tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(THEIRS), encoding="utf-8")
    done = agent_gates(tmp_path, "uninstall", *args)
    assert done.returncode == 0 and "nothing changed" in done.stdout
    assert path.read_text(encoding="utf-8") == json.dumps(THEIRS)
