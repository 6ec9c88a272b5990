"""lint after the shared ruff run: exactly what ruff reports under the project's own config."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pytest_agentgates.checks import lint
from pytest_agentgates.checks.ruff_run import EXTRA_RULES, ruff_results
from pytest_agentgates.project.context import CheckContext, TestRecord

# One violation of every rule the shared run adds, and a few the project may select itself.
CODE = """
import os
import pickle
import subprocess


PASSWORD = "hunter2hunter2"


def public(a, *args, password="s3cr3t-value", **kw):
    try:
        subprocess.call(a, shell=True)
        os.system("echo " + a)
    except:
        pass
    for x in a:
        try:
            exec(x)
        except Exception:
            continue
    try:
        eval(a)
    except ValueError:
        raise RuntimeError("x")
    q = f"SELECT * FROM t WHERE id = {a}"
    print(pickle.loads(q))
    unused = 1
    assert a


class Model:
    def __init__(self, x):
        self.x = x

    @staticmethod
    def helper(y):
        return y == "opensesame-value"
"""

CONFIGS = {
    "ruff defaults": {},
    "select F only": {"pyproject.toml": '[tool.ruff.lint]\nselect = ["F"]\n'},
    "select E7 and T20": {"pyproject.toml": '[tool.ruff.lint]\nselect = ["E7", "T20"]\n'},
    "select ALL ignore ANN and D": {
        "pyproject.toml": '[tool.ruff.lint]\nselect = ["ALL"]\nignore = ["ANN", "D", "S1"]\n'
    },
    "ANN but not ANN001; more specific wins": {
        "pyproject.toml": '[tool.ruff.lint]\nselect = ["ANN", "E722"]\nignore = ["ANN0", "E"]\n'
    },
    "extend-select over defaults, extend-ignore": {
        "pyproject.toml": '[tool.ruff.lint]\nextend-select = ["S", "B"]\nextend-ignore = ["S608"]\n'
    },
    "top-level select (old style) and legacy T group": {
        "pyproject.toml": '[tool.ruff]\nselect = ["T", "BLE"]\n'
    },
    "redirected T2 prefix, ruff.toml beats pyproject": {
        "ruff.toml": '[lint]\nselect = ["T2", "B9"]\n',
        "pyproject.toml": '[tool.ruff.lint]\nselect = ["ALL"]\n',
    },
    "extend a base configuration": {
        "base.toml": '[lint]\nselect = ["S6", "ANN2"]\n',
        "pyproject.toml": '[tool.ruff]\nextend = "base.toml"\n[tool.ruff.lint]\nextend-select = ["E"]\nignore = ["S608"]\n',
    },
    "nested configuration for one folder": {
        "pyproject.toml": '[tool.ruff.lint]\nselect = ["F"]\n',
        "pkg/sub/ruff.toml": '[lint]\nselect = ["ANN", "S"]\n',
    },
    "rule names and categories (preview)": {
        "pyproject.toml": '[tool.ruff.lint]\npreview = true\nselect = ["bare-except", "security"]\n'
        'ignore = ["hardcoded-sql-expression"]\n'
    },
    "empty select carries its ignores over": {
        "base.toml": '[lint]\nselect = []\nignore = ["F841"]\n',
        "ruff.toml": 'extend = "base.toml"\n[lint]\nextend-select = ["F", "S"]\n',
    },
}


def _diagnostics(rootdir: Path) -> set[tuple[str, int, str]]:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--output-format", "json", "--exit-zero",
         "--no-cache", "."],
        cwd=rootdir, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return {
        (Path(entry["filename"]).relative_to(rootdir).as_posix(), entry["location"]["row"],
         entry["code"])
        for entry in json.loads(done.stdout)
    }  # fmt: skip


@pytest.mark.parametrize("files", CONFIGS.values(), ids=CONFIGS.keys())
def test_lint_reports_what_ruff_reports_under_the_project_config(tmp_path, files):
    for name, content in {"pkg/__init__.py": "", "pkg/code.py": CODE, "pkg/sub/__init__.py": "",
                          "pkg/sub/more.py": CODE, **files}.items():  # fmt: skip
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")
    expected = _diagnostics(tmp_path)
    ctx = CheckContext(tmp_path, [tmp_path / "pkg"], TestRecord(), lambda: None)
    outcome = lint.evaluate({}, ctx)
    assert {(f.path, f.line, f.code) for f in outcome.findings} == expected
    # the shared run did report added rules the project does not select: attribution mattered
    reported = {(result.relative, result.line, result.code) for result in ruff_results(ctx)}
    assert {code for _, _, code in reported - expected} & set(EXTRA_RULES)
