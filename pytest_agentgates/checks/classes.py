"""The project's class hierarchy, each base class found through the imports of its module."""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..project.sources import SourceFile
from .imports import absolute_module
from .pycode import definitions

ClassKey = tuple[str, str]  # module, class name qualified within it
Binding = tuple[str, str]  # ("module", dotted) or (module, name): what a name of a module refers to
_MODULE = "<module>"  # never a module name
_MAX_REEXPORTS = 5


@dataclass(frozen=True)
class Overrides:
    """(module, class, method) triples: methods a subclass in the project defines again, and the
    methods that do so."""

    overridden: frozenset[tuple[str, str, str]]
    overriding: frozenset[tuple[str, str, str]]


def overrides(files: Iterable[SourceFile]) -> Overrides:
    parsed = {file.module: file for file in files if file.tree is not None}
    modules = set(parsed)
    bindings = {module: _bindings(file, modules) for module, file in parsed.items()}
    classes: dict[ClassKey, ast.ClassDef] = {
        (module, definition.qualname): definition.node
        for module, file in parsed.items()
        for definition in definitions(file.tree)
        if isinstance(definition.node, ast.ClassDef) and not definition.in_function
    }
    children: dict[ClassKey, set[ClassKey]] = defaultdict(set)
    for (module, name), node in classes.items():
        for base in node.bases:
            parent = _resolve(base, module, bindings, classes)
            if parent is not None and parent != (module, name):
                children[parent].add((module, name))
    overridden, overriding = set(), set()
    for key, node in classes.items():
        own = _methods(node)
        for descendant in _descendants(key, children):
            for method in own & _methods(classes[descendant]):
                overridden.add((*key, method))
                overriding.add((*descendant, method))
    return Overrides(frozenset(overridden), frozenset(overriding))


def _methods(node: ast.ClassDef) -> set[str]:
    return {
        child.name
        for child in node.body
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _descendants(key: ClassKey, children: dict[ClassKey, set[ClassKey]]) -> set[ClassKey]:
    found: set[ClassKey] = set()
    stack = list(children.get(key, ()))
    while stack:
        child = stack.pop()
        if child not in found and child != key:
            found.add(child)
            stack.extend(children.get(child, ()))
    return found


def _bindings(file: SourceFile, modules: set[str]) -> dict[str, Binding]:
    """The names a module's imports bind, and what each refers to."""
    bound: dict[str, Binding] = {}
    for node in file.nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = (_MODULE, alias.name)
                else:
                    top = alias.name.split(".")[0]
                    bound[top] = (_MODULE, top)
        elif isinstance(node, ast.ImportFrom):
            base = absolute_module(file, node.level, node.module or "")
            for alias in node.names if base is not None else ():
                submodule = f"{base}.{alias.name}" if base else alias.name
                bound[alias.asname or alias.name] = (
                    (_MODULE, submodule) if submodule in modules else (base, alias.name)
                )
    return bound


def _dotted(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Subscript):  # Generic[T], Base[int]
        return _dotted(node.value)
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return [*inner, node.attr] if inner else []
    if isinstance(node, ast.Name):
        return [node.id]
    return []


def _resolve(
    base: ast.expr,
    module: str,
    bindings: dict[str, dict[str, Binding]],
    classes: dict[ClassKey, ast.ClassDef],
) -> ClassKey | None:
    parts = _dotted(base)
    if not parts:
        return None
    if len(parts) == 1:
        if (module, parts[0]) in classes:
            return (module, parts[0])
        return _lookup(bindings[module].get(parts[0]), bindings, classes)
    first = bindings[module].get(parts[0])
    if first is None or first[0] != _MODULE:
        return None
    return _lookup((".".join([first[1], *parts[1:-1]]), parts[-1]), bindings, classes)


def _lookup(
    binding: Binding | None,
    bindings: dict[str, dict[str, Binding]],
    classes: dict[ClassKey, ast.ClassDef],
) -> ClassKey | None:
    """The class a binding refers to, following re-exports (``from .models import Base`` in an
    ``__init__``) a few steps."""
    for _ in range(_MAX_REEXPORTS):
        if binding is None or binding[0] == _MODULE:
            return None
        if binding in classes:
            return binding
        binding = bindings.get(binding[0], {}).get(binding[1])
    return None
