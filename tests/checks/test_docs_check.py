"""docs: README sections read as headings, and docstring coverage of the public API."""

from __future__ import annotations

AGENT = "## Definition of Done\n- Documentation complete and accurate\n"

README = """
# shop

## Installation

    pip install shop

## Usage

Run `shop serve`.

## Running the tests

    pytest
"""

DOCUMENTED = '''
"""Orders: placing and pricing."""


def place(order):
    """Place ``order``."""

    def nested():  # not public: inside a function
        return order

    return nested()


def _helper():  # private: not counted
    return 1


class Order:
    """An order."""

    def __init__(self):  # the class docstring documents the constructor
        self._total = 0

    def __repr__(self):
        return "Order()"

    @property
    def total(self):
        """The total."""
        return self._total

    @total.setter
    def total(self, value):
        self._total = value


class _Cache:
    def get(self):  # a method of a private class: not counted
        return None
'''


def test_readme_sections_and_documented_public_api_pass(pytester, project):
    project(AGENT, {"README.md": README, "shop/__init__.py": "", "shop/orders.py": DOCUMENTED,
                    "shop/_internal.py": "def undocumented():\n    return 1\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*README.md has install, usage and test sections; docstrings on 4 of 4 public "
            "module(s), class(es) and function(s) (100%)*"
        ]
    )


UNDOCUMENTED = '''
def create(payload):
    return payload


class Basket:
    def add(self, item):
        return item

    def remove(self, item):
        """Remove ``item``."""
        return item
'''


def test_missing_sections_and_undocumented_objects_are_findings(pytester, project):
    # a comment in a code block is not a heading; a setext underline is one
    readme = "# shop\n\n## Setup\n\n```bash\n# Running the tests\npytest\n```\n\nUsage\n-----\n\nRun it.\n"
    project(AGENT, {"README.md": readme, "shop/__init__.py": '"""The shop."""\n',
                    "shop/basket.py": UNDOCUMENTED})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*docs: failed - README.md lacks test section(s); docstrings on 2 of 6 public module(s), "
            "class(es) and function(s) (33.33%), required >= 80%",
            "*README.md:1 README-SECTION no test section (a heading with tests, testing, "
            "development or contributing)",
            "*shop/basket.py:1 NO-DOCSTRING module shop.basket has no docstring",
            "*shop/basket.py:1 NO-DOCSTRING function create has no docstring",
            "*shop/basket.py:5 NO-DOCSTRING class Basket has no docstring",
            "*shop/basket.py:6 NO-DOCSTRING method Basket.add has no docstring",
        ]
    )
    result.stdout.no_fnmatch_line("*Basket.remove*")


def test_the_threshold_comes_from_the_promise(pytester, project):
    files = {"README.md": README, "shop/__init__.py": '"""The shop."""\n',
             "shop/basket.py": '"""Baskets."""\n' + UNDOCUMENTED}  # fmt: skip
    project("## Definition of Done\n- Docstrings on at least 50% of the public API\n", files)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*docstrings on 3 of 6 public*(50%)*"])


def test_no_readme_fails_and_rst_headings_are_read(pytester, project):
    project(AGENT, {"shop.py": '"""The shop."""\n'})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*README.md:1 NO-README no README.md, README.rst, README.txt at the project root"]
    )
    rst = "shop\n====\n\nGetting started\n---------------\n\nExamples\n~~~~~~~~\n\nDevelopment\n-----------\n"
    (pytester.path / "README.rst").write_text(rst, encoding="utf-8")
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        ["*README.rst has install, usage and test sections; docstrings on 1 of 1*"]
    )


def test_without_python_source_the_readme_alone_does_not_pass(pytester, project):
    project(AGENT, {"README.md": README})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*skipped: README.md has install, usage and test sections; no Python source to read"]
    )
    (pytester.path / "README.md").unlink()
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*README.md:1 NO-README *"])
