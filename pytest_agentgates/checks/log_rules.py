"""The logging check: the project logs; the sub-rules its words ask for: no ``print`` in
application code, ``except`` handlers that log (or re-raise), no secret-looking value passed to a
logging call."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from typing import Any

from ..model import FAILED, PASSED, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import SourceFile
from .code_sites import is_log_call, parsed_sources, pyproject
from .names import is_secret_name
from .pycode import name_of, own_nodes
from .ruff_run import PRINT_RULES, results_for

# Exceptions caught as ordinary control flow (an optional import, a missing key): no log needed.
EXPECTED = frozenset(
    {"ImportError", "ModuleNotFoundError", "StopIteration", "StopAsyncIteration", "GeneratorExit",
     "KeyboardInterrupt", "CancelledError", "KeyError", "IndexError", "LookupError",
     "AttributeError", "FileNotFoundError"}
)  # fmt: skip


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    """The sub-rules the words ask for, else (a vague promise) that the project logs: no print
    (``no_print``), every error handler logs or re-raises (``handlers_log``), no secret in a
    log call (``no_secrets``)."""
    sources = parsed_sources(ctx)
    findings: list[Finding] = []
    if params.get("no_print"):
        findings += _prints(ctx, sources, _entry_point_modules(pyproject(ctx)))
    logs = configured = 0
    for source in sources.values():
        for node in source.nodes:
            if isinstance(node, ast.ExceptHandler) and params.get("handlers_log"):
                if not _expected(node) and not _logs_or_raises(node):
                    caught = ast.unparse(node.type) if node.type else "(bare)"
                    findings.append(Finding(source.relative, node.lineno, "NOLOG",
                                            f"except {caught} neither logs nor re-raises"))  # fmt: skip
            elif is_log_call(node):
                logs += 1
                if params.get("no_secrets"):
                    findings += _secret_arguments(source, node)
            elif _configures_logging(node):
                configured += 1
    asked = [label for name, label in SUB_RULES if params.get(name)]
    must_log = not asked  # a vague promise ("logging instrumented") asks only that it logs
    checked = "; ".join(["the project logs"] * bool(must_log) + asked)
    findings.sort(key=lambda f: (f.path, f.line))
    if must_log and not logs and not configured:
        return Outcome(FAILED, "no logging call, logger or logging configuration found in the "
                       f"source (checked: {checked})", 0, ">= 1", tuple(findings))  # fmt: skip
    if findings:
        return Outcome(FAILED, f"{len(findings)} logging problem(s) (checked: {checked})",
                       len(findings), 0, tuple(findings))  # fmt: skip
    found = f"{logs} logging call(s), {configured} logger or configuration site(s)"
    return Outcome(PASSED, f"{found}; checked: {checked}", 0, 0)


# The sub-rules a promise's words can ask for (catalog params of the logging rule).
SUB_RULES = (
    ("no_print", "no print in application code"),
    ("handlers_log", "every error handler logs or re-raises"),
    ("no_secrets", "no secret passed to a log call"),
)
CONFIG_CALLS = frozenset({"getLogger", "basicConfig", "dictConfig", "fileConfig", "addHandler",
                          "get_logger", "configure"})  # fmt: skip


def _configures_logging(node: ast.AST) -> bool:
    """``logging.getLogger(...)``, ``logging.config.dictConfig(...)``, ``app.logger.addHandler``,
    ``structlog.get_logger()``, or a Django-style ``LOGGING = {...}`` setting."""
    if isinstance(node, ast.Call):
        func = node.func
        attr = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if attr not in CONFIG_CALLS:
            return False
        owner = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
        return attr in ("getLogger", "addHandler") or "log" in owner.lower()
    if isinstance(node, ast.Assign):
        return any(isinstance(target, ast.Name) and target.id == "LOGGING"
                   for target in node.targets)  # fmt: skip
    return False


def _prints(ctx: CheckContext, sources: dict[str, SourceFile], command_line: set[str]):
    for result in results_for(ctx, PRINT_RULES, set(sources)):
        source = sources[result.relative]
        if source.path.name == "__main__.py" or source.module in command_line:
            continue  # a command-line front end: printing is its output
        if result.line in _main_block_lines(source.tree):
            continue
        yield Finding(result.relative, result.line, result.code,
                      "print() in application code: use logging")  # fmt: skip


def _entry_point_modules(data: dict[str, Any]) -> set[str]:
    """Modules named by console-script entry points ([project.scripts], [project.gui-scripts],
    [tool.poetry.scripts])."""
    project, poetry = data.get("project", {}), data.get("tool", {}).get("poetry", {})
    targets = [
        *project.get("scripts", {}).values(),
        *project.get("gui-scripts", {}).values(),
        *poetry.get("scripts", {}).values(),
    ]
    references = [t.get("reference", "") if isinstance(t, dict) else str(t) for t in targets]
    return {reference.split(":", 1)[0].strip() for reference in references if reference}


def _main_block_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and _is_main_test(node.test):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def _is_main_test(test: ast.AST) -> bool:
    if not isinstance(test, ast.Compare) or len(test.comparators) != 1:
        return False
    sides = {ast.unparse(test.left), ast.unparse(test.comparators[0])}
    return sides in ({"__name__", "'__main__'"}, {"__name__", '"__main__"'})


def _expected(handler: ast.ExceptHandler) -> bool:
    if handler.type is None:
        return False
    caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return all(name_of(kind) in EXPECTED for kind in caught)


def _logs_or_raises(handler: ast.ExceptHandler) -> bool:
    # own_nodes reads only the handler's body, not the functions or classes defined in it
    return any(isinstance(node, ast.Raise) or is_log_call(node) for node in own_nodes(handler))


def _secret_arguments(source: SourceFile, call: ast.Call) -> list[Finding]:
    """A name that looks like a secret among the values a logging call formats. What goes
    through another call first (``mask(token)``, ``len(password)``) is left alone."""
    values = [*call.args[1:], *(keyword.value for keyword in call.keywords)]
    if call.args and not isinstance(call.args[0], ast.Constant):
        values.insert(0, call.args[0])  # an f-string or a concatenation as the message
    for value in values:
        for name in _names(value):
            if is_secret_name(name):
                return [Finding(source.relative, call.lineno, "LOGSECRET",
                                f"{name} passed to {ast.unparse(call.func)}()")]  # fmt: skip
    return []


def _names(node: ast.AST) -> Iterator[str]:
    """Names of the values in ``node``: ``user.password`` is ``password``, its owner not."""
    if isinstance(node, ast.Call):
        return
    if isinstance(node, ast.Attribute):
        yield node.attr
        return
    if isinstance(node, ast.Name):
        yield node.id
    elif isinstance(node, ast.Dict):
        yield from (key.value for key in node.keys
                    if isinstance(key, ast.Constant) and isinstance(key.value, str))  # fmt: skip
    for child in ast.iter_child_nodes(node):
        yield from _names(child)
