"""What the code-reading checks share: definitions with their scope, decorators, comments, code lines."""

from __future__ import annotations

import ast
import re
import tokenize
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..model import CheckCouldNotRun, Finding
from ..project.context import CheckContext
from ..project.sources import SourceFile

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
TRY_NODES = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)  # except* from 3.11
_NOT_CODE = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
        tokenize.ENCODING,
    }
)
_ERROR_LINE = re.compile(r"^line (\d+):")
NO_SOURCE = "no Python source to read"  # why a code-reading check is skipped


@dataclass(frozen=True)
class Definition:
    """A class or function, with the classes and functions it is defined in (outermost first)."""

    node: ast.ClassDef | FunctionNode
    scope: tuple[ast.ClassDef | FunctionNode, ...]

    @property
    def qualname(self) -> str:
        return ".".join([*(outer.name for outer in self.scope), self.node.name])

    @property
    def owner(self) -> ast.ClassDef | None:
        """The class this is a method (or nested class) of, if it is directly in one."""
        return self.scope[-1] if self.scope and isinstance(self.scope[-1], ast.ClassDef) else None

    @property
    def in_function(self) -> bool:
        return any(not isinstance(outer, ast.ClassDef) for outer in self.scope)

    @property
    def is_function(self) -> bool:
        return not isinstance(self.node, ast.ClassDef)


_DEFINES = (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
_LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.alias)  # hold no definition


def definitions(tree: ast.Module) -> Iterator[Definition]:
    """Every class and function of a module, nested ones included, in source order."""

    found: list[Definition] = []

    def visit(node: ast.AST, scope: tuple) -> None:  # a list, not nested generators: 3x faster
        for child in ast.iter_child_nodes(node):
            if isinstance(child, _DEFINES):
                found.append(Definition(child, scope))
                visit(child, (*scope, child))
            elif not isinstance(child, _LEAVES):
                visit(child, scope)

    visit(tree, ())
    return iter(found)


def name_of(node: ast.expr) -> str:
    """The last name of a (possibly called, subscripted or dotted) expression: ``abc.abstractmethod``
    → ``abstractmethod``, ``hookspec(firstresult=True)`` → ``hookspec``, ``Protocol[T]`` → ``Protocol``."""
    while isinstance(node, (ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def decorators(node: ast.ClassDef | FunctionNode) -> set[str]:
    return {name_of(decorator) for decorator in node.decorator_list}


def base_names(node: ast.ClassDef) -> set[str]:
    return {name_of(base) for base in node.bases}


def docstring_node(node: ast.Module | ast.ClassDef | FunctionNode) -> ast.Expr | None:
    first = node.body[0] if node.body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        return first
    return None


def own_nodes(function: FunctionNode) -> Iterator[ast.AST]:
    """The nodes of a function's body, not descending into nested functions, classes or lambdas."""
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))


def is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    return name_of(test) == "TYPE_CHECKING" and not isinstance(test, (ast.Call, ast.Subscript))


def comments(ctx: CheckContext, file: SourceFile) -> list[tuple[int, str]]:
    """The comments of a module with their lines (strings are not comments)."""
    return ctx.once(f"tokens:{file.relative}", lambda: _scan(file))[0]


def code_lines(ctx: CheckContext, file: SourceFile) -> frozenset[int]:
    """Lines holding code: not blank, not only a comment (a multi-line string covers its lines)."""
    return ctx.once(f"tokens:{file.relative}", lambda: _scan(file))[1]


def _scan(file: SourceFile) -> tuple[list[tuple[int, str]], frozenset[int]]:
    found: list[tuple[int, str]] = []
    lines: set[int] = set()
    for token in file.tokens:
        if token.type == tokenize.COMMENT:
            found.append((token.start[0], token.string))
        elif token.type not in _NOT_CODE:
            lines.update(range(token.start[0], token.end[0] + 1))
    return found, frozenset(lines)


def unparsable(files: Iterable[SourceFile]) -> list[Finding]:
    """A finding for each module that could not be read or parsed: nothing in it can be checked."""
    findings = []
    for file in files:
        if file.tree is None:
            match = _ERROR_LINE.match(file.error)
            line = int(match.group(1)) if match else 1
            findings.append(
                Finding(file.relative, line, "PARSE", f"cannot be checked: {file.error}")
            )
    return findings


def whole_number(params: Mapping[str, Any], name: str) -> int:
    """A whole-number parameter (0 or more), or CheckCouldNotRun naming it."""
    value = params.get(name)
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number != value or number < 0:
        raise CheckCouldNotRun(f"{name} must be a whole number >= 0, not {value!r}")
    return number
