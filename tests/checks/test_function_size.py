"""function-size: lines of code and McCabe complexity read with ast, the same numbers as ruff's C901."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from pytest_agentgates.checks.function_size import complexity
from pytest_agentgates.checks.pycode import definitions

AGENT = "## Definition of Done\n- Keep functions <40 lines and cyclomatic complexity < 10\n"


def function(name: str, code_lines: int) -> str:
    """A function of exactly ``code_lines`` lines of code, def line included."""
    body = "".join(f"    x{i} = {i}\n" for i in range(code_lines - 2))
    return f"def {name}():\n{body}    return 0\n\n\n"


def branches(name: str, ifs: int) -> str:
    """A function of complexity ``ifs + 1``, with the constructs that add nothing mixed in."""
    checks = "".join(f"    if x == {i} and y or not x:\n        y += 1\n" for i in range(ifs))
    return (
        f"def {name}(x, y):\n"
        "    with open(x) as handle:\n"
        "        y = [v for v in handle if v and y]\n"
        "    y = 1 if x else 2\n"
        f"{checks}"
        "    return y\n\n\n"
    )


LONG_DOCSTRING = '"""' + "Explained at length.\n\n" * 40 + '"""'
TRAPS = (
    "def documented():\n" + textwrap.indent(LONG_DOCSTRING, "    ") + "\n    return 1\n\n\n"
    "def airy():\n" + "    # a comment line\n\n" * 30 + "    return 2\n\n\n"
)


def test_functions_over_the_promised_size_are_listed_worst_first(pytester, project):
    project(AGENT, {
        "pkg/__init__.py": "",
        "pkg/jobs.py": function("just_over", 40) + function("far_over", 60) + branches("knotty", 9)
                       + function("at_the_limit", 39) + branches("as_complex_as_allowed", 8) + TRAPS,
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*function-size: failed - 3 of 7 function(s) over <= 39 lines and complexity <= 9 "
            "(longest: far_over, 60 lines; most complex: knotty, 10)",
            "*pkg/jobs.py:43 FUNC-SIZE far_over: 60 lines (max 39)",
            "*pkg/jobs.py:105 FUNC-SIZE knotty: complexity 10 (max 9)",
            "*pkg/jobs.py:1 FUNC-SIZE just_over: 40 lines (max 39)",
        ]
    )
    result.stdout.no_fnmatch_line("*FUNC-SIZE at_the_limit*")
    result.stdout.no_fnmatch_line("*FUNC-SIZE as_complex_as_allowed*")
    result.stdout.no_fnmatch_line("*FUNC-SIZE documented*")
    result.stdout.no_fnmatch_line("*FUNC-SIZE airy*")


def test_methods_and_nested_functions_are_measured_and_within_limits_pass(pytester, project):
    project(AGENT, {
        "app.py": "class Service:\n    def handle(self):\n        def inner():\n            return 1\n"
                  "        return inner()\n" + TRAPS,
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*all 4 function(s) within <= 39 lines and complexity <= 9*"])


def test_defaults_apply_when_the_promise_states_no_number(pytester, project):
    project("## Definition of Done\n- Small functions\n", {"app.py": function("fifty_one", 51)})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*app.py:1 FUNC-SIZE fifty_one: 51 lines (max 50)"])


def test_no_function_is_skipped_and_unparsable_source_fails(pytester, project):
    project(AGENT)  # no source at all
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*skipped: no function in the project's source to measure"])
    (pytester.path / "settings.py").write_text("DEBUG = False\n", encoding="utf-8")
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*skipped: no function in the project's source to measure"])
    (pytester.path / "broken.py").write_text("def f(:\n    pass\n", encoding="utf-8")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*function-size: failed - 0 of 0 function(s) over *; 1 module(s) could not be read",
            "*broken.py:1 PARSE cannot be checked: line 1: *",
        ]
    )


MATCH_AND_TRY = """
async def everything(subject, items):
    async for item in items:
        async with item:
            pass
    match subject:
        case 1 | 2:
            pass
        case [x, *_] if x:
            pass
        case _:
            pass
    try:
        pass
    except* ValueError:
        pass
    else:
        pass
    finally:
        while subject:
            break
        else:
            pass


def last_case_is_a_capture(subject):
    match subject:
        case {"a": 1}:
            pass
        case other:
            return other
"""


def test_complexity_is_the_same_as_ruff_c901(tmp_path):
    """Every function of this plugin, of pytest itself and of a sample with the rarer statements:
    the complexity computed here equals the one real ruff reports."""
    sample = tmp_path / "sample.py"
    # except* is Python 3.11 syntax; before it, the plain handler has the same complexity.
    sample_code = MATCH_AND_TRY if sys.version_info >= (3, 11) else MATCH_AND_TRY.replace("*", "")
    sample.write_text(sample_code, encoding="utf-8")
    # a snapshot of the plugin, so that ruff and ast read the same text even while it is edited
    plugin = shutil.copytree(Path(__file__).parents[2] / "pytest_agentgates", tmp_path / "plugin")
    roots = [plugin, Path(ast.__file__).parent / "json", Path(subprocess.__file__), sample]
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--select", "C901", "--config",
         "lint.mccabe.max-complexity = 0", "--output-format", "json", "--exit-zero",
         *map(str, roots)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    theirs = {
        (Path(entry["filename"]).resolve(), entry["location"]["row"]): int(
            re.search(r"\((\d+) > 0\)", entry["message"]).group(1)
        )
        for entry in json.loads(ruff)
    }
    ours = {}
    for root in roots:
        for path in [root] if root.is_file() else root.rglob("*.py"):
            for definition in definitions(ast.parse(path.read_text(encoding="utf-8"))):
                if definition.is_function:
                    ours[(path.resolve(), definition.node.lineno)] = complexity(definition.node)
    assert len(ours) > 300
    assert ours == theirs
    assert ours[(sample.resolve(), 2)] == 7
    assert ours[(sample.resolve(), 26)] == 2
