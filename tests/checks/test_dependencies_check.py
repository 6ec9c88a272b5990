"""dependencies: imports declared (as the running environment maps them), requirements pinned or locked."""

from __future__ import annotations

import pytest

AGENT = "## Definition of Done\n- Pin dependencies and update lockfiles\n"

# yaml is provided by PyYAML and markdown_it by markdown-it-py: both installed with this plugin.
SOURCE = '''
"""The app."""

import json
import os.path
from typing import TYPE_CHECKING

import yaml
from markdown_it import MarkdownIt

from app import helpers
from .helpers import render

try:
    import ujson  # an optional speed-up: absent is fine
except ImportError:
    ujson = None

if TYPE_CHECKING:
    from mypy_extensions import TypedDict  # types only: never imported at run time
'''
APP = {"app/__init__.py": "", "app/main.py": SOURCE, "app/helpers.py": "def render():\n    pass\n"}


def pyproject(dependencies: str, extra: str = "") -> str:
    return f"[project]\nname = 'app'\nversion = '1'\ndependencies = [{dependencies}]\n{extra}"


def write(pytester, name: str, text: str) -> None:
    (pytester.path / name).write_text(text, encoding="utf-8")


def test_declared_and_compiled_requirements_pass(pytester, project):
    project(AGENT, {**APP,
                    "requirements.in": "PyYAML>=6\n-r deps/common.in\n",
            "deps/common.in": "markdown-it-py  # rendering\n",
                    "requirements.txt": "pyyaml==6.0.2 \\\n    --hash=sha256:abc\n"
                                        "markdown-it-py==3.0.0\nmdurl==0.1.2\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*3 dependency(ies) declared in requirements.txt, requirements.in, deps/common.in, locked in "
            "requirements.txt; 2 third-party module(s) imported*"
        ]
    )


def test_unpinned_ranges_without_a_lock_and_undeclared_imports_fail(pytester, project):
    project(AGENT, APP)
    write(pytester, "pyproject.toml", pyproject('"pyyaml>=6"', "[project.optional-dependencies]\n"
                                                'dev = ["app[docs]", "pytest==8.3.0"]\n'))  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*dependencies: failed - 2 problem(s): 2 dependency(ies) declared in pyproject.toml, "
            "no lock file; 2 third-party module(s) imported",
            "*app/main.py:8 UNDECLARED markdown_it (provided by markdown-it-py) is imported but "
            "not declared: from markdown_it import MarkdownIt",
            "*pyproject.toml:4 UNPINNED 'pyyaml>=6' is neither pinned with == nor locked",
            "*note: no lock file (poetry.lock, uv.lock, pdm.lock, Pipfile.lock, pylock.toml)*",
        ]
    )
    result.stdout.no_fnmatch_line("*pytest==8.3.0*")
    result.stdout.no_fnmatch_line("*ujson*")
    result.stdout.no_fnmatch_line("*mypy_extensions*")


UV_LOCK = '[[package]]\nname = "pyyaml"\nversion = "6.0.2"\n\n[[package]]\nname = "markdown-it-py"\nversion = "3.0.0"\n'
POETRY = """
[tool.poetry]
name = "app"

[tool.poetry.dependencies]
python = "^3.10"
PyYAML = "^6.0"

[tool.poetry.group.docs.dependencies]
markdown-it-py = {version = "^3.0"}
"""


@pytest.mark.parametrize(
    ("files", "summary"),
    [
        ({"pyproject.toml": pyproject('"pyyaml>=6", "markdown-it-py>=3"'), "uv.lock": UV_LOCK},
         "2 dependency(ies) declared in pyproject.toml, locked in uv.lock*"),
        ({"pyproject.toml": POETRY, "poetry.lock": UV_LOCK},
         "2 dependency(ies) declared in pyproject.toml, locked in poetry.lock*"),
        ({"Pipfile": '[packages]\npyyaml = "*"\nmarkdown-it-py = {version = ">=3"}\n',
          "Pipfile.lock": '{"default": {"pyyaml": {}, "markdown-it-py": {}}, "develop": {}}'},
         "2 dependency(ies) declared in Pipfile, locked in Pipfile.lock*"),
        ({"setup.cfg": "[options]\ninstall_requires =\n    pyyaml>=6\n    markdown-it-py>=3\n",
          "constraints.txt": "pyyaml==6.0.2\nmarkdown-it-py==3.0.0\n"},
         "2 dependency(ies) declared in setup.cfg, locked in constraints.txt*"),
    ],
    ids=["uv", "poetry", "pipenv", "setup.cfg+constraints"],
)  # fmt: skip
def test_each_declaration_format_with_its_lock_passes(pytester, project, files, summary):
    project(AGENT, APP)
    for name, text in files.items():
        write(pytester, name, text)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines([f"*{summary}"])


def test_a_declared_dependency_missing_from_the_lock_is_a_finding(pytester, project):
    project(AGENT, APP)
    write(pytester, "setup.py", "from setuptools import setup\n\nsetup(\n    name='app',\n"
          "    install_requires=['pyyaml>=6', 'markdown-it-py>=3', 'requests>=2'],\n)\n")  # fmt: skip
    write(pytester, "pdm.lock", UV_LOCK)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*setup.py:5 NOT-LOCKED 'requests>=2' is not pinned and not in pdm.lock"]
    )


def test_nothing_declared_is_skipped_until_something_is_imported(pytester, project):
    project(AGENT, {"app.py": "import json\n"})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*skipped: no dependency declared and no third-party module imported"]
    )
    write(pytester, "app.py", "import yaml\n")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*failed - 1 problem(s): no dependency declared (pyproject.toml, requirements*.txt, "
            "setup.cfg, Pipfile), no lock file; 1 third-party module(s) imported",
            "*app.py:1 UNDECLARED yaml (provided by pyyaml) is imported but not declared: import yaml",
        ]
    )


def test_without_python_source_pinned_requirements_do_not_pass(pytester, project):
    project(AGENT, {"requirements.txt": "pyyaml==6.0.2\n"})
    result = pytester.runpytest("--agent-gates", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*skipped: no Python source to read; 1 dependency(ies) declared in requirements.txt*"]
    )
    write(pytester, "requirements.txt", "pyyaml>=6\n")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*requirements.txt:1 UNPINNED 'pyyaml>=6'*"])


def test_an_unreadable_lock_or_declaration_fails_with_nothing_imported(pytester, project):
    project(AGENT, {"app.py": "import json\n", "Pipfile.lock": "{not json"})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Pipfile.lock:1 DEP-UNREADABLE cannot be read: *"])
    write(pytester, "Pipfile.lock", '{"default": {}, "develop": {}}')
    write(pytester, "Pipfile", "[packages\n")
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Pipfile:1 DEP-UNREADABLE cannot be read: *"])


def test_a_malformed_pyproject_is_reported_not_misread(pytester, project):
    project(AGENT, APP)
    write(pytester, "pyproject.toml", pyproject("", 'optional-dependencies = ["pyyaml"]\n')
          .replace("dependencies = []", 'dependencies = "markdown-it-py==3.0.0"'))  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*pyproject.toml:5 DEP-UNREADABLE optional-dependencies should be a table, not list",
            "*pyproject.toml:4 DEP-UNREADABLE dependencies should be a list, not str",
        ]
    )
    result.stdout.no_fnmatch_line("*UNPINNED*")  # not one requirement per character
