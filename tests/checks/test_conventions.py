"""lint and format follow the project's own flake8, isort and black configuration (symptom 1 of
issue 11): a project clean under its own tools is clean here, through ruff's equivalent rules."""

from __future__ import annotations

AGENT = (
    "## Definition of Done\n- Code follows project conventions and style guides\n"
    "- Consistently formatted code\n"
)
SETUP_CFG = """
[flake8]
max-line-length = 88
ignore = E203, W503, E501, E231
per-file-ignores =
    */__init__.py: F401
exclude = .git,docs/conf.py

[isort]
profile = black
known_first_party = shop
"""
# Clean for flake8 (and isort, black); ruff's own defaults flag RUF012, C408, UP006/UP035...
SHOP = """
from typing import Dict, List

import requests

from shop.prices import price


class Basket:
    items: List[str] = []
    totals: Dict[str, int] = dict()

    def total(self) -> int:
        return sum(price(item) for item in self.items) + len(requests.__name__)
"""
FILES = {
    "setup.cfg": SETUP_CFG,
    "shop/__init__.py": "from shop.prices import price\n",
    "shop/prices.py": "def price(item):\n    return len(item)\n",
    "shop/basket.py": SHOP,
    # 95 characters: black at line-length 100 keeps it; ruff format's default 88 would wrap it
    "shop/labels.py": 'LABELS = {"small": "S", "medium": "M", "large": "L", "extra large": "XL", '
    '"huge": "XXL", "xs": "T"}\n',
    "docs/conf.py": "import os\n",  # F401, but flake8 excludes the file
    "pyproject.toml": "[tool.black]\nline-length = 100\n\n[tool.pytest.ini_options]\n",
}


def test_a_project_clean_under_its_flake8_isort_and_black_config_passes(pytester, project):
    project(AGENT, FILES)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "*PASSED*: ruff found nothing under the project's flake8 (setup.cfg) and isort "
            "(setup.cfg) configuration, through ruff",
            "*PASSED*: ruff format would change nothing under the project's black configuration*",
        ]
    )


def test_what_flake8_would_report_fails_and_per_file_ignores_apply(pytester, project):
    files = {**FILES, "shop/prices.py": "import os\n\n\ndef price(item):\n    return len(item)\n"}
    project(AGENT, files)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*lint: failed - ruff found 1 problem(s) under the project's flake8*",
         "*shop/prices.py:1 F401 `os` imported but unused"]
    )  # fmt: skip
    result.stdout.no_fnmatch_line("*__init__.py*F401*")  # per-file-ignores


def test_import_order_follows_the_isort_settings(pytester, project):
    unsorted = "import requests\nimport os\n\n\ndef f():\n    return os.sep, requests\n"
    project(AGENT, {**FILES, "shop/io.py": unsorted})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*shop/io.py:1 I001 *"])


def test_max_complexity_only_when_set_and_unknown_codes_are_named(pytester, project):
    branchy = "def f(a):\n" + "".join(f"    if a == {n}:\n        return {n}\n" for n in range(4))
    cfg = "[flake8]\nmax-line-length = 100\nmax-complexity = 3\nextend-select = XYZ9\n"
    project(AGENT, {"setup.cfg": cfg, "shop/__init__.py": "", "shop/logic.py": branchy})
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*shop/logic.py:1 C901 `f` is too complex (5 > 3)",
         "*note: flake8 codes with no ruff rule, not checked: XYZ9"]
    )  # fmt: skip
    (pytester.path / "setup.cfg").write_text("[flake8]\nmax-line-length = 100\n")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=2)  # mccabe reports nothing without max-complexity


def test_with_no_configuration_ruffs_defaults_and_the_verdict_says_so(pytester, project):
    project(AGENT, {"shop/__init__.py": "", "shop/prices.py": "import os\n"})
    result = pytester.runpytest("--agent-gates")
    result.stdout.fnmatch_lines(
        ["*lint: failed - ruff found 1 problem(s) under ruff's default rules (no project "
         "configuration)"]
    )  # fmt: skip


def test_under_another_isort_wrap_mode_a_wrapped_block_is_left_to_isort(pytester, project):
    wrapped = (
        "from shop.prices import (price, price as cost, price as amount, price as value,\n"
        "                         price as charge)\nimport os\n\n\n"
        "def f():\n    return os.sep, price, cost, amount, value, charge\n"
    )
    plain = "import sys\nimport os\n\n\ndef g():\n    return os.sep, sys.path\n"
    cfg = "[isort]\nline_length = 79\n"  # isort's default wrap mode: grid
    project(AGENT, {"setup.cfg": cfg, "shop/__init__.py": "", "shop/prices.py": "def price():\n"
                    "    return 1\n", "shop/wrapped.py": wrapped, "shop/plain.py": plain})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-k", "conventions")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*shop/plain.py:1 I001 *",
         "*note: 1 import block(s) with wrapped imports not judged: isort's wrap mode 0*"]
    )  # fmt: skip
    result.stdout.no_fnmatch_line("*shop/wrapped.py*I001*")


def test_flake8_pyproject_tool_table_is_the_projects_configuration(pytester, project):
    """Field test (a Django library): ``[tool.flake8]`` read through Flake8-pyproject."""
    pyproject = (
        "[tool.flake8]\nextend-ignore = ['E501', 'W503', 'B']\nextend-select = ['B006']\n\n"
        "[tool.pytest.ini_options]\n"
    )
    project(AGENT, {"pyproject.toml": pyproject, "shop/__init__.py": "",
                    "shop/core.py": "from typing import List\n\n\ndef f(x: List[int]) -> int:\n"
                                    "    return len(x)\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.stdout.fnmatch_lines(
        ["*ruff found nothing under the project's flake8 (pyproject.toml)*"]
    )


def test_keys_equal_only_by_hash_are_not_pyflakes_repeated_keys(pytester, project):
    """Field test (a Django library): ruff's F601 flags ``{True: 1, 1: 2}``; pyflakes does not."""
    code = "CASES = {True: 'yes', 1: 'one', 'a': 1, 'a': 2}\n"
    project(AGENT, {"setup.cfg": "[flake8]\nmax-line-length = 100\n", "shop/__init__.py": "",
                    "shop/cases.py": code})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.stdout.fnmatch_lines(["*shop/cases.py:1 F601 Dictionary key literal `'a'` repeated*"])
    result.stdout.no_fnmatch_line("*hashes to the same value*")


def test_a_flake8_selection_ruff_cannot_run_is_an_error_not_a_pass(pytester, project):
    project(AGENT, {"setup.cfg": "[flake8]\nselect = XYZ9\n", "shop/__init__.py": "import os\n"})
    result = pytester.runpytest("--agent-gates", "-k", "conventions")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*none of the codes setup.cfg selects for flake8 has a ruff rule (XYZ9)*"]
    )
