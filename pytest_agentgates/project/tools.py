"""Run a Python tool (ruff, bandit) once in a subprocess and read its JSON output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..model import CheckCouldNotRun

TIMEOUT_SECONDS = 600


def run_json(module: str, args: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0,)) -> Any:
    """``python -m module *args`` in ``cwd``; its standard output parsed as JSON.

    The arguments are fixed flags and paths chosen by the plugin; no text from an agent
    definition ever reaches a command line, and no shell is involved.
    """
    command = [sys.executable, "-m", module, *args]
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired as error:
        raise CheckCouldNotRun(f"{module} did not finish within {TIMEOUT_SECONDS} s") from error
    except OSError as error:
        raise CheckCouldNotRun(f"{module} could not be started: {error}") from error
    if done.returncode not in ok_codes:
        raise CheckCouldNotRun(f"{module} exited with code {done.returncode}: {_tail(done.stderr)}")
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise CheckCouldNotRun(
            f"{module} did not print JSON ({error.msg}); stderr: {_tail(done.stderr)}"
        ) from error


def _tail(text: str, lines: int = 5) -> str:
    tail = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return " | ".join(tail) or "(no output)"
