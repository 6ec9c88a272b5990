"""docs: README sections read as headings, and docstring coverage of the public API."""

from __future__ import annotations

# Words that ask for both sub-rules; "Documentation complete and accurate" asks for neither.
AGENT = (
    "## Definition of Done\n- README with install, usage and test sections, and docstrings on "
    "80% of the public API\n"
)
VAGUE = "## Definition of Done\n- Documentation complete and accurate\n"

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


def test_without_python_source_docstrings_are_not_evidence(pytester, project):
    project(AGENT, {"README.md": README})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*skipped: README.md has install, usage and test sections; no Python source*"]
    )
    (pytester.path / "README.md").unlink()
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*README.md:1 NO-DOCS *", "*README.md:1 NO-README *"])


SPHINX_LIBRARY = {
    "README.rst": "shop\n====\n\nA shop library. See the documentation.\n",
    "docs/conf.py": "project = 'shop'\n",
    "docs/index.rst": "shop\n====\n",
    "shop/__init__.py": "",
    "shop/basket.py": UNDOCUMENTED,
}


def test_vague_documentation_words_ask_for_documentation_not_a_docstring_share(pytester, project):
    """Symptom 5 of issue 11: a library with a Sphinx tree and a README without the usual
    headings keeps "Documentation complete and accurate"; no invented 80% docstring bar."""
    project(VAGUE, SPHINX_LIBRARY)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*PASSED*: README.rst and docs tree docs/conf.py"])


def test_vague_documentation_words_fail_a_project_with_no_documentation(pytester, project):
    project(VAGUE, {"shop/__init__.py": "", "shop/basket.py": UNDOCUMENTED})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*docs: failed - no README and no docs tree*", "*NO-DOCS*"])
    result.stdout.no_fnmatch_line("*NO-DOCSTRING*")


def test_the_readme_at_the_repository_root_counts_when_pytest_runs_in_a_subfolder(pytester):
    """Symptom 2 of issue 11: tests run from project/, the README is at the top of the repo."""
    (pytester.path / "README.md").write_text("# shop\n\nA shop service.\n")
    (pytester.path / ".git").mkdir()  # no git needed: .git marks the root as CI files do
    sub = pytester.path / "project"
    (sub / ".claude" / "agents").mkdir(parents=True)
    (sub / ".claude" / "agents" / "backend.md").write_text(VAGUE)
    (sub / "shop").mkdir()
    (sub / "shop" / "__init__.py").write_text("")
    (sub / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    result = pytester.runpytest("--agent-gates", "-v", "--rootdir", str(sub), str(sub))
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*PASSED*: ../README.md"])


WORKFLOW = """
name: tests
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: project
    steps:
      - uses: actions/checkout@v4
      - run: pip install -r requirements.txt
      - run: pytest
"""


def test_ci_at_the_repository_root_counts_when_pytest_runs_in_a_subfolder(pytester):
    """Symptom 2 of issue 11: the workflow lives at the top of the repository."""
    workflows = pytester.path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "main.yml").write_text(WORKFLOW)
    sub = pytester.path / "project"
    (sub / ".claude" / "agents").mkdir(parents=True)
    (sub / ".claude" / "agents" / "backend.md").write_text(
        "## Definition of Done\n- CI pipeline runs the test suite\n"
    )
    (sub / "pyproject.toml").write_text("[tool.pytest.ini_options]\n")
    result = pytester.runpytest("--agent-gates", "-v", "--rootdir", str(sub), str(sub))
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*PASSED*: the tests run in ../.github/workflows/main.yml:*"])
