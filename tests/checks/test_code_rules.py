"""format, type-hints, injection, error-handling and logging against real ruff and bandit."""

from __future__ import annotations

import pytest

ONLY_F = '[tool.ruff.lint]\nselect = ["F"]'


def gate_lines(result, *lines: str) -> None:
    result.stdout.fnmatch_lines([f"*{line}" for line in lines])


# --- format --------------------------------------------------------------------------------
FORMAT_AGENT = "## Definition of Done\n- Consistently formatted code\n"


def test_format_lists_the_files_ruff_format_would_change(pytester, project):
    project(FORMAT_AGENT, {
        "pkg/__init__.py": "",
        "pkg/tidy.py": "def tidy(x):\n    return {'a': x}\n",
        "pkg/ugly.py": "def ugly( x ):\n  return x\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    gate_lines(
        result,
        "format: failed - ruff format would change 2 file(s) under ruff format's defaults*",
        "pkg/tidy.py:1 FORMAT would be reformatted by ruff format",
        "pkg/ugly.py:1 FORMAT would be reformatted by ruff format",
    )


def test_format_follows_the_project_formatter_settings_and_excludes(pytester, project):
    project(FORMAT_AGENT, {
        "pkg/__init__.py": "",
        "pkg/tidy.py": "def tidy(x):\n    return {'a': x}\n",
        "legacy/old.py": "def old( x ):\n  return x\n",
    }, ini='[tool.ruff]\nextend-exclude = ["legacy"]\n[tool.ruff.format]\nquote-style = "single"')  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    gate_lines(
        result, "PASSED*Consistently formatted code: ruff format would change nothing under *"
    )


# --- type-hints ----------------------------------------------------------------------------
TYPED = """
    from __future__ import annotations


    class Store:
        def __init__(self, path: str):
            self.path = path

        def get(self, key: str) -> str:
            return self._read(key)

        def _read(self, key):
            return key


    def load(path: str, *args: str, **options: int) -> Store:
        def helper(x):
            return x

        return helper(Store(path))


    class _Internal:
        def run(self, anything):
            return anything
    """


def test_type_hints_pass_when_public_functions_are_annotated(pytester, project):
    project("## Definition of Done\n- Type hints everywhere\n", {
        "pkg/__init__.py": "", "pkg/store.py": TYPED,
        "pkg/_private.py": "def untyped(a):\n    return a\n",
        "tests/test_store.py": "def test_untyped(tmp_path):\n    assert tmp_path\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=2)
    gate_lines(
        result, "PASSED*Type hints everywhere: 100% (3 of 3 public functions fully annotated)"
    )


UNTYPED = """
    class Service:
        def get(self, key):
            return key

        def put(self, key: str, value: str) -> None:
            self.key = key


    def handler(request, *args, **kwargs) -> None:
        return None
    """


def test_type_hints_count_what_is_missing_while_lint_passes_under_the_project_rules(
    pytester, project
):
    agent = "## Definition of Done\n- Strict typing\n- No linter warnings\n"
    project(agent, {"pkg/__init__.py": "", "pkg/service.py": UNTYPED}, ini=ONLY_F)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)  # the project does not select ANN: lint passes
    gate_lines(
        result,
        "type-hints: failed - 33.33% (1 of 3 public functions fully annotated); 5 annotation(s) "
        "missing: 4 argument(s), 1 return type(s)",
        "pkg/service.py:2 ANN Service.get: missing return type, key",
        "pkg/service.py:9 ANN handler: missing request, *args, **kwargs",
    )


def test_type_hints_threshold_comes_from_the_promise(pytester, project):
    project("## Definition of Done\n- Type coverage at least 30%\n",
            {"pkg/__init__.py": "", "pkg/service.py": UNTYPED})  # fmt: skip
    pytester.runpytest("--agent-gates").assert_outcomes(passed=1)


def test_lint_counts_added_rules_the_project_selects_itself(pytester, project):
    agent = "## Definition of Done\n- No linter warnings\n- Type hints everywhere\n"
    project(agent, {"pkg/__init__.py": "", "pkg/service.py": UNTYPED},
            ini='[tool.ruff.lint]\nselect = ["F", "ANN2"]')  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=2)
    gate_lines(result, "lint: failed - ruff found 1 problem(s) under the project's ruff configuration (pyproject.toml)",
               "pkg/service.py:2 ANN201 Missing return type annotation*`get`")  # fmt: skip
    result.stdout.no_fnmatch_line("*ANN001*")


# --- injection -----------------------------------------------------------------------------
INJECTION_AGENT = "## Definition of Done\n- SQL injection prevention: parameterized queries only\n"

UNSAFE = """
    import pickle
    import subprocess

    import yaml


    def find(cursor, name):
        cursor.execute(f"SELECT * FROM users WHERE name = '{name}'")


    def archive(folder):
        subprocess.call("tar czf backup.tgz " + folder, shell=True)


    def compute(expression):
        return eval(expression)


    def restore(blob, text):
        return pickle.loads(blob), yaml.load(text)
    """


def test_injection_reports_each_place_once_from_bandit_and_ruff(pytester, project):
    project(INJECTION_AGENT, {"pkg/__init__.py": "", "pkg/db.py": UNSAFE})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    gate_lines(
        result,
        "injection: failed - 5 injection risk(s): 2 deserialisation, 1 SQL, 1 shell, 1 eval",
        "pkg/db.py:8 B608 Possible SQL injection*",
        "pkg/db.py:12 B602 subprocess call with shell=True identified*",
        "pkg/db.py:16 B307 *eval*",
        "pkg/db.py:20 B301 Pickle*",
        "pkg/db.py:20 B506 *yaml load*",
    )


SAFE = """
    import ast
    import subprocess

    import yaml


    def find(cursor, name):
        cursor.execute("SELECT * FROM users WHERE name = ?", (name,))


    def report(cursor, table):
        cursor.execute(f"SELECT count(*) FROM {table}")  # nosec B608 - table from a fixed list


    def archive(folder):
        subprocess.run(["tar", "czf", "backup.tgz", folder], check=True)
        subprocess.call("ls -l /var/backups", shell=True)


    def parse(text):
        return ast.literal_eval(text), yaml.safe_load(text)
    """


def test_injection_passes_parameterized_queries_argument_lists_and_waived_lines(pytester, project):
    project(INJECTION_AGENT, {
        "pkg/__init__.py": "", "pkg/db.py": SAFE,
        "tests/test_db.py": "def test_eval():\n    assert eval('1 + 1') == 2\n",
    })  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=2)
    gate_lines(
        result, "PASSED*: no SQL, shell or code injection or unsafe deserialisation in 2 module(s)"
    )


