"""Time one pytest run in a fresh interpreter: wall time and CPU time (user + system)."""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path


def run_pytest(cwd: Path, args: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """``python -m pytest -q *args`` in ``cwd``; exits with pytest's output on another code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok_codes:
        raise SystemExit(
            f"pytest {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}"
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu
