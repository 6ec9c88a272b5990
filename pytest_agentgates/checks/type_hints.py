"""The type-hints check: public functions and methods fully annotated (ruff's ANN rules), with a
count of the annotations that are missing."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..definitions.quantities import format_percent, satisfies
from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import SourceFile
from .code_sites import parsed_sources
from .pycode import FunctionNode, definitions
from .ruff_run import ANNOTATION_RULES, RuffResult, results_for

RETURN_RULES = frozenset({"ANN201", "ANN204", "ANN205", "ANN206"})


@dataclass
class Function:
    """A function or method of the source, and what its annotations lack."""

    path: str
    node: FunctionNode
    qualname: str
    public: bool
    missing: list[str] = field(default_factory=list)


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    sources = parsed_sources(ctx)
    threshold = float(params.get("threshold", 100.0))
    comparison = params.get("comparison", ">=")
    functions = {path: list(_functions(source)) for path, source in sources.items()}
    for result in results_for(ctx, ANNOTATION_RULES, set(sources)):
        function = _innermost(functions[result.relative], result.line)
        if function is not None and function.public and not _mypy_accepts(function, result):
            function.missing.append(_what(function, result))
    public = [function for found in functions.values() for function in found if function.public]
    if not public:
        return Outcome(SKIPPED, "no public function or method in the source")
    lacking = [function for function in public if function.missing]
    percent = 100.0 * (len(public) - len(lacking)) / len(public)
    required = f"{comparison} {threshold:g}%"
    shown = format_percent(percent, threshold)
    counted = f"{len(public) - len(lacking)} of {len(public)} public functions fully annotated"
    if satisfies(percent, comparison, threshold):
        return Outcome(PASSED, f"{shown} ({counted})", percent, required)
    missing = [what for function in lacking for what in function.missing]
    returns = sum(what == "return type" for what in missing)
    findings = tuple(
        Finding(function.path, function.node.lineno, "ANN",
                f"{function.qualname}: missing {', '.join(function.missing)}")
        for function in lacking
    )  # fmt: skip
    summary = (
        f"{shown} ({counted}); {len(missing)} annotation(s) missing: "
        f"{len(missing) - returns} argument(s), {returns} return type(s)"
    )
    return Outcome(FAILED, summary, percent, required, findings)


def _functions(source: SourceFile) -> Iterator[Function]:
    """Every function of the module; public when it and every class around it have public
    names, in a public module, and it is not nested in another function."""
    module_public = all(_public_name(part) for part in source.module.split("."))
    for definition in definitions(source.tree):
        if definition.is_function:
            names = [outer.name for outer in definition.scope] + [definition.node.name]
            public = module_public and not definition.in_function and all(map(_public_name, names))
            yield Function(source.relative, definition.node, definition.qualname, public)


def _public_name(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__"))


def _innermost(functions: list[Function], line: int) -> Function | None:
    around = [f for f in functions if f.node.lineno <= line <= (f.node.end_lineno or line)]
    return max(around, key=lambda f: f.node.lineno, default=None)


def _arguments(node: FunctionNode) -> list[tuple[str, ast.arg]]:
    spec = node.args
    named = [("", arg) for arg in (*spec.posonlyargs, *spec.args, *spec.kwonlyargs)]
    if spec.vararg:
        named.append(("*", spec.vararg))
    if spec.kwarg:
        named.append(("**", spec.kwarg))
    return named


def _what(function: Function, result: RuffResult) -> str:
    if result.code in RETURN_RULES:
        return "return type"
    for stars, arg in _arguments(function.node):
        # ruff's column is 1-based and, for *args and **kwargs, points at the stars
        if arg.lineno == result.line and arg.col_offset - len(stars) == result.column - 1:
            return stars + arg.arg
    return "an argument"


def _mypy_accepts(function: Function, result: RuffResult) -> bool:
    """``__init__`` with an annotated argument needs no ``-> None``, as mypy has it."""
    if function.node.name != "__init__" or result.code != "ANN204":
        return False
    return any(arg.annotation is not None for _, arg in _arguments(function.node)[1:])