def test_security_scan_honours_the_project_bandit_skips_injection_does_not(pytester, project):
    agent = "## Definition of Done\n- No security-scanner warnings\n- No eval of user input\n"
    project(agent, {"pkg/__init__.py": "", "pkg/calc.py": "def f(e):\n    return eval(e)\n"},
            ini='[tool.bandit]\nskips = ["B307"]')  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1, failed=1)
    gate_lines(result, "injection: failed - 1 injection risk(s): 1 eval", "pkg/calc.py:2 B307 *")


# --- error-handling ------------------------------------------------------------------------
ERROR_AGENT = (
    "## Definition of Done\n- Error handling never swallows exceptions, and re-raised "
    "exceptions are chained\n"
)

MISHANDLED = """
    import logging

    logger = logging.getLogger(__name__)


    def load(path):
        try:
            return open(path).read()
        except:
            pass


    def parse(text):
        try:
            return int(text)
        except ValueError as error:
            raise RuntimeError(f"not a number: {text}")


    def first_ok(jobs):
        for job in jobs:
            try:
                return job()
            except Exception:
                continue


    def fetch(client):
        try:
            return client.get()
        except Exception as error:
            logger.error("fetch failed: %s", error)
    """


def test_error_handling_reports_bare_blind_swallowed_and_unchained(pytester, project):
    project(ERROR_AGENT, {"pkg/__init__.py": "", "pkg/io.py": MISHANDLED}, ini=ONLY_F)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    gate_lines(
        result,
        "error-handling: failed - 4 place(s) mishandle exceptions: 2 blind except, "
        "1 bare except, 1 swallowed (except: pass), 1 raise without from, "
        "1 swallowed (except: continue)",
        "pkg/io.py:9 E722 Do not use bare `except` (also S110)",
        "pkg/io.py:17 B904 Within an `except` clause, raise exceptions with `raise ... from err`*",
        "pkg/io.py:24 BLE001 Do not catch blind exception: `Exception` (also S112)",
        "pkg/io.py:31 BLE001 Do not catch blind exception: `Exception`",
    )


