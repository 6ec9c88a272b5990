"""The GitHub Action's step (``action.yml``): run the gates, set the step outputs, fail on a gate.

Run as ``python -m pytest_agentgates.session.github_action``; the action passes its inputs in
the environment (``INPUT_PYTEST_ARGS``, ``INPUT_SARIF``, ``INPUT_REPORT``), never through a shell.
The job fails exactly when a gate fails or errors: a failing test fails it only through a gate
such as ``tests-pass``. When pytest stops before the gates ran (a usage error, say), its own exit
code is returned.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

import pytest

SARIF_DEFAULT = "agent-gates.sarif"
OUTPUTS = ("passed", "failed", "error", "manual", "skipped", "attested", "waived")


def arguments(environ: dict[str, str], json_path: Path) -> list[str]:
    args = ["--agent-gates", *shlex.split(environ.get("INPUT_PYTEST_ARGS", ""))]
    args += ["--agent-gates-json", str(json_path)]
    if _true(environ.get("INPUT_SARIF", "")):
        args += ["--agent-gates-sarif", sarif_path(environ)]
    if environ.get("INPUT_REPORT", "").strip():
        args += ["--agent-gates-report", environ["INPUT_REPORT"].strip()]
    return args


def sarif_path(environ: dict[str, str]) -> str:
    return environ.get("INPUT_SARIF_FILE", "").strip() or SARIF_DEFAULT


def outputs(totals: dict[str, int], environ: dict[str, str]) -> dict[str, str]:
    found = {name: str(totals.get(name, 0)) for name in OUTPUTS}
    found["errors"] = found.pop("error")
    found["total"] = str(totals.get("total", 0))
    found["machine-verified"] = str(totals.get("machine_verified", 0))
    if _true(environ.get("INPUT_SARIF", "")):
        found["sarif"] = sarif_path(environ)
    return found


def main(environ: dict[str, str] | None = None) -> int:
    environ = dict(os.environ if environ is None else environ)
    with tempfile.TemporaryDirectory(prefix="agent-gates-") as folder:
        report = Path(folder) / "gates.json"
        code = int(pytest.main(arguments(environ, report)))
        if not report.is_file():
            return code  # the gates did not run; pytest has said why
        totals = json.loads(report.read_text(encoding="utf-8"))["totals"]
    found = outputs(totals, environ)
    if environ.get("GITHUB_OUTPUT"):
        with open(environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as written:
            written.writelines(f"{name}={value}\n" for name, value in found.items())
    return 1 if int(found["failed"]) or int(found["errors"]) else 0


def _true(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "yes", "on")


if __name__ == "__main__":
    sys.exit(main())
