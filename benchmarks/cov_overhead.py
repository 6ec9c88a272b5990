"""Wall time that ``pytest --agent-gates`` adds over ``pytest --cov`` on a generated 500+ test suite.

The generated project has a package of modules with branches and a test suite that covers most of
it; its agent definition promises line coverage (and, with ``--branch``, branch coverage too).
Each variant runs ``--repeat`` times in a fresh interpreter; the median wall time is reported,
and the added time relative to ``pytest --cov=<pkg>``; CPU time (user + system) is shown beside it,
steadier than wall time on a busy machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import textwrap
from pathlib import Path

from timing import run_pytest  # benchmarks/timing.py, beside this script

PACKAGE = "benchpkg"
MODULE = """
def classify_{n}(value):
    if value < 0:
        return "negative"
    if value == 0:
        return "zero"
    return "positive"


def total_{n}(values):
    result = 0
    for value in values:
        if value % 2:
            result += value
        else:
            result -= value
    return result


def describe_{n}(name, count):
    parts = [name]
    if count > 1:
        parts.append("x" + str(count))
    return " ".join(parts)


def unused_{n}(value):
    return value * 2
"""
TEST = """
import pytest

from {package}.module_{n} import classify_{n}, describe_{n}, total_{n}


@pytest.mark.parametrize("value", [-1, 0, 1])
def test_classify(value):
    assert classify_{n}(value) in ("negative", "zero", "positive")


def test_total():
    assert total_{n}([1, 2, 3]) == 2


def test_describe():
    assert describe_{n}("a", 2) == "a x2"


def test_describe_one():
    assert describe_{n}("a", 1) == "a"


@pytest.mark.parametrize("count", range(4))
def test_describe_many(count):
    assert describe_{n}("b", count).startswith("b")
"""
TESTS_PER_MODULE = 11
AGENT = "## Definition of Done\n- 80%+ test coverage\n"
BRANCH_PROMISE = "- All branches covered: 70%+ branch coverage\n"


def make_project(root: Path, tests: int, branch: bool) -> None:
    modules = -(-tests // TESTS_PER_MODULE)
    package = root / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (root / "tests").mkdir()
    for n in range(modules):
        (package / f"module_{n}.py").write_text(MODULE.format(n=n).lstrip(), encoding="utf-8")
        (root / "tests" / f"test_module_{n}.py").write_text(
            TEST.format(n=n, package=PACKAGE).lstrip(), encoding="utf-8"
        )
    agents = root / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "backend.md").write_text(AGENT + (BRANCH_PROMISE if branch else ""), "utf-8")
    (root / "pyproject.toml").write_text(
        textwrap.dedent("""
            [tool.pytest.ini_options]
            testpaths = ["tests"]
            """),
        encoding="utf-8",
    )


def variants(branch: bool) -> dict[str, list[str]]:
    cov = ["--cov=" + PACKAGE, *(["--cov-branch"] if branch else [])]
    return {
        "pytest (no coverage)": [],
        f"pytest {' '.join(cov)}": cov,
        "pytest --agent-gates": ["--agent-gates"],
        f"pytest {' '.join(cov)} --agent-gates": [*cov, "--agent-gates"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", type=int, default=550, help="tests to generate (default 550)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per variant (default 5)")
    parser.add_argument("--branch", action="store_true", help="promise and measure branches too")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="agentgates-bench-") as scratch:
        root = Path(scratch)
        make_project(root, options.tests, options.branch)
        chosen = variants(options.branch)
        run_pytest(root, [])  # warm the file system and the bytecode caches
        # Interleaved rounds, so that a slow moment of the machine hits every variant alike.
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in chosen}
        for _ in range(options.repeat):
            for name, args in chosen.items():
                runs[name].append(run_pytest(root, args))
    wall = {name: statistics.median(w for w, _ in values) for name, values in runs.items()}
    cpu = {name: statistics.median(c for _, c in values) for name, values in runs.items()}
    reference = list(chosen)[1]
    count = -(-options.tests // TESTS_PER_MODULE) * TESTS_PER_MODULE
    print(f"{count} tests; median of {options.repeat} runs each; added vs `{reference}`")
    print(f"  {'variant':<44} {'wall':>7} {'added':>15} {'cpu':>7} {'added':>15}")
    for name in chosen:
        print(
            f"  {name:<44} {wall[name]:6.2f}s {_added(wall[name], wall[reference])}"
            f" {cpu[name]:6.2f}s {_added(cpu[name], cpu[reference])}"
        )


def _added(value: float, reference: float) -> str:
    return f"{value - reference:+6.2f}s {100 * (value / reference - 1):+6.1f}%"


if __name__ == "__main__":
    main()
