"""However many promises need them, a session starts one ruff check, one ruff format (only when
a promise needs it) and one bandit: counted with an audit hook on every process launched."""

from __future__ import annotations

import json
from collections import Counter

import pytest

# Installed in the gated project's own session: records every process it starts.
RECORDER = """
import json
import sys
from pathlib import Path

LAUNCHES = []


def _record(event, args):
    if event == "subprocess.Popen":
        LAUNCHES.append([str(part) for part in args[1]])


sys.addaudithook(_record)


def pytest_unconfigure(config):
    Path("launches.json").write_text(json.dumps(LAUNCHES), encoding="utf-8")
"""
CODE_PROMISES = """
- No linter warnings
- Code follows the team's coding standards
- Type hints everywhere
- Strict typing
- SQL injection prevention
- Input validation prevents security vulnerabilities
- No secrets in code
- Error handling comprehensive and appropriate
- Logging and monitoring instrumented
- No security-scanner warnings
- OWASP Top 10 addressed
"""
FORMAT_PROMISES = "- Consistently formatted code\n- Code formatted with ruff format\n"
CLEAN = '''
"""Greetings."""

import logging

logger = logging.getLogger(__name__)


def greet(name: str) -> str:
    """Greet ``name``."""
    try:
        return f"hello {name.strip()}"
    except AttributeError:
        logger.exception("not a name: %r", name)
        raise
'''


@pytest.mark.parametrize("with_format", [True, False], ids=["format-promised", "no-format"])
def test_one_ruff_check_one_format_and_one_bandit_per_session(pytester, project, with_format):
    promises = CODE_PROMISES + (FORMAT_PROMISES if with_format else "")
    project("## Definition of Done\n" + promises, {"pkg/__init__.py": "", "pkg/greet.py": CLEAN})
    (pytester.path / "conftest.py").write_text(RECORDER.lstrip(), encoding="utf-8")
    result = pytester.runpytest_subprocess("--agent-gates")
    result.assert_outcomes(passed=promises.count("\n- "))  # every promise machine-verified
    launches = json.loads((pytester.path / "launches.json").read_text(encoding="utf-8"))
    tools = Counter(
        " ".join(args[2:4]) if args[2] == "ruff" else args[2]
        for args in launches
        if len(args) > 3 and args[1] == "-m"
    )
    assert tools["ruff check"] == 1
    assert tools["ruff format"] == (1 if with_format else 0)
    assert tools["bandit"] == 1
    assert tools["ruff rule"] == 1  # the rule list, read once to know which codes exist
    assert set(tools) <= {"ruff check", "ruff format", "ruff rule", "bandit"}
