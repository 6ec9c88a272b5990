"""Gate evaluation, bandit alone and paired suite runs on a real project, side by side in one run.

Set the project up once (a checkout of a public repository at a recorded commit, its own venv
with its CI's test dependencies plus this plugin), then, for example::

    python benchmarks/realworld.py --checkout /tmp/drf --python /tmp/venv-drf/bin/python \
        --git-dir /work/.mirror/encode+django-rest-framework/repo --source rest_framework \
        --agent /work/shared/seeds/000_*.txt [--suite] [--profile /tmp/gates.prof]

The agent definition is written to ``.claude/agents/backend-developer.md`` in the checkout.
Every figure is one run (the machine is shared): wall seconds, CPU seconds (user + system of the
process and everything it waited for) and peak resident memory, from ``os.wait4``.
"""

from __future__ import annotations

import argparse
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DESELECT_ALL = ["-m", "agent_gate"]  # selects gates only; every test of the suite is deselected
NOTHING = ["-k", "agent_gates_matches_no_test"]  # the same without the plugin (marker unknown)
ALL_DESELECTED = 5  # pytest's exit code when nothing was selected
# What the profile groups under each check family; the first check to ask for shared work pays.
SHARED = {
    "sources (read + parse)": "project/sources.py:python_files",
    "bandit run": "checks/security.py:bandit_run",
    "ruff check run": "checks/ruff_run.py:ruff_results",
    "ruff format run": "checks/lint.py:format_findings",
    "coverage totals": "project/coverage_engine.py:totals",
    "routes": "project/routes.py:find_routes",
    "error paths": "project/error_paths.py:find_error_paths",
}


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float
    code: int

    def __str__(self) -> str:
        return f"{self.wall:7.2f} s wall {self.cpu:7.2f} s CPU {self.peak_mib:6.0f} MiB peak"


def measure(command: list[str], cwd: Path, ok_codes: tuple[int, ...]) -> Run:
    """Run ``command``; its wall and CPU time and peak memory (with its children's)."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in ok_codes:
            output.seek(0)
            tail = output.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{tail}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode)


def touched(source: Path, command: list[str], cwd: Path, ok_codes: tuple[int, ...]) -> Run:
    """``command`` run after one module of ``source`` changed (a comment added), then restored."""
    module = next(iter(sorted(source.rglob("*.py")))) if source.is_dir() else source
    text = module.read_bytes()
    module.write_bytes(text + b"\n# touched by realworld.py\n")
    try:
        return measure(command, cwd, ok_codes)
    finally:
        module.write_bytes(text)


def pytest(python: str, *args: str) -> list[str]:
    return [python, "-m", "pytest", "-q", "-p", "no:randomly", *args]


def profile_families(path: Path) -> list[tuple[str, float]]:
    """Seconds per check family (each family's ``evaluate``) and per shared run, from cProfile."""
    stats = pstats.Stats(str(path)).stats  # type: ignore[attr-defined]
    by_name: dict[str, float] = {}
    for (filename, _, function), (_, _, _, cumulative, _) in stats.items():
        if "pytest_agentgates/" not in filename:
            continue
        name = f"{filename.split('pytest_agentgates/')[1]}:{function}"
        by_name[name] = max(by_name.get(name, 0.0), cumulative)
    rows = [(f"check {name.split('/')[1].split('.')[0]}", seconds)
            for name, seconds in by_name.items()
            if name.startswith("checks/") and name.endswith(".py:evaluate")
            and "verdict.py" not in name]  # fmt: skip
    rows += [(f"shared {label}", by_name.get(name, 0.0)) for label, name in SHARED.items()]
    rows.append(("all gates (session.verdict)", by_name.get("session/session.py:verdict", 0.0)))
    return sorted(rows, key=lambda row: -row[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkout", type=Path, required=True)
    parser.add_argument("--python", required=True, help="the project's venv interpreter")
    parser.add_argument("--git-dir", type=Path, help="to record the commit measured")
    parser.add_argument("--source", required=True, help="the package bandit scans, e.g. src/app")
    parser.add_argument("--agent", type=Path, required=True, help="the agent definition to use")
    parser.add_argument("--suite", action="store_true", help="also run the suite, paired (long)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of a cold gate run here")
    options = parser.parse_args()
    root, python = options.checkout.resolve(), options.python
    agents = root / ".claude" / "agents"
    agents.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(options.agent, agents / "backend-developer.md")
    if options.git_dir:
        commit = subprocess.run(["git", "--git-dir", str(options.git_dir), "rev-parse", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
        print(f"project: {root} at {commit}")
    print(f"python: {subprocess.check_output([python, '-V'], text=True).strip()}")
    gates = (0, 1)  # failed gates are fine: the time is what is measured
    runs = {
        "no gates, all deselected": measure(
            pytest(python, *NOTHING, "-p", "no:cacheprovider"), root, (ALL_DESELECTED,)
        ),
        "gates, all tests deselected, cold": measure(
            pytest(python, "--agent-gates", *DESELECT_ALL, "--cache-clear"), root, gates
        ),
        "gates, all tests deselected, warm": measure(
            pytest(python, "--agent-gates", *DESELECT_ALL), root, gates
        ),
        "gates, all tests deselected, one file touched": touched(
            root / options.source, pytest(python, "--agent-gates", *DESELECT_ALL), root, gates
        ),
        "bandit alone": measure(
            [python, "-m", "bandit", "-r", options.source, "-f", "json", "-q", "-o", os.devnull],
            root,
            (0, 1),
        ),
    }
    if options.suite:
        runs["pytest --cov --cov-branch"] = measure(
            pytest(python, "--cov", "--cov-branch", "-p", "no:cacheprovider"), root, (0, 1)
        )
        runs["pytest --agent-gates"] = measure(
            pytest(python, "--agent-gates", "-p", "no:cacheprovider"), root, gates
        )
    for name, run in runs.items():
        print(f"  {name:<46} {run}")
    base = runs["no gates, all deselected"].wall
    bandit = runs["bandit alone"].wall
    for kind in ("cold", "warm", "one file touched"):
        spent = runs[f"gates, all tests deselected, {kind}"].wall - base
        cpu = (
            runs[f"gates, all tests deselected, {kind}"].cpu - runs["no gates, all deselected"].cpu
        )
        print(f"gate evaluation {kind}: {spent:6.2f} s wall, {cpu:6.2f} s CPU "
              f"(bandit alone {bandit:.2f} s)")  # fmt: skip
    if options.suite:
        ratio = runs["pytest --agent-gates"].wall / runs["pytest --cov --cov-branch"].wall
        print(f"--agent-gates / --cov --cov-branch: {ratio:.2f}")
    if options.profile:
        command = [python, "-m", "cProfile", "-o", str(options.profile), "-m", "pytest", "-q",
                   "-p", "no:randomly", "--agent-gates", *DESELECT_ALL, "--cache-clear"]  # fmt: skip
        measure(command, root, gates)
        print("profile of a cold gate run (cumulative seconds, under cProfile):")
        for name, seconds in profile_families(options.profile):
            if seconds >= 0.05:
                print(f"  {name:<36} {seconds:6.2f}")


if __name__ == "__main__":
    sys.exit(main())
