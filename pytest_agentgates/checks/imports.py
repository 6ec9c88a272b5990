"""The import statements of the project's modules, with where they run, resolved to project modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, replace

from ..project.sources import SourceFile
from .code_sites import line_text
from .pycode import TRY_NODES, is_type_checking, name_of

_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


@dataclass(frozen=True)
class Where:
    """Under what condition an import statement runs."""

    type_only: bool = False  # under ``if TYPE_CHECKING:``: never runs
    deferred: bool = False  # inside a function: runs when it is called
    optional: bool = False  # in a ``try`` whose handler catches ImportError


@dataclass(frozen=True)
class Import:
    """One ``import`` or ``from ... import`` statement of a module."""

    file: SourceFile
    line: int
    module: str  # as written after ``from`` (without the dots) or after ``import``
    names: tuple[str, ...]  # the names after ``from ... import``; () for ``import x``
    level: int  # leading dots of a relative import
    where: Where

    @property
    def statement(self) -> str:
        return line_text(self.file, self.line).strip()


def imports(file: SourceFile) -> list[Import]:
    if file.tree is None:
        return []
    return list(_visit(file, file.tree, Where()))


def _visit(file: SourceFile, node: ast.AST, where: Where) -> Iterator[Import]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield Import(file, node.lineno, alias.name, (), 0, where)
    elif isinstance(node, ast.ImportFrom):
        names = tuple(alias.name for alias in node.names)
        yield Import(file, node.lineno, node.module or "", names, node.level, where)
    else:
        for child, condition in _children(node, where):
            yield from _visit(file, child, condition)


def _children(node: ast.AST, where: Where) -> list[tuple[ast.AST, Where]]:
    if isinstance(node, ast.If) and is_type_checking(node.test):
        return [(child, replace(where, type_only=True)) for child in node.body] + [
            (child, where) for child in node.orelse
        ]
    if isinstance(node, TRY_NODES) and _catches_import_error(node):
        return [(child, replace(where, optional=True)) for child in node.body] + [
            (child, where) for child in (*node.handlers, *node.orelse, *node.finalbody)
        ]
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        where = replace(where, deferred=True)
    return [(child, where) for child in ast.iter_child_nodes(node)]


def _catches_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        if handler.type is None:
            return True
        caught = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if any(name_of(kind) in _IMPORT_ERRORS for kind in caught):
            return True
    return False


def absolute_module(file: SourceFile, level: int, module: str) -> str | None:
    """``from <level dots><module> import ...`` in ``file``, as an absolute dotted name; None for a
    relative import that leaves the top-level package."""
    if level == 0:
        return module
    package = file.module.split(".")
    if file.path.name != "__init__.py":
        package = package[:-1]
    if level > len(package):
        return None
    package = package[: len(package) - (level - 1)]
    return ".".join([*package, module] if module else package)


def project_targets(imported: Import, modules: set[str]) -> list[str]:
    """The project modules an import names: ``from pkg import mod`` is ``pkg.mod`` when that is a
    module, else ``pkg``; ``import a.b.c`` is the longest of ``a.b.c``, ``a.b``, ``a`` that is one.
    The packages an import passes through are not counted (every submodule would import them)."""
    base = absolute_module(imported.file, imported.level, imported.module)
    if base is None:
        return []
    if imported.names:
        found = []
        for name in imported.names:
            candidate = f"{base}.{name}" if base else name
            target = candidate if candidate in modules else _longest_known(base, modules)
            if target and target not in found:
                found.append(target)
        return found
    target = _longest_known(base, modules)
    return [target] if target else []


def _longest_known(dotted: str, modules: set[str]) -> str | None:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None
