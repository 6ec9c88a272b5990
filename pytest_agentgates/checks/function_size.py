"""The function-size check: lines of code and McCabe complexity of every function, read with ``ast``.

Lines are the lines from ``def`` to the function's last line that hold code: the docstring, blank
lines and comment-only lines are not counted (decorators are not part of it; a nested function's
lines count in the function around it, and it is measured on its own as well).

Complexity is McCabe's as ruff's C901 computes it: 1, plus 1 for each ``if``/``elif``, ``for``,
``while``, ``except`` handler, ``try``'s ``else``, ``match`` case (an irrefutable last case is the
``else`` and adds nothing) and nested function; ``with``, boolean operators, comprehensions and
conditional expressions add nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import python_files
from .pycode import (
    TRY_NODES,
    FunctionNode,
    code_lines,
    definitions,
    docstring_node,
    unparsable,
    whole_number,
)


@dataclass(frozen=True)
class Measured:
    path: str
    line: int
    name: str
    lines: int
    complexity: int


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    max_lines = whole_number(params, "max_lines")
    max_complexity = whole_number(params, "max_complexity")
    files = python_files(ctx)
    measured = [
        Measured(file.relative, d.node.lineno, d.qualname,
                 length(d.node, code_lines(ctx, file)), complexity(d.node))
        for file in files if file.tree is not None
        for d in definitions(file.tree) if d.is_function
    ]  # fmt: skip
    broken = unparsable(files)
    if not measured and not broken:
        return Outcome(SKIPPED, "no function in the project's source to measure")
    required = f"<= {max_lines} lines and complexity <= {max_complexity}"
    over = [m for m in measured if m.lines > max_lines or m.complexity > max_complexity]
    over.sort(key=lambda m: (-max(m.lines / max(max_lines, 1), m.complexity / max(max_complexity, 1)),
                             m.path, m.line))  # fmt: skip
    findings = broken + [_finding(m, max_lines, max_complexity) for m in over]
    largest = _largest(measured)
    if findings:
        summary = f"{len(over)} of {len(measured)} function(s) over {required}{largest}"
        if broken:
            summary += f"; {len(broken)} module(s) could not be read"
        return Outcome(FAILED, summary, f"{len(over)} function(s) over", required, tuple(findings))
    return Outcome(PASSED, f"all {len(measured)} function(s) within {required}{largest}", 0,
                   required)  # fmt: skip


def _finding(m: Measured, max_lines: int, max_complexity: int) -> Finding:
    sizes = []
    if m.lines > max_lines:
        sizes.append(f"{m.lines} lines (max {max_lines})")
    if m.complexity > max_complexity:
        sizes.append(f"complexity {m.complexity} (max {max_complexity})")
    return Finding(m.path, m.line, "FUNC-SIZE", f"{m.name}: {', '.join(sizes)}")


def _largest(measured: list[Measured]) -> str:
    if not measured:
        return ""
    longest = max(measured, key=lambda m: m.lines)
    knottiest = max(measured, key=lambda m: m.complexity)
    return (
        f" (longest: {longest.name}, {longest.lines} lines; "
        f"most complex: {knottiest.name}, {knottiest.complexity})"
    )


def length(function: FunctionNode, code: frozenset[int]) -> int:
    """Lines from ``def`` to the end that hold code, the docstring excepted."""
    lines = set(range(function.lineno, (function.end_lineno or function.lineno) + 1)) & code
    docstring = docstring_node(function)
    if docstring is not None:
        lines -= set(range(docstring.lineno, (docstring.end_lineno or docstring.lineno) + 1))
    return len(lines)


def complexity(function: FunctionNode) -> int:
    """McCabe complexity as ruff's C901 computes it."""
    return 1 + _decisions(function.body)


def _decisions(body: list[ast.stmt]) -> int:
    total = 0
    for stmt in body:
        if isinstance(stmt, ast.If):
            total += 1 + _decisions(stmt.body)
            # an elif is an If alone in the orelse; a plain else adds nothing
            total += _decisions(stmt.orelse)
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            total += 1 + _decisions(stmt.body) + _decisions(stmt.orelse)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            total += _decisions(stmt.body)
        elif isinstance(stmt, ast.Match):
            total += sum(1 + _decisions(case.body) for case in stmt.cases)
            last = stmt.cases[-1] if stmt.cases else None
            if last is not None and last.guard is None and _irrefutable(last.pattern):
                total -= 1
        elif isinstance(stmt, TRY_NODES):
            total += _decisions(stmt.body) + _decisions(stmt.finalbody)
            total += (1 if stmt.orelse else 0) + _decisions(stmt.orelse)
            total += sum(1 + _decisions(handler.body) for handler in stmt.handlers)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            total += 1 + _decisions(stmt.body)
        elif isinstance(stmt, ast.ClassDef):
            total += _decisions(stmt.body)
    return total


def _irrefutable(pattern: ast.pattern) -> bool:
    if isinstance(pattern, ast.MatchAs):
        return pattern.pattern is None or _irrefutable(pattern.pattern)
    if isinstance(pattern, ast.MatchOr):
        return any(_irrefutable(alternative) for alternative in pattern.patterns)
    return False
