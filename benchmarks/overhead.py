"""Wall time of the bundled example's test run: plugin disabled, installed but off, and enabled."""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from timing import run_pytest  # benchmarks/timing.py, beside this script

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "service"
VARIANTS = {
    "plugin blocked (-p no:agentgates)": ["-p", "no:agentgates"],
    "installed, not enabled": [],
    "--agent-gates": ["--agent-gates"],
    "--agent-gates -n 2": ["--agent-gates", "-n", "2"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per variant (default 5)")
    options = parser.parse_args()
    baseline = None
    print(f"example: {EXAMPLE}  ({options.repeat} runs each, median wall time)")
    for name, args in VARIANTS.items():
        times = [run_pytest(EXAMPLE, args, ok_codes=(0, 1))[0] for _ in range(options.repeat)]
        median = statistics.median(times)
        baseline = baseline or median
        print(f"  {name:<36} {median:6.2f} s  ({100 * (median / baseline - 1):+5.1f} %)")


if __name__ == "__main__":
    main()
