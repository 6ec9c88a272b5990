"""The stubs check: placeholder code left in the source, found with ``ast`` and ``tokenize``.

A finding is a ``raise NotImplementedError`` in a function, a function whose body is only ``pass``,
``...`` or a docstring, or a ``TODO``/``FIXME``/``XXX`` comment (comments only, never strings).

Code that is empty or raising by design is not a stub:
- ``@abstractmethod``, ``@overload``, methods of a ``Protocol``, pluggy ``@hookspec``s, functions
  named as no-ops (``noop``, ``_setter_noop``, ``do_nothing``, ``ignore``);
- command containers, whose decorator registers them and whose body is only help text: click and
  Flask groups (``@click.group()``, ``@bp.cli.group()``), Typer callbacks (``@app.callback()``);
- a method whose body only raises ``NotImplementedError`` in a class that declares itself abstract
  (``ABC``, ``metaclass=ABCMeta``), or that a subclass in the project overrides, or whose message
  says subclasses must provide it (``"subclasses must implement save()"``);
- a method that does nothing in such a class, or that overrides a method of a base class of the
  project (a deliberate no-op), and an empty body with a comment saying why.
Subclasses are found through each module's imports, so two classes of one name are not mixed up.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from ..model import FAILED, PASSED, SKIPPED, Finding, Outcome
from ..project.context import CheckContext
from ..project.sources import SourceFile, python_files
from .classes import Overrides, overrides
from .pycode import (
    NO_SOURCE,
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
# Decorators that register the function as a container of commands: click/Flask groups, Typer callbacks.
CONTAINERS = frozenset({"group", "callback", "result_callback"})
NO_OP_NAME = re.compile(r"(^|_)(noop|no_op|nop|do_nothing|ignore)(_|$)", re.IGNORECASE)
# A null object (NoopClient, NullCache) does nothing on purpose, method by method.
NULL_OBJECT = re.compile(r"_?(Noop|NoOp|Null|Nop)[A-Z_]")
SUBCLASSES_PROVIDE = re.compile(
    r"subclass|overrid|must (be )?(implement|provid|defin)|should (be )?(implement|overrid|provid)",
    re.IGNORECASE,
)
SHOWN_TEXT = 80


def evaluate(params: Mapping[str, Any], ctx: CheckContext) -> Outcome:
    files = python_files(ctx)
    if not files:
        return Outcome(SKIPPED, NO_SOURCE)
    known = overrides(files)
    findings = unparsable(files)
    for file in files:
        if file.tree is not None:
            notes = comments(ctx, file)
            explained = {line for line, text in notes if not MARKER.search(text)}
            findings += _function_findings(file, known, explained)
            if params.get("todos"):  # TODO comments: only when the words name them
                findings += _comment_findings(file, notes)
    findings.sort(key=lambda finding: (finding.path, finding.line))
    if findings:
        kinds = ", ".join(
            f"{sum(f.code == code for f in findings)} {label}"
            for code, label in (("NOT-IMPLEMENTED", "raise(s) of NotImplementedError"),
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


def _function_findings(file: SourceFile, known: Overrides, explained: set[int]) -> list[Finding]:
    findings = []
    for definition in definitions(file.tree):
        if definition.is_function and not _by_design(definition):
            findings += _raise_findings(file, definition, known)
            findings += _empty_findings(file, definition, known, explained)
    return findings


def _raise_findings(file: SourceFile, definition: Definition, known: Overrides) -> list[Finding]:
    raises = [node for node in own_nodes(definition.node) if _raises_not_implemented(node)]
    if not raises:
        return []
    if not _only_raises_not_implemented(definition.node):
        # In a function that does other work, a raise inside a branch is a guard for a case it
        # does not support ("unknown kind"), not a stub; one at the top level of the body is.
        raises = [node for node in raises if node in definition.node.body]
    if _only_raises_not_implemented(definition.node) and (
        _in_abstract_class(definition)
        or _key(file, definition) in known.overridden
        or _says_subclasses_provide_it(raises[0])
    ):
        return []
    return [
        Finding(file.relative, node.lineno, "NOT-IMPLEMENTED",
                f"{definition.qualname} raises NotImplementedError")
        for node in raises
    ]  # fmt: skip


def _empty_findings(
    file: SourceFile, definition: Definition, known: Overrides, explained: set[int]
) -> list[Finding]:
    function = definition.node
    if not _does_nothing(function):
        return []
    key = _key(file, definition)
    if _in_abstract_class(definition) or key in known.overridden or key in known.overriding:
        return []
    if explained.intersection(range(function.lineno + 1, (function.end_lineno or 0) + 1)):
        return []
    return [
        Finding(file.relative, function.lineno, "EMPTY-BODY",
                f"{definition.qualname}: the body is only {_what(function)}")
    ]  # fmt: skip


def _comment_findings(file: SourceFile, notes: list[tuple[int, str]]) -> list[Finding]:
    found = []
    for line, text in notes:
        match = MARKER.search(text)
        if match:
            shown = text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…"
            found.append(Finding(file.relative, line, "TODO", f"{match.group(1)} comment: {shown}"))
    return found


def _by_design(definition: Definition) -> bool:
    """Abstract methods, overloads, protocol members, hook specifications, command containers,
    named no-ops."""
    names = decorators(definition.node)
    owner = definition.owner
    return (
        bool(names & ABSTRACT)
        or bool(names & CONTAINERS)
        or any("hookspec" in name.lower() for name in names)
        or (owner is not None and "Protocol" in base_names(owner))
        or bool(NO_OP_NAME.match(definition.node.name))
        or (owner is not None and bool(NULL_OBJECT.match(owner.name)))
    )


def _in_abstract_class(definition: Definition) -> bool:
    owner = definition.owner
    return owner is not None and (
        "ABC" in base_names(owner)
        or any(
            keyword.arg == "metaclass" and name_of(keyword.value) == "ABCMeta"
            for keyword in owner.keywords
        )
    )


def _key(file: SourceFile, definition: Definition) -> tuple[str, str, str]:
    owner, _, method = definition.qualname.rpartition(".")
    return file.module, owner, method


def _says_subclasses_provide_it(raised: ast.Raise) -> bool:
    call = raised.exc
    if not isinstance(call, ast.Call) or not call.args:
        return False
    words = " ".join(
        node.value
        for node in ast.walk(call.args[0])
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    )
    return bool(SUBCLASSES_PROVIDE.search(words))


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
