"""Run the gates in a child pytest with the project's own interpreter and read its JSON report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEOUT = 540  # seconds; install gives the tool's hook 600, so this one ends first


class RunError(Exception):
    """The gates could not be run or read: never a reason to keep an agent from stopping."""


@dataclass(frozen=True)
class Run:
    report: dict
    command: tuple[str, ...]  # to reproduce, as a person would type it
    seconds: float


def interpreter(root: Path, given: str | None) -> str:
    """``--python``, else the project's virtual environment, else the active one, else ours."""
    if given:
        return given
    for venv in (root / ".venv", root / "venv", os.environ.get("VIRTUAL_ENV")):
        if not venv:
            continue
        for python in (Path(venv) / "bin" / "python", Path(venv) / "Scripts" / "python.exe"):
            if python.is_file():
                return str(python)
    return sys.executable


def gate_args(agents: list[str], definitions: list[str], changed: bool = False) -> list[str]:
    return [
        "--agent-gates",
        *(["--agent-gates-changed"] if changed else []),
        *(f"--agent-gates-agent={name}" for name in agents),
        *(f"--agent-gates-definitions={path}" for path in definitions),
    ]


def run(root: Path, python: str, args: list[str], timeout: float) -> Run:
    with tempfile.TemporaryDirectory(prefix="agent-gates-") as scratch:
        report_path = Path(scratch) / "gates.json"
        command = [python, "-m", "pytest", *args, f"--agent-gates-json={report_path}", "-q"]
        started = time.monotonic()
        try:
            done = subprocess.run(
                command, cwd=root, capture_output=True, text=True, timeout=timeout,
                stdin=subprocess.DEVNULL,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise RunError(f"the gates took longer than {timeout:g}s and were stopped") from None
        except OSError as error:
            raise RunError(f"could not start {python}: {error}") from None
        seconds = time.monotonic() - started
        if done.returncode not in (0, 1) or not report_path.is_file():
            tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
            raise RunError(f"pytest ended with exit code {done.returncode}:\n{tail}")
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise RunError(f"the gate report could not be read: {error}") from None
    # Imported here: it brings in every check, and the hook's silent answers need none of them.
    from ..reports.report_json import SCHEMA

    if not isinstance(report, dict) or report.get("schema") != SCHEMA:
        raise RunError(f"the gate report is not of schema {SCHEMA}")
    shown = ("python", "-m", "pytest", *args)
    return Run(report, shown, seconds)