HANDLED = """
    import logging

    logger = logging.getLogger(__name__)


    def fetch(client):
        try:
            return client.get()
        except Exception:
            logger.exception("fetch failed")
            return None


    def parse(text):
        try:
            return int(text)
        except ValueError as error:
            raise RuntimeError(f"not a number: {text}") from error


    def lookup(table, key):
        try:
            return table[key]
        except KeyError:
            pass
        return None


    def cleanup(resource):
        try:
            resource.close()
        except Exception:
            logger.warning("close failed", exc_info=True)
            raise
    """


def test_error_handling_passes_logged_reraised_and_deliberate_narrow_handlers(pytester, project):
    project(ERROR_AGENT, {"pkg/__init__.py": "", "pkg/io.py": HANDLED,
                          "tests/test_io.py": "def test_x():\n    try:\n        pass\n"
                                              "    except:\n        pass\n"})  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=2)
    gate_lines(result, "PASSED*: no bare, blind or swallowed except in 2 module(s)")


# --- logging -------------------------------------------------------------------------------
LOGGING_AGENT = (
    "## Definition of Done\n- No print statements; errors are logged; logs never expose "
    "sensitive data\n"
)
VAGUE_LOGGING = "## Definition of Done\n- Logging and monitoring instrumented\n"

NOISY = """
    import logging

    logger = logging.getLogger(__name__)


    def login(user, password, client):
        print("logging in", user)
        logger.info("login %s with %s", user, password)
        try:
            return client.login(user, password)
        except ConnectionError:
            return None


    def refresh(session):
        logger.debug(f"refreshing with {session.token}")


    def rotate(api_key):
        logging.getLogger(__name__).warning("rotating %s", api_key)
    """


def test_logging_reports_prints_unlogged_handlers_and_secrets_in_log_calls(pytester, project):
    project(LOGGING_AGENT, {"pkg/__init__.py": "", "pkg/auth.py": NOISY}, ini=ONLY_F)
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    gate_lines(
        result,
        "logging: failed - 5 logging problem(s) (checked: no print*",
        "pkg/auth.py:7 T201 print() in application code: use logging",
        "pkg/auth.py:8 LOGSECRET password passed to logger.info()",
        "pkg/auth.py:11 NOLOG except ConnectionError neither logs nor re-raises",
        "pkg/auth.py:16 LOGSECRET token passed to logger.debug()",
        "pkg/auth.py:20 LOGSECRET api_key passed to logging.getLogger(__name__).warning()",
    )


QUIET = """
    import logging

    try:
        import ujson as json
    except ImportError:
        import json

    logger = logging.getLogger(__name__)


    def reset(email, token):
        logger.info("password reset for %s (token of %d characters)", email, len(token))
        return json.dumps({"email": email})


    if __name__ == "__main__":
        print(reset("a@example.org", "x"))
    """
CLI = """
    import sys


    def main():
        print("usage: notes [list|add]", file=sys.stderr)
        return 2
    """


