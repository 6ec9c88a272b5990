"""``install --in-frontmatter``: the hooks block goes into one agent's front matter, nothing else moves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

AGENT_GATES = Path(sys.executable).with_name("agent-gates")
DEFINITION = (
    "---\n"
    "name: backend-developer\n"
    "description: Builds it   # a comment, and odd spacing, kept as they are\n"
    "tools: Read, Edit, Bash\n"
    "---\n"
    "\n"
    "## Definition of Done\n"
    "- [ ] No print statements\n"
)
BLOCK = (
    "hooks:\n"
    "  Stop:\n"
    "    - hooks:\n"
    "        - type: command\n"
    "          command: agent-gates hook --tool claude\n"
    "          timeout: 600\n"
)


def agent_gates(project: Path, command: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(AGENT_GATES), command, "--in-frontmatter", "--root", str(project), *args],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def definition(project: Path, text: str) -> Path:
    (project / "pyproject.toml").write_text("")
    path = project / ".claude" / "agents" / "backend.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(text.encode("utf-8"))
    return path


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_the_block_is_added_byte_for_byte_and_removed_the_same(tmp_path, newline):
    original = DEFINITION.replace("\n", newline)
    path = definition(tmp_path, original)
    done = agent_gates(tmp_path, "install", "--agent", "backend-developer")
    assert done.returncode == 0, done.stderr
    head, rest = original.split("tools: Read, Edit, Bash" + newline)
    added = head + "tools: Read, Edit, Bash" + newline + BLOCK.replace("\n", newline) + rest
    assert path.read_bytes() == added.encode("utf-8")
    again = agent_gates(tmp_path, "install", "--agent", "backend-developer")
    assert "already in its front matter; nothing changed" in again.stdout
    assert path.read_bytes() == added.encode("utf-8")
    assert agent_gates(tmp_path, "uninstall", "--agent", "backend-developer").returncode == 0
    assert path.read_bytes() == original.encode("utf-8")


def test_the_added_block_is_valid_yaml_and_the_agent_still_reads(tmp_path):
    import yaml

    path = definition(tmp_path, DEFINITION)
    agent_gates(tmp_path, "install", "--agent", "backend-developer")
    front = path.read_text(encoding="utf-8").split("---\n")[1]
    fields = yaml.safe_load(front)
    assert fields["name"] == "backend-developer"
    assert fields["hooks"]["Stop"][0]["hooks"][0]["command"] == "agent-gates hook --tool claude"


def test_a_front_matter_with_its_own_hooks_is_refused_and_unchanged(tmp_path):
    theirs = DEFINITION.replace("tools:", "hooks:\n  Stop: []\ntools:")
    path = definition(tmp_path, theirs)
    done = agent_gates(tmp_path, "install", "--agent", "backend-developer")
    assert done.returncode == 1
    assert f"{path}:4: the front matter already has a hooks: block" in done.stderr
    assert path.read_text(encoding="utf-8") == theirs


def test_an_unknown_agent_or_another_tool_is_refused(tmp_path):
    definition(tmp_path, DEFINITION)
    unknown = agent_gates(tmp_path, "install", "--agent", "frontend")
    assert unknown.returncode == 1 and "no agent named 'frontend'" in unknown.stderr
    codex = agent_gates(tmp_path, "install", "--agent", "backend-developer", "--tool", "codex")
    assert codex.returncode == 1 and "needs --tool claude" in codex.stderr
