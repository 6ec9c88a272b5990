"""Wall time of the bundled example's test run: plugin disabled, installed but off, and enabled."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "service"
VARIANTS = {
    "plugin blocked (-p no:agentgates)": ["-p", "no:agentgates"],
    "installed, not enabled": [],
    "--agent-gates": ["--agent-gates"],
    "--agent-gates -n 2": ["--agent-gates", "-n", "2"],
}


def run_once(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(
            f"pytest {' '.join(args)} exited {done.returncode}:\n{done.stdout[-2000:]}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per variant (default 5)")
    options = parser.parse_args()
    baseline = None
    print(f"example: {EXAMPLE}  ({options.repeat} runs each, median wall time)")
    for name, args in VARIANTS.items():
        times = [run_once(args) for _ in range(options.repeat)]
        median = statistics.median(times)
        baseline = baseline or median
        print(f"  {name:<36} {median:6.2f} s  ({100 * (median / baseline - 1):+5.1f} %)")


if __name__ == "__main__":
    main()