def test_logging_passes_cli_entry_points_main_blocks_scripts_and_expected_exceptions(
    pytester, project
):
    project(LOGGING_AGENT, {
        "pkg/__init__.py": "", "pkg/auth.py": QUIET, "pkg/cli.py": CLI,
        "scripts/seed.py": "print('seeding')\n",
        "tests/test_auth.py": "def test_x():\n    print('debugging a test')\n",
    }, ini=ONLY_F + '\n[project]\nname = "notes"\n[project.scripts]\nnotes = "pkg.cli:main"')  # fmt: skip
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=2)
    gate_lines(
        result,
        "PASSED*: 1 logging call(s), 1 logger or configuration site(s); checked: no print in "
        "application code; every error handler logs or re-raises; no secret passed to a log call",
    )


def test_vague_logging_words_ask_only_that_the_project_logs(pytester, project):
    """Symptom 4 of issue 11: ordinary control-flow handlers and prints are not what
    "logging instrumented" promises against."""
    project(VAGUE_LOGGING, {"pkg/__init__.py": "", "pkg/auth.py": NOISY}, ini=ONLY_F)
    result = pytester.runpytest("--agent-gates", "-v")
    result.assert_outcomes(passed=1)
    gate_lines(result, "PASSED*: 3 logging call(s), 2 logger or configuration site(s); checked: "
               "the project logs")  # fmt: skip


def test_vague_logging_words_fail_a_project_that_never_logs(pytester, project):
    project(VAGUE_LOGGING, {"pkg/__init__.py": "", "pkg/core.py": "def f():\n    return 1\n"})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    gate_lines(result, "logging: failed - no logging call, logger or logging configuration found"
               " in the source (checked: the project logs)")  # fmt: skip


@pytest.mark.parametrize("declared", [True, False], ids=["entry-point", "not-declared"])
def test_print_is_allowed_only_in_a_declared_entry_point(pytester, project, declared):
    scripts = '\n[project]\nname = "notes"\n[project.scripts]\nnotes = "pkg.cli:main"'
    project("## Definition of Done\n- No print statements\n", {"pkg/__init__.py": "", "pkg/cli.py": CLI},
            ini=ONLY_F + (scripts if declared else ""))  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1) if declared else result.assert_outcomes(failed=1)


def test_a_module_that_does_not_parse_stops_the_code_checks_and_fails_format(pytester, project):
    agent = "## Definition of Done\n- Type hints everywhere\n- Consistently formatted code\n"
    project(agent, {"pkg/__init__.py": "", "pkg/broken.py": "def broken(:\n    pass\n"})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1, errors=1)
    gate_lines(
        result,
        "type-hints: error - type-hints could not run: pkg/broken.py cannot be checked: line 1:*",
        "format: failed - ruff format would change 0 file(s) and cannot parse 1 under *",
        "pkg/broken.py:1 syntax-error cannot be formatted: *",
    )


def test_lint_and_format_are_errors_when_the_project_has_no_python_to_read(pytester, project):
    agent = "## Definition of Done\n- No linter warnings\n- Consistently formatted code\n"
    project(agent, {"README.md": "# notes\n"})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(errors=2)  # ruff reading nothing is no evidence, not a pass
    gate_lines(
        result,
        "lint: error - lint could not run: no project source found for ruff check; set agent_gates_source",
        "format: error - format could not run: no project source found for ruff format; set agent_gates_source",
    )


def test_vague_error_handling_words_do_not_ask_for_chaining(pytester, project):
    """Field test of issue 11: "Error handling comprehensive" is not flake8-bugbear's B904."""
    code = "def load(d):\n    try:\n        return d['k']\n    except KeyError:\n        raise ValueError('no k')\n"
    project("## Definition of Done\n- Error handling comprehensive and appropriate\n",
            {"pkg/__init__.py": "", "pkg/io.py": code})  # fmt: skip
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(passed=1)
    project(ERROR_AGENT, {"pkg/__init__.py": "", "pkg/io.py": code})
    result = pytester.runpytest("--agent-gates")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*pkg/io.py:5 B904 *"])
