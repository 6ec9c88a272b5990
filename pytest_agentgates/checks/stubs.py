"""The stubs check: placeholder code left in the source, found with ``ast`` and ``tokenize``.

A finding is a ``raise NotImplementedError`` in a function, a function whose body is only ``pass``,
``...`` or a docstring, or a ``TODO``/``FIXME``/``XXX`` comment (comments only, never strings).
A function meant to be overridden is not a stub: ``@abstractmethod``, ``@overload``, a method of a
``Protocol``, a pluggy ``@hookspec``, a function named as a no-op (``noop``, ``do_nothing``), and a
method that only raises ``NotImplementedError`` or does nothing in a class that declares itself
abstract (``ABC``, ``metaclass=ABCMeta``) or whose method a subclass in the project overrides
(bases found through the imports of each module, so two classes of the same name are not mixed up).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from ..context import CheckContext
from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..sources import SourceFile, python_files
from .classes import overridden_methods
from .pycode import (
    Definition,
    FunctionNode,
    base_names,
    comments,
    decorators,
    definitions,
    docstring_node,
    name_of,
    own_nodes,
    unparsable,
)

MARKER = re.compile(r"\b(TODO|FIXME|XXX)(?:S|s)?\b")  # case matters: "todo list" is prose
ABSTRACT = frozenset(
    {
        "abstractmethod",
        "abstractproperty",
        "abstractclassmethod",
        "abstractstaticmethod",
        "overload",
    }
)
NO_OP_NAME = re.compile(r"^_*(noop|no_op|nop|do_nothing|pass_through)(_|$)", re.IGNORECASE)
SHOWN_TEXT = 80


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    files = python_files(ctx)
    if not files:
        return Outcome(SKIPPED, "no Python source to read")
    overridden = overridden_methods(files)
    findings = unparsable(files)
    for file in files:
        if file.tree is not None:
            findings += _function_findings(file, overridden)
            findings += _comment_findings(ctx, file)
    findings.sort(key=lambda finding: (finding.path, finding.line))
    if findings:
        kinds = ", ".join(
            f"{sum(f.code == code for f in findings)} {label}"
            for code, label in (("NOT-IMPLEMENTED", "NotImplementedError"),
                                ("EMPTY-BODY", "empty function(s)"),
                                ("TODO", "TODO/FIXME/XXX comment(s)"),
                                ("PARSE", "unreadable module(s)"))
            if any(f.code == code for f in findings)
        )  # fmt: skip
        return Outcome(FAILED, f"placeholder code left: {kinds}", len(findings), 0, tuple(findings))
    return Outcome(
        PASSED,
        f"no placeholder code in {len(files)} module(s): no NotImplementedError outside abstract "
        "methods, no empty functions, no TODO/FIXME/XXX",
        0,
        0,
    )


def _function_findings(file: SourceFile, overridden: set[tuple[str, str, str]]) -> list[Finding]:
    findings = []
    for definition in definitions(file.tree):
        if not definition.is_function or _meant_to_be_empty(definition):
            continue
        function: FunctionNode = definition.node
        hook = _is_hook(file, definition, overridden)
        raises = [node for node in own_nodes(function) if _raises_not_implemented(node)]
        if raises and not (hook and _only_raises_not_implemented(function)):
            findings += [
                Finding(file.relative, node.lineno, "NOT-IMPLEMENTED",
                        f"{definition.qualname} raises NotImplementedError")
                for node in raises
            ]  # fmt: skip
        elif _does_nothing(function) and not hook:
            findings.append(
                Finding(file.relative, function.lineno, "EMPTY-BODY",
                        f"{definition.qualname}: the body is only {_what(function)}")
            )  # fmt: skip
    return findings


def _comment_findings(ctx: CheckContext, file: SourceFile) -> list[Finding]:
    found = []
    for line, text in comments(ctx, file):
        match = MARKER.search(text)
        if match:
            shown = text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…"
            found.append(Finding(file.relative, line, "TODO", f"{match.group(1)} comment: {shown}"))
    return found


def _meant_to_be_empty(definition: Definition) -> bool:
    """Abstract methods, overloads, protocol members, hook specifications, named no-ops."""
    names = decorators(definition.node)
    owner = definition.owner
    return (
        bool(names & ABSTRACT)
        or any("hookspec" in name.lower() for name in names)
        or (owner is not None and "Protocol" in base_names(owner))
        or bool(NO_OP_NAME.match(definition.node.name))
    )


def _is_hook(
    file: SourceFile, definition: Definition, overridden: set[tuple[str, str, str]]
) -> bool:
    """A method of an abstract base class, or one a subclass in the project overrides."""
    owner = definition.owner
    if owner is None:
        return False
    declared_abstract = "ABC" in base_names(owner) or any(
        keyword.arg == "metaclass" and name_of(keyword.value) == "ABCMeta"
        for keyword in owner.keywords
    )
    owner_name, _, method = definition.qualname.rpartition(".")
    return declared_abstract or (file.module, owner_name, method) in overridden


def _raises_not_implemented(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Raise)
        and node.exc is not None
        and name_of(node.exc) == "NotImplementedError"
    )


def _body_without_docstring(function: FunctionNode) -> list[ast.stmt]:
    return function.body[1:] if docstring_node(function) is not None else function.body


def _only_raises_not_implemented(function: FunctionNode) -> bool:
    body = _body_without_docstring(function)
    return len(body) == 1 and _raises_not_implemented(body[0])


def _does_nothing(function: FunctionNode) -> bool:
    return all(_is_pass_or_ellipsis(stmt) for stmt in _body_without_docstring(function))


def _is_pass_or_ellipsis(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Pass) or (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and stmt.value.value is Ellipsis
    )


def _what(function: FunctionNode) -> str:
    body = _body_without_docstring(function)
    if not body:
        return "a docstring"
    if all(isinstance(stmt, ast.Pass) for stmt in body):
        return "pass"
    if all(not isinstance(stmt, ast.Pass) for stmt in body):
        return "..."
    return "pass and ..."
