"""Django URL configurations read statically: ``urlpatterns`` with ``path``/``re_path`` and ``include``."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from .project_index import IndexedModule, ProjectIndex, argument, callee, list_elements, text

PATH_FUNCTIONS = frozenset({"path", "re_path", "url"})


def django_views(index: ProjectIndex) -> Iterator[tuple[IndexedModule, ast.AST, str]]:
    """(module, view expression, full route) for every view the project's URL confs route to.

    A urls module that another one includes is read only through that include, with its prefix.
    """
    urlconfs = [module for module in index.modules.values() if _urlpatterns(module)]
    included = {
        target.name
        for module in urlconfs
        for entry in _entries(module)
        if (target := _included(index, module, entry)) is not None
    }
    for module in urlconfs:
        if module.name not in included:
            yield from _urlconf(index, module, "", frozenset({module.name}))


def _urlconf(
    index: ProjectIndex, module: IndexedModule, prefix: str, seen: frozenset[str]
) -> Iterator[tuple[IndexedModule, ast.AST, str]]:
    for entry in _entries(module):
        yield from _entry(index, module, entry, prefix, seen)


def _entry(
    index: ProjectIndex, module: IndexedModule, entry: ast.Call, prefix: str, seen: frozenset[str]
) -> Iterator[tuple[IndexedModule, ast.AST, str]]:
    route, view = text(argument(entry, 0, "route")), argument(entry, 1, "view")
    if route is None or view is None:
        return
    target = _included(index, module, entry)
    if target is not None:
        if target.name not in seen:
            yield from _urlconf(index, target, prefix + route, seen | {target.name})
    elif isinstance(view, ast.Call) and callee(view.func) == "include":
        inner = view.args[0] if view.args else None  # include([path(...), ...])
        for element in list_elements(module, inner):
            if isinstance(element, ast.Call) and callee(element.func) in PATH_FUNCTIONS:
                yield from _entry(index, module, element, prefix + route, seen)
    else:
        yield module, view, prefix + route


def _urlpatterns(module: IndexedModule) -> list[ast.AST]:
    """The values assigned to ``urlpatterns`` (``=``, ``+=``) at the top of a module."""
    values = []
    for node in module.tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "urlpatterns" for t in targets):
            values.append(getattr(node, "value", None))
    return [value for value in values if value is not None]


def _entries(module: IndexedModule) -> Iterator[ast.Call]:
    for value in _urlpatterns(module):
        for part in _concatenated(value):
            for element in list_elements(module, part):
                if isinstance(element, ast.Call) and callee(element.func) in PATH_FUNCTIONS:
                    yield element


def _concatenated(value: ast.AST) -> Iterator[ast.AST]:
    """The lists of ``[...] + [...]``."""
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        yield from _concatenated(value.left)
        yield from _concatenated(value.right)
    else:
        yield value


def _included(index: ProjectIndex, module: IndexedModule, entry: ast.Call) -> IndexedModule | None:
    """The project's urls module that ``path("x/", include(...))`` includes, if it is one."""
    view = argument(entry, 1, "view")
    if not (isinstance(view, ast.Call) and callee(view.func) == "include" and view.args):
        return None
    target = view.args[0]
    if isinstance(target, ast.Tuple) and target.elts:
        target = target.elts[0]  # include(("notes.urls", "notes"))
    dotted = text(target)
    if dotted is not None:
        return index.module(dotted)
    resolved = index.resolve(target, module)
    return resolved if isinstance(resolved, IndexedModule) else None
