"""The GitHub Action: its metadata validates, and its gate step, run as the runner would, sets the
step summary, the outputs and the exit code on the example service."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from pytest_agentgates.session import github_action

ROOT = Path(__file__).resolve().parents[2]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
SCHEMA = json.loads((ROOT / "tests" / "data" / "github-action-schema.json").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def test_action_metadata_validates_against_the_schema():
    jsonschema.Draft7Validator(SCHEMA).validate(ACTION)


def test_every_input_the_steps_read_is_declared_and_every_output_comes_from_the_gate_step():
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    used = set(re.findall(r"inputs\.([\w-]+)", text))
    assert used <= set(ACTION["inputs"]), used - set(ACTION["inputs"])
    for name, output in ACTION["outputs"].items():
        assert output["value"] == f"${{{{ steps.gates.outputs.{name} }}}}"


def test_pytest_arguments_are_split_like_a_shell_and_never_run_by_one(tmp_path):
    environ = {"INPUT_PYTEST_ARGS": "-k 'notes and not slow' -q; rm -rf /", "INPUT_SARIF": "true"}
    args = github_action.arguments(environ, tmp_path / "g.json")
    assert args[:6] == ["--agent-gates", "-k", "notes and not slow", "-q;", "rm", "-rf"]
    assert args[-2:] == ["--agent-gates-sarif", "agent-gates.sarif"]


def _step(name: str) -> dict:
    return next(step for step in ACTION["runs"]["steps"] if step.get("id") == name)


def _expand(value: str, inputs: dict[str, str]) -> str:
    """The runner's ``${{ inputs.x }}``, with the action's defaults for inputs not given."""

    def value_of(match: re.Match) -> str:
        expression = match.group(1)
        assert expression.startswith("inputs."), expression
        name = expression.removeprefix("inputs.")
        return inputs.get(name, ACTION["inputs"][name].get("default", ""))

    return EXPRESSION.sub(value_of, value)


def run_gate_step(folder: Path, tmp_path: Path, **inputs: str) -> tuple[int, str, dict, str]:
    """Run the gate step's shell command with its environment, as a GitHub runner would."""
    step = _step("gates")
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env.update({key: _expand(str(value), inputs) for key, value in step["env"].items()})
    env.update(GITHUB_ACTIONS="true", GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(outputs),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}")  # fmt: skip
    workdir = folder / _expand(step["working-directory"], inputs)
    done = subprocess.run([shutil.which("bash"), "-c", step["run"]], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    written = outputs.read_text() if outputs.exists() else ""
    found = dict(line.split("=", 1) for line in written.splitlines())
    text = summary.read_text() if summary.exists() else ""
    return done.returncode, done.stdout + done.stderr, found, text


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example service in a fresh git repository (diff coverage needs one)."""
    folder = tmp_path / "service"
    shutil.copytree(ROOT / "examples" / "service", folder,
                    ignore=shutil.ignore_patterns("build", ".pytest_cache", "__pycache__"))  # fmt: skip
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):  # fmt: skip
        subprocess.run(["git", *command], cwd=folder, check=True)
    return folder


def test_the_gate_step_on_the_example_passes_and_sets_every_output(example, tmp_path):
    code, log, outputs, summary = run_gate_step(
        example,
        tmp_path,
        sarif="true",
        report="build/report.md",
        # The latency budget is the one promise a loaded machine can break: left out here.
        **{"pytest-args": "-k 'not benchmark'"},
    )
    assert code == 0, log
    assert outputs["failed"] == "0" and outputs["errors"] == "0", outputs
    assert int(outputs["passed"]) >= 25 and int(outputs["machine-verified"]) >= 25, outputs
    assert outputs["manual"] == "1"
    sarif = json.loads((example / outputs["sarif"]).read_text())
    assert sarif["version"] == "2.1.0"
    assert summary.startswith("## Agent gates\n")
    assert "### Failures\n\nNo gate failed." in summary
    assert "<details><summary>All 33 promises</summary>" in summary
    report = (example / "build" / "report.md").read_text()
    assert "## Summary\n\n### Failures\n\nNo gate failed." in report


def test_the_job_fails_exactly_when_a_gate_fails_with_the_failure_in_the_summary(example, tmp_path):
    services = example / "notes" / "services.py"
    services.write_text("# TODO: paginate\n" + services.read_text())
    code, log, outputs, summary = run_gate_step(
        example, tmp_path, **{"pytest-args": "--agent-gates-static"}
    )
    assert code == 1, log
    assert outputs["failed"] == "1" and outputs["errors"] == "0", outputs
    assert "sarif" not in outputs
    failures = summary.split("### Failures", 1)[1]
    assert "No placeholder code" in failures
    assert "notes/services.py:" in failures and "TODO" in failures


def test_a_usage_error_is_pytests_exit_code_with_no_outputs(example, tmp_path):
    code, log, outputs, _ = run_gate_step(
        example, tmp_path, **{"pytest-args": "--agent-gates-phase=shipping"}
    )
    assert code == pytest.ExitCode.USAGE_ERROR, log
    assert "'shipping' is not a phase" in log
    assert outputs == {}
